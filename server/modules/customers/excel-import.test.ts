import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DataTransfer, ImportPreview, ImportResult } from '@common/schemas/excel';
import { createTestApp, loginAs, setupAdmin, type Client, type TestApp } from '@server/test/app';
import { createDepartment, createPosition, createUser, permissions } from '@server/test/factories';
import { download, importAll, readBack, startImport, upload, workbook, type Cells } from './excel.testing';

/**
 * Customer import through the API: a 10,000-row workbook with 300 bad rows and 200 duplicates (100
 * within the file, 100 already entered by someone else) imports exactly the rest and returns exactly
 * those 500 rows in the error workbook; unreadable uploads are refused with a clear message and
 * nothing written; the mapping is suggested from the headers; progress reaches the user.
 */

const ROWS = Number(process.env.EXCEL_IMPORT_ROWS ?? 10_000);

let t: TestApp;
let admin: Client;
let alice: { id: string; client: Client };
let bob: { id: string; client: Client };
let reader: Client;

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  admin = await setupAdmin(t.app);
  const dept = await createDepartment(db, { name: '深圳销售部' });
  const sales = await createPosition(db, {
    name: '销售',
    permissions: permissions({
      customers: { actions: ['view', 'create', 'edit', 'import', 'export'], scope: 'self' },
      contacts: { actions: ['view', 'create', 'edit'], scope: 'self' },
    }),
  });
  const viewer = await createPosition(db, {
    name: '只读',
    permissions: permissions({ customers: { actions: ['view', 'create'], scope: 'self' } }),
  });
  const person = async (username: string, name: string, positionId: string) => {
    const u = await createUser(db, { username, name, departmentId: dept, positionId });
    return { id: u.id, client: await loginAs(t.app, u.username, u.password) };
  };
  alice = await person('alice', '王小丽', sales);
  bob = await person('bob', '李大宝', sales);
  reader = (await person('reader', '赵只读', viewer)).client;
  const field = await admin.post('/api/v1/custom-fields', {
    entity: 'customer',
    key: 'level',
    label: '客户等级',
    type: 'select',
    options: ['A', 'B', 'C'],
  });
  expect(field.statusCode, field.body).toBe(201);
  const signed = await admin.post('/api/v1/custom-fields', { entity: 'customer', key: 'signed_on', label: '签约日期', type: 'date' });
  expect(signed.statusCode, signed.body).toBe(201);
}, 60_000);
afterAll(() => t?.close());

const HEADERS = ['客户名称*', '客户类别', '重要程度', '电话', '联系人姓名', '联系人手机', '联系人邮箱', '客户等级', '签约日期', '标签'];

/** A customer row that passes every rule; `i` makes its name, phone and contact unique. */
function good(i: number): Cells {
  return [
    `星河贸易${i}号`,
    '直销',
    i % 2 ? '重要' : '一般',
    `0755-${String(26000000 + i)}`,
    `联系人${i}`,
    `139${String(i).padStart(8, '0')}`,
    `c${i}@example.cn`,
    ['A', 'B', 'C'][i % 3],
    new Date(Date.UTC(2024, i % 12, 1 + (i % 28))),
    i % 5 ? '重点、华南' : null,
  ];
}

const emailOf = (row: unknown[]) => String(row[6]);

