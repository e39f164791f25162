import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataTransfer, ExportResult } from '@common/schemas/excel';
import { createTestApp, loginAs, setupAdmin, type Client, type TestApp } from '@server/test/app';
import { createDepartment, createPosition, createUser, permissions } from '@server/test/factories';
import { download, readBack } from './excel.testing';

/**
 * Export of a list view: the same scoped query as the list (a self-scope user gets only their own
 * customers), the view's columns in order with labels instead of keys, a field hidden by a field
 * rule left out, the export permission (403 without it), the file readable by the exporter only,
 * and an audit entry with the row count.
 */

let t: TestApp;
let admin: Client;
const people: Record<string, { id: string; client: Client }> = {};

const customer = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  category: 'channel',
  importance: 'high',
  phone: `0755-${Math.floor(10_000_000 + Math.random() * 80_000_000)}`,
  contacts: [{ name: `${name}联系人`, mobile: '13800000000', email: 'x@example.cn' }],
  ...extra,
});

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  admin = await setupAdmin(t.app);
  const dept = await createDepartment(db, { name: '深圳销售部' });
  const all = ['view', 'create', 'edit', 'export'] as const;
  const position = (name: string, actions: readonly string[], fields: Record<string, 'hidden' | 'readonly'> = {}) =>
    createPosition(db, {
      name,
      permissions: permissions(
        {
          customers: { actions: [...actions] as never, scope: 'self' },
          contacts: { actions: [...actions] as never, scope: 'self' },
          leads: { actions: [...actions] as never, scope: 'self' },
        },
        fields,
      ),
    });
  const sales = await position('销售', all);
  const noExport = await position('无导出', ['view', 'create', 'edit']);
  const noPhones = await position('实习', all, { 'customers.phones': 'hidden', 'contacts.mobile': 'hidden' });
  const person = async (key: string, name: string, positionId: string) => {
    const u = await createUser(db, { username: key, name, departmentId: dept, positionId });
    people[key] = { id: u.id, client: await loginAs(t.app, u.username, u.password) };
  };
  await person('alice', '王小丽', sales);
  await person('bob', '李大宝', sales);
  await person('carol', '郑实习', noPhones);
  await person('dave', '钱无权', noExport);
  expect(
    (
      await admin.post('/api/v1/custom-fields', {
        entity: 'customer',
        key: 'level',
        label: '客户等级',
        type: 'select',
        options: ['A', 'B'],
      })
    ).statusCode,
  ).toBe(201);
  for (const [who, name, importance, level] of [
    ['alice', '星河贸易', 'high', 'A'],
    ['alice', '蓝海科技', 'normal', 'B'],
    ['alice', '青山建材', 'high', null],
    ['bob', '李家商行', 'high', 'A'],
    ['bob', '大宝实业', 'low', 'B'],
  ] as const) {
    const res = await people[who].client.post('/api/v1/customers', customer(name, { importance, ...(level ? { custom: { level } } : {}) }));
    expect(res.statusCode, res.body).toBe(201);
  }
  const res = await admin.post('/api/v1/customers', customer('郑家小店', { ownerId: people.carol.id }));
  expect(res.statusCode, res.body).toBe(201);
}, 60_000);
afterAll(() => t?.close());

async function exportAs(who: Client, body: Record<string, unknown>) {
  const res = await who.post('/api/v1/exports', { wait: true, ...body });
  expect(res.statusCode, res.body).toBe(200);
  const run = res.json() as DataTransfer;
  expect(run.status, JSON.stringify(run)).toBe('done');
  const result = run.result as ExportResult;
  const [sheet] = await readBack(await download(who, result.fileId));
  return { run, result, header: sheet.rows[0], rows: sheet.rows.slice(1) };
}