describe('a 10,000-row customer workbook', () => {
  it('imports the valid rows and returns exactly the 500 bad and duplicate rows in the error workbook', async () => {
    // 100 customers someone else (李大宝) entered before: their names come back in the file
    const taken: string[] = [];
    for (let k = 0; k < 100; k++) {
      const name = `已有客户${k}号`;
      const res = await bob.client.post('/api/v1/customers', {
        name,
        category: 'channel',
        importance: 'high',
        phone: `020-${String(38000000 + k)}`,
        contacts: [{ name: '老客户', mobile: `137${String(k).padStart(8, '0')}`, email: `old${k}@example.cn` }],
      });
      expect(res.statusCode, res.body).toBe(201);
      taken.push(name);
    }

    const rows: Cells[] = [];
    const rejected = new Set<string>();
    const reasons = new Map<string, RegExp>();
    for (let i = 0; i < ROWS; i++) {
      const row = good(i);
      const slot = i % 100;
      const n = Math.floor(i / 100);
      if (slot === 7) {
        // 300 bad rows: missing name, an importance that is not on the list, a date that is no date
        if (n % 3 === 0) row[0] = null;
        else if (n % 3 === 1) row[2] = '超级重要';
        else row[8] = '2024-13-45';
        reasons.set(emailOf(row), n % 3 === 0 ? /客户名称：必填/ : n % 3 === 1 ? /重要程度：“超级重要”不是可选项/ : /签约日期/);
        rejected.add(emailOf(row));
      } else if (slot === 53) {
        // 100 duplicates within the file: the name of a kept row further up (another phone)
        row[0] = `星河贸易${i - 40}号`;
        reasons.set(emailOf(row), new RegExp(`与第 ${i - 40 + 2} 行重复`));
        rejected.add(emailOf(row));
      } else if (slot === 91) {
        // 100 duplicates of customers in the database, owned by 李大宝
        row[0] = taken[n];
        reasons.set(emailOf(row), /客户已存在.*归属人：李大宝/);
        rejected.add(emailOf(row));
      }
      rows.push(row);
    }
    const data = await workbook(HEADERS, rows, '客户');
    const publish = vi.spyOn(t.app.ctx.realtime, 'publish');
    const started = Date.now();

    const start = await startImport(alice.client, 'customer', data, '客户清单.xlsx');
    expect(start.total).toBe(ROWS);
    expect(start.headers).toEqual(HEADERS);
    expect(start.sampleRows[0]).toEqual([
      '星河贸易0号',
      '直销',
      '一般',
      '0755-26000000',
      '联系人0',
      '13900000000',
      'c0@example.cn',
      'A',
      '2024-01-01',
      null,
    ]);
    expect(start.suggestedMapping).toEqual({
      0: 'name',
      1: 'category',
      2: 'importance',
      3: 'phones',
      4: 'contact.name',
      5: 'contact.mobile',
      6: 'contact.email',
      7: 'custom.level',
      8: 'custom.signed_on',
      9: 'tags',
    });

    const { preview, done, previewMs } = await importAll(alice.client, start);
    const seconds = (Date.now() - started) / 1000;
    console.info(
      `[excel] ${ROWS} rows on ${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'SQLite'}: preview ${(previewMs / 1000).toFixed(1)} s, upload to imported ${seconds.toFixed(1)} s`,
    );

    const p = preview.result as ImportPreview;
    expect(p).toMatchObject({ total: ROWS, valid: ROWS - rejected.size, invalid: rejected.size });
    expect(p.errors.length).toBe(Math.min(100, rejected.size));
    const r = done.result as ImportResult;
    expect(r).toMatchObject({ imported: ROWS - rejected.size, failed: 0, invalid: rejected.size });
    expect(done.outputFileId).toBe(r.errorFileId);
    expect(done.done).toBe(done.total);

    // exactly the rejected rows come back, with their original columns and the reason
    const sheets = await readBack(await download(alice.client, r.errorFileId!));
    const [header, ...back] = sheets[0].rows;
    expect(header).toEqual([...HEADERS, '错误原因']);
    expect(new Set(back.map(emailOf))).toEqual(rejected);
    expect(back.length).toBe(rejected.size);
    for (const row of back) expect(String(row[HEADERS.length]), emailOf(row)).toMatch(reasons.get(emailOf(row))!);

    // what was written: the valid rows, owned by the importer, each with its first contact
    const db = t.database.db;
    const mine = await db
      .selectFrom('customers')
      .select(['name', 'category', 'importance', 'custom'])
      .where('owner_id', '=', alice.id)
      .execute();
    expect(mine.length).toBe(ROWS - rejected.size);
    const first = mine.find((c) => c.name === '星河贸易1号')!;
    expect(first).toMatchObject({ category: 'direct', importance: 'high' });
    expect(JSON.parse(first.custom)).toEqual({ level: 'B', signed_on: '2024-02-02' });
    const contacts = await db
      .selectFrom('contacts as k')
      .innerJoin('customers as c', 'c.id', 'k.customer_id')
      .select((e) => e.fn.countAll<number | string>().as('n'))
      .where('c.owner_id', '=', alice.id)
      .executeTakeFirstOrThrow();
    expect(Number(contacts.n)).toBe(ROWS - rejected.size);

    // progress reached the importer's tabs, and the run says how it ended
    const events = publish.mock.calls.filter(([userId, e]) => userId === alice.id && e.type === 'data_transfer');
    expect(events.length).toBeGreaterThan(2);
    const got = await alice.client.get(`/api/v1/data-transfers/${start.id}`);
    expect(got.json()).toMatchObject({
      status: 'done',
      total: ROWS - rejected.size,
      done: ROWS - rejected.size,
      outputFileId: r.errorFileId,
    });
    expect((await bob.client.get(`/api/v1/data-transfers/${start.id}`)).statusCode).toBe(404);
    const audit = await db.selectFrom('audit_log').selectAll().where('action', '=', 'import').execute();
    expect(audit).toHaveLength(1);
  }, 900_000);
});

describe('unreadable uploads', () => {
  async function refusedWith(data: Buffer, name: string, reason: RegExp) {
    const db = t.database.db;
    const before = await db
      .selectFrom('data_transfers')
      .select((e) => e.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    const customers = await db
      .selectFrom('customers')
      .select((e) => e.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    const file = await upload(alice.client, name, data);
    const res = await alice.client.post('/api/v1/imports', { entity: 'customer', fileId: file.id });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().code).toBe('import_file_invalid');
    expect(res.json().detail).toMatch(reason);
    const after = await db
      .selectFrom('data_transfers')
      .select((e) => e.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    const customersAfter = await db
      .selectFrom('customers')
      .select((e) => e.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect(Number(customersAfter.n)).toBe(Number(customers.n));
  }

  it('refuses a text file renamed .xlsx, an old .xls and a zip that is no workbook, saying why', async () => {
    await refusedWith(Buffer.from('客户名称,电话\n星河贸易,0755-1234\n'), '客户.xlsx', /无法读取这个文件：它不是 Excel 工作簿（\.xlsx）/);
    await refusedWith(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]), '客户.xls', /不是 Excel 工作簿/);
    const { default: JSZip } = await import('jszip');
    const zip = new JSZip();
    zip.file('readme.txt', 'not a workbook');
    await refusedWith(await zip.generateAsync({ type: 'nodebuffer' }), '客户.xlsx', /没有工作表/);
  });

  it('refuses a damaged workbook, an empty sheet and headers without rows', async () => {
    const whole = await workbook(HEADERS, [good(1)]);
    await refusedWith(whole.subarray(0, Math.floor(whole.length / 2)), '客户.xlsx', /已损坏或不完整/);
    await refusedWith(await workbook([], []), '空.xlsx', /第一个工作表是空的/);
    await refusedWith(await workbook(HEADERS, []), '表头.xlsx', /只有表头，没有数据行/);
  });

  it('answers in English to an English caller', async () => {
    const file = await upload(alice.client, 'x.xlsx', Buffer.from('hello'));
    const res = await alice.client.post('/api/v1/imports', { entity: 'customer', fileId: file.id }, { 'accept-language': 'en-US' });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toBe(
      'This file cannot be read: it is not an Excel workbook (.xlsx). Save it as .xlsx in Excel or WPS and upload it again',
    );
  });
});

describe('mapping and rights', () => {
  it('refuses a mapping without the name column, a field twice, or an unknown field; nothing previewed', async () => {
    const start = await startImport(
      alice.client,
      'customer',
      await workbook(['名称', '手机号码', 'Phones'], [['甲公司', '13800000000', '0755-1']]),
    );
    expect(start.suggestedMapping).toEqual({ 1: 'contact.mobile', 2: 'phones' });
    const bad = async (mapping: Record<string, string | null>, field: string) => {
      const res = await alice.client.post(`/api/v1/imports/${start.id}/preview`, { mapping, wait: true });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    };
    await bad({ 1: 'phones' }, 'mapping');
    await bad({ 0: 'name', 1: 'phones', 2: 'phones' }, 'mapping.2');
    await bad({ 0: 'name', 1: 'nonsense' }, 'mapping.1');
    await bad({ 0: 'name', 7: 'phones' }, 'mapping.7');
    const run = await alice.client.post(`/api/v1/imports/${start.id}/run`, { wait: true });
    expect(run.statusCode).toBe(409);
    expect(run.json().code).toBe('transfer_state');

    const ok = await alice.client.post(`/api/v1/imports/${start.id}/preview`, { mapping: { 0: 'name', 2: 'phones' }, wait: true });
    expect(ok.statusCode, ok.body).toBe(200);
    // a row without a category takes the first one (直销): its required fields apply
    expect((ok.json() as DataTransfer).result).toMatchObject({
      total: 1,
      valid: 0,
      invalid: 1,
      errors: [{ row: 2, field: 'importance', message: '客户资料不完整，缺少：重要程度、联系人手机、联系人邮箱' }],
    });
  });

  it('refuses a row without category that lacks the first category’s phone, and imports it as 直销 once complete', async () => {
    const headers = ['客户名称*', '重要程度', '电话', '联系人姓名', '联系人手机', '联系人邮箱'];
    const start = await startImport(
      alice.client,
      'customer',
      await workbook(headers, [
        ['无电话公司', '重要', null, '甲', '13900000001', 'a@example.cn'],
        ['有电话公司', '重要', '0755-33330001', '乙', '13900000002', 'b@example.cn'],
      ]),
    );
    const { preview, done } = await importAll(alice.client, start);
    expect(preview.result).toMatchObject({
      total: 2,
      valid: 1,
      invalid: 1,
      errors: [{ row: 2, field: 'phones', message: '客户资料不完整，缺少：电话' }],
    });
    expect(done.result).toMatchObject({ imported: 1, invalid: 1 });
    const rows = await t.database.db
      .selectFrom('customers')
      .select(['name', 'category'])
      .where('name', 'in', ['无电话公司', '有电话公司'])
      .execute();
    expect(rows).toEqual([{ name: '有电话公司', category: 'direct' }]);
  });

  it('needs the import right, and someone else’s upload or run is not found', async () => {
    const file = await upload(reader, 'r.xlsx', await workbook(HEADERS, [good(1)]));
    expect((await reader.post('/api/v1/imports', { entity: 'customer', fileId: file.id })).statusCode).toBe(403);
    expect((await reader.get('/api/v1/imports/template?entity=customer')).statusCode).toBe(403);
    const res = await alice.client.post('/api/v1/imports', { entity: 'customer', fileId: file.id });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('fileId');
    const start = await startImport(alice.client, 'customer', await workbook(HEADERS, [good(1)]));
    expect((await bob.client.post(`/api/v1/imports/${start.id}/preview`, { mapping: start.suggestedMapping })).statusCode).toBe(404);
  });

  it('lets a run left busy by a dead process be checked again, not a live one', async () => {
    const start = await startImport(alice.client, 'customer', await workbook(HEADERS, [good(ROWS + 1)]));
    expect((await alice.client.post(`/api/v1/imports/${start.id}/preview`, { mapping: start.suggestedMapping })).statusCode).toBe(202);
    const again = await alice.client.post(`/api/v1/imports/${start.id}/preview`, { mapping: start.suggestedMapping, wait: true });
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toContain('previewing');
    const longAgo = new Date(Date.now() - 11 * 60_000).toISOString();
    await t.database.db.updateTable('data_transfers').set({ updated_at: longAgo }).where('id', '=', start.id).execute();
    const retried = await alice.client.post(`/api/v1/imports/${start.id}/preview`, { mapping: start.suggestedMapping, wait: true });
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json()).toMatchObject({ status: 'ready', result: { valid: 1 } });
    // the job queued by the first request finds the run moved on and checks it again, harmlessly
    await t.app.ctx.jobs.runDue();
  });

  it('queues the steps as jobs when the caller does not wait', async () => {
    const start = await startImport(alice.client, 'customer', await workbook(HEADERS, [good(ROWS + 2)]));
    const res = await alice.client.post(`/api/v1/imports/${start.id}/preview`, { mapping: start.suggestedMapping });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ id: start.id, status: 'previewing', done: 0 });
    expect(await t.app.ctx.jobs.runDue()).toBe(1);
    expect((await alice.client.get(`/api/v1/data-transfers/${start.id}`)).json()).toMatchObject({ status: 'ready', result: { valid: 1 } });
    await alice.client.post(`/api/v1/imports/${start.id}/run`, {});
    await t.app.ctx.jobs.runDue();
    const done = (await alice.client.get(`/api/v1/data-transfers/${start.id}`)).json() as DataTransfer;
    expect(done).toMatchObject({ status: 'done', result: { imported: 1, errorFileId: null } });
    const list = await alice.client.get('/api/v1/data-transfers?limit=50');
    expect(list.json().items.map((x: DataTransfer) => x.id)).toContain(start.id);
  });
});