describe('customer export', () => {
  it('holds only the caller’s customers (self scope), in the view’s columns, with labels', async () => {
    const { result, header, rows, run } = await exportAs(people.alice.client, {
      entity: 'customer',
      query: { columns: ['name', 'importance', 'ownerId', 'custom.level', 'phones', 'category'], sort: 'name', order: 'asc' },
    });
    expect(header).toEqual(['客户名称', '重要程度', '归属人', '客户等级', '电话', '客户类别']);
    expect(result.rows).toBe(3);
    expect(run.outputFileId).toBe(result.fileId);
    expect(rows.map((r) => r[0]).sort()).toEqual(['星河贸易', '蓝海科技', '青山建材'].sort());
    const star = rows.find((r) => r[0] === '星河贸易')!;
    expect(star.slice(1, 4)).toEqual(['重要', '王小丽', 'A']);
    expect(String(star[4])).toMatch(/^0755-\d{8}$/);
    expect(star[5]).toBe('渠道');
    expect(result.fileName).toMatch(/^客户-\d{12}\.xlsx$/);
  });

  it('follows the view’s filters', async () => {
    const filters = JSON.stringify([{ field: 'importance', op: 'eq', value: 'high' }]);
    const { rows } = await exportAs(people.alice.client, { entity: 'customer', query: { filters, columns: ['name'] } });
    expect(rows.map((r) => r[0]).sort()).toEqual(['星河贸易', '青山建材'].sort());
    const bad = await people.alice.client.post('/api/v1/exports', {
      entity: 'customer',
      query: { filters: '[{"field":"nope"}]' },
      wait: true,
    });
    expect(bad.statusCode).toBe(400);
  });

  it('leaves out a column hidden by a field rule', async () => {
    const { header, rows } = await exportAs(people.carol.client, {
      entity: 'customer',
      query: { columns: ['name', 'phones', 'importance'] },
    });
    expect(header).toEqual(['客户名称', '重要程度']);
    expect(rows).toEqual([['郑家小店', '重要']]);
    const all = await exportAs(people.carol.client, { entity: 'customer' });
    expect(all.header).toContain('客户名称');
    expect(all.header).not.toContain('电话');
    expect(all.header).toContain('地址');
  });

  it('needs the export right', async () => {
    const res = await people.dave.client.post('/api/v1/exports', { entity: 'customer', wait: true });
    expect(res.statusCode).toBe(403);
    const count = await t.database.db.selectFrom('data_transfers').selectAll().where('user_id', '=', people.dave.id).execute();
    expect(count).toEqual([]);
  });

  it('gives the file to the exporter only and audits the export with its row count', async () => {
    const { result, run } = await exportAs(people.bob.client, { entity: 'customer', query: { columns: ['name'] } });
    expect(result.rows).toBe(2);
    const other = await people.alice.client.get(`/api/v1/files/${result.fileId}`);
    expect(other.statusCode).toBe(404);
    const entries = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'export')
      .where('entity_id', '=', run.id)
      .execute();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ entity: 'customer', actor_id: people.bob.id, detail: '2' });
  });
});

describe('contacts and leads', () => {
  it('exports the contacts of the caller’s customers, a hidden mobile left out', async () => {
    const mine = await exportAs(people.alice.client, { entity: 'contact', query: { columns: ['customer', 'name', 'mobile'] } });
    expect(mine.header).toEqual(['所属客户', '姓名', '手机']);
    expect(mine.rows.map((r) => r[0]).sort()).toEqual(['星河贸易', '蓝海科技', '青山建材'].sort());
    const carol = await exportAs(people.carol.client, { entity: 'contact', query: { columns: ['customer', 'name', 'mobile'] } });
    expect(carol.header).toEqual(['所属客户', '姓名']);
  });

  it('exports leads with status labels, in the caller’s scope', async () => {
    expect((await people.alice.client.post('/api/v1/leads', { name: '张三', company: '甲公司', mobile: '13900000001' })).statusCode).toBe(
      201,
    );
    expect((await people.bob.client.post('/api/v1/leads', { name: '李四', company: '乙公司' })).statusCode).toBe(201);
    const { header, rows } = await exportAs(people.alice.client, {
      entity: 'lead',
      query: { columns: ['name', 'company', 'status', 'owner'] },
    });
    expect(header).toEqual(['姓名', '公司名称', '状态', '归属人']);
    expect(rows).toEqual([['张三', '甲公司', '新线索', '王小丽']]);
  });

  it('queues the export as a job when the caller does not wait', async () => {
    const res = await people.alice.client.post('/api/v1/exports', { entity: 'customer' });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ kind: 'export', status: 'running' });
    await t.app.ctx.jobs.runDue();
    const run = (await people.alice.client.get(`/api/v1/data-transfers/${res.json().id}`)).json() as DataTransfer;
    expect(run).toMatchObject({ status: 'done', result: { rows: 3 } });
  });
});
