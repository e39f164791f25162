import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer, CustomerPage } from '@common/schemas/customers';
import { createTestApp, loginAs, type Client, type TestApp } from '@server/test/app';
import { createPosition, createUser, permissions } from '@server/test/factories';
import { newId, nowIso } from '@server/db/ids';
import { create, customersWorld, type World } from './customers.testing';

/**
 * The customer list: scope for list, GET, PATCH and count (self / subordinates / department /
 * department tree / all, team grants, pool), keyword search for Chinese substrings of any length,
 * filters, sorts with keyset paging, the capped count.
 */

let t: TestApp;
let w: World;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  w = await customersWorld(t);
  const mk = async (key: string, client: Client, body: Record<string, unknown>) => {
    ids[key] = (await create(client, body)).id;
  };
  await mk('A1', w.alice.client, {
    name: '深圳市任我行科技有限公司',
    phone: '0755-2671 0001',
    stage: 'intent',
    regionCode: '440305',
    tags: ['重点'],
    contacts: [{ name: '张三', mobile: '13800000001' }],
  });
  await mk('B1', w.bob.client, { name: '深圳华为技术有限公司', stage: 'deal', regionCode: '440307' });
  await mk('G1', w.gina.client, { name: '广州网易计算机系统有限公司', stage: 'target', regionCode: '440106' });
  await mk('C1', w.carol.client, { name: '北京小米科技有限责任公司', stage: 'vip', regionCode: '110108' });
  await mk('T1', w.carol.client, { name: '北京百度网讯科技有限公司', team: [{ userId: w.alice.id, access: 'read' }] });
  await mk('T2', w.carol.client, { name: '北京美团科技有限公司', team: [{ userId: w.alice.id, access: 'write' }] });
  await mk('P1', w.bob.client, { name: '东莞公海电子有限公司' });
  await w.db
    .updateTable('customers')
    .set({ owner_id: null, owner_department_id: null, pooled_at: nowIso() })
    .where('id', '=', ids.P1)
    .execute();
});
afterAll(() => t?.close());

const names = (items: Customer[]) => items.map((c) => c.name).sort();
const nameOf = (key: string) =>
  ({
    A1: '深圳市任我行科技有限公司',
    B1: '深圳华为技术有限公司',
    G1: '广州网易计算机系统有限公司',
    C1: '北京小米科技有限责任公司',
    T1: '北京百度网讯科技有限公司',
    T2: '北京美团科技有限公司',
    P1: '东莞公海电子有限公司',
  })[key]!;

async function list(client: Client, query = ''): Promise<CustomerPage> {
  const res = await client.get(`/api/v1/customers?limit=200${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('scope matrix', () => {
  const cases: [string, () => World['alice'], string[], string[]][] = [
    // who, visible (view=all), editable
    ['self + team grants', () => w.alice, ['A1', 'T1', 'T2'], ['A1', 'T2']],
    ['subordinates', () => w.lead, ['A1'], ['A1']],
    ['department', () => w.dm, ['A1', 'B1'], ['A1', 'B1']],
    ['department tree', () => w.rm, ['A1', 'B1', 'G1'], ['A1', 'B1', 'G1']],
    ['all (view only)', () => w.boss, ['A1', 'B1', 'G1', 'C1', 'T1', 'T2'], []],
    ['another department', () => w.gina, ['G1'], ['G1']],
  ];

  it.each(cases)('%s: list, count, GET and PATCH agree', async (_label, who, visible, editable) => {
    const person = who();
    const page = await list(person.client);
    expect(names(page.items)).toEqual(visible.map(nameOf).sort());
    expect(page).toMatchObject({ total: visible.length, totalCapped: false, nextCursor: null });
    for (const key of ['A1', 'B1', 'G1', 'C1', 'T1', 'T2']) {
      const got = await person.client.get(`/api/v1/customers/${ids[key]}`);
      expect(got.statusCode, `${key}`).toBe(visible.includes(key) ? 200 : 404);
      if (got.statusCode === 200) expect(got.json().canEdit, key).toBe(editable.includes(key));
      const res = await person.client.patch(`/api/v1/customers/${ids[key]}`, { version: got.json().version ?? 1, notes: `改 ${key}` });
      const expected = editable.includes(key) ? 200 : !visible.includes(key) && person !== w.boss ? 404 : 403;
      expect(res.statusCode, `${key} ${res.body}`).toBe(expected);
    }
  });

  it('views: mine, team and the pool (which everyone with the view right sees, and no one edits)', async () => {
    expect(names((await list(w.alice.client, '&view=mine')).items)).toEqual([nameOf('A1')]);
    expect(names((await list(w.alice.client, '&view=team')).items)).toEqual(['T1', 'T2'].map(nameOf).sort());
    for (const who of [w.alice, w.carol, w.boss]) {
      const pool = await list(who.client, '&view=pool');
      expect(names(pool.items)).toEqual([nameOf('P1')]);
      expect(pool.items[0]).toMatchObject({ inPool: true, ownerName: null, canEdit: false });
    }
    const patch = await w.alice.client.patch(`/api/v1/customers/${ids.P1}`, { version: 1, notes: 'x' });
    expect(patch.json().code).toBe('customer_in_pool');
  });

  it('filters by owner department with its sub-departments', async () => {
    expect(names((await list(w.boss.client, `&departmentId=${w.depts.south}`)).items)).toEqual(['A1', 'B1', 'G1'].map(nameOf).sort());
    expect(names((await list(w.boss.client, `&departmentId=${w.depts.guangzhou}`)).items)).toEqual([nameOf('G1')]);
    expect(names((await list(w.boss.client, `&ownerId=${w.bob.id}`)).items)).toEqual([nameOf('B1')]);
    // a filter never widens the scope
    expect((await list(w.gina.client, `&departmentId=${w.depts.south}`)).items.map((c) => c.name)).toEqual([nameOf('G1')]);
  });
});

describe('keyword search', () => {
  it.each([
    ['任我行', ['A1']],
    ['张三', ['A1']],
    ['科技', ['A1', 'C1', 'T1', 'T2']],
    ['26710001', ['A1']],
    ['0755-2671', ['A1']],
    ['华为', ['B1']],
    ['小米科技', ['C1']],
    ['为', ['B1']],
    ['不存在的名字', []],
  ])('%s', async (q, expected) => {
    const page = await list(w.boss.client, `&q=${encodeURIComponent(q)}`);
    expect(names(page.items)).toEqual(expected.map(nameOf).sort());
    expect(page.total).toBe(expected.length);
  });

  it('stays within the scope', async () => {
    expect((await list(w.gina.client, `&q=${encodeURIComponent('任我行')}`)).items).toEqual([]);
    expect(names((await list(w.alice.client, `&q=${encodeURIComponent('科技')}`)).items)).toEqual(['A1', 'T1', 'T2'].map(nameOf).sort());
  });

  it('hidden phones cannot be found by their digits', async () => {
    const mine = await create(w.intern.client, { name: '深圳实习生客户有限公司' });
    await w.db.updateTable('customers').set({ phones: '["0755-9999 1234"]' }).where('id', '=', mine.id).execute();
    const { reindexCustomer } = await import('./customer-search');
    await reindexCustomer(w.db, mine.id);
    expect((await list(w.intern.client, '&q=99991234')).items).toEqual([]);
    expect((await list(w.intern.client, `&q=${encodeURIComponent('实习生')}`)).items).toHaveLength(1);
    const filter = JSON.stringify([{ field: 'phones', op: 'contains', value: '9999' }]);
    const res = await w.intern.client.get(`/api/v1/customers?filters=${encodeURIComponent(filter)}`);
    expect(res.statusCode).toBe(400);
  });
});

describe('filters', () => {
  const f = (filters: unknown[]) => `&filters=${encodeURIComponent(JSON.stringify(filters))}`;

  it('on standard fields', async () => {
    const run = async (filters: unknown[]) => names((await list(w.boss.client, f(filters))).items);
    expect(await run([{ field: 'stage', op: 'in', value: ['deal', 'vip'] }])).toEqual(['B1', 'C1'].map(nameOf).sort());
    expect(await run([{ field: 'regionCode', op: 'eq', value: '4403' }])).toEqual(['A1', 'B1'].map(nameOf).sort());
    expect(await run([{ field: 'regionCode', op: 'eq', value: '44' }])).toEqual(['A1', 'B1', 'G1'].map(nameOf).sort());
    expect(await run([{ field: 'tags', op: 'contains', value: '重点' }])).toEqual([nameOf('A1')]);
    expect(await run([{ field: 'name', op: 'contains', value: '北京' }])).toEqual(['C1', 'T1', 'T2'].map(nameOf).sort());
    expect(
      await run([
        { field: 'stage', op: 'empty' },
        { field: 'ownerId', op: 'eq', value: w.carol.id },
      ]),
    ).toEqual(['T1', 'T2'].map(nameOf).sort());
    expect(await run([{ field: 'createdAt', op: 'gte', value: '2000-01-01' }])).toHaveLength(7);
    expect(await run([{ field: 'createdAt', op: 'lt', value: '2000-01-01' }])).toEqual([]);
    expect(
      await run([
        { field: 'stage', op: 'ne', value: 'deal' },
        { field: 'ownerDepartmentId', op: 'eq', value: w.depts.shenzhen },
      ]),
    ).toEqual(['深圳实习生客户有限公司', nameOf('A1')]);
    expect(names((await list(w.boss.client, '&stage=target')).items)).toEqual([nameOf('G1')]);
    expect(names((await list(w.boss.client, `&tag=${encodeURIComponent('重点')}`)).items)).toEqual([nameOf('A1')]);
  });

  it('bad filters are a 400 naming `filters`', async () => {
    for (const bad of [
      'not json',
      JSON.stringify([{ field: 'nope', op: 'eq', value: 1 }]),
      JSON.stringify([{ field: 'createdAt', op: 'contains', value: 'x' }]),
    ]) {
      const res = await w.boss.client.get(`/api/v1/customers?filters=${encodeURIComponent(bad)}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().errors[0].field).toBe('filters');
    }
  });

  it('on custom fields', async () => {
    const def = await w.admin.post('/api/v1/custom-fields', {
      entity: 'customer',
      key: 'level',
      label: '信用等级',
      type: 'select',
      options: ['A', 'B'],
    });
    expect(def.statusCode, def.body).toBe(201);
    const c = (await w.alice.client.get(`/api/v1/customers/${ids.A1}`)).json() as Customer;
    const res = await w.alice.client.patch(`/api/v1/customers/${ids.A1}`, { version: c.version, custom: { level: 'A' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().custom).toEqual({ level: 'A' });
    expect(names((await list(w.boss.client, f([{ field: 'custom.level', op: 'eq', value: 'A' }]))).items)).toEqual([nameOf('A1')]);
    const bad = await w.alice.client.patch(`/api/v1/customers/${ids.A1}`, { version: c.version + 1, custom: { level: 'Z' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('custom.level');
  });

  it('overdue: past the category visit cycle, from the last contact or the creation', async () => {
    const fresh = await create(w.gina.client, {
      name: '广州拜访周期测试有限公司',
      category: 'direct',
      phone: '020-3888 0001',
      importance: 'high',
      contacts: [{ name: '刘一', mobile: '13600000001', email: 'l@example.cn' }],
    });
    const old = await create(w.gina.client, {
      name: '广州久未拜访有限公司',
      category: 'direct',
      phone: '020-3888 0002',
      importance: 'high',
      contacts: [{ name: '刘二', mobile: '13600000002', email: 'l2@example.cn' }],
    });
    await w.db.updateTable('customers').set({ created_at: '2020-01-01T00:00:00.000Z' }).where('id', '=', old.id).execute();
    expect(names((await list(w.gina.client, '&overdue=true')).items)).toEqual(['广州久未拜访有限公司']);
    expect(names((await list(w.gina.client, '&overdue=false')).items)).toContain(fresh.name);
  });
});

describe('sort and keyset paging', () => {
  beforeAll(async () => {
    const stages = ['target', 'intent', 'deal', 'vip', null];
    for (let i = 0; i < 23; i++) {
      await create(w.chief.client, {
        name: `排序测试${String.fromCharCode(0x4e00 + ((i * 7) % 23))}${i}有限公司`,
        stage: stages[i % 5],
        importance: i % 2 ? 'high' : null,
      });
    }
  });

  it.each([
    ['id', 'desc'],
    ['name', 'asc'],
    ['name', 'desc'],
    ['stage', 'asc'],
    ['importance', 'desc'],
    ['code', 'asc'],
    ['lastContactAt', 'desc'],
    ['createdAt', 'asc'],
  ])('by %s %s: pages join up to the one-page list, no duplicates, no gaps', async (sort, order) => {
    const q = `&view=mine&sort=${sort}&order=${order}`;
    const whole = (await w.chief.client.get(`/api/v1/customers?limit=200${q}`)).json() as CustomerPage;
    expect(whole.items).toHaveLength(23);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await w.chief.client.get(`/api/v1/customers?limit=5${q}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json() as CustomerPage;
      expect(page.total).toBe(23);
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(5);
    expect(seen).toEqual(whole.items.map((c) => c.id));
    if (sort === 'stage') {
      const ranks = whole.items.map((c) => ['target', 'intent', 'deal', 'vip', null].indexOf(c.stage === null ? null : c.stage));
      expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    }
  });

  it('refuses a cursor of another sort', async () => {
    const page = (await w.chief.client.get('/api/v1/customers?limit=5&view=mine&sort=name')).json() as CustomerPage;
    const res = await w.chief.client.get(`/api/v1/customers?limit=5&view=mine&sort=code&cursor=${page.nextCursor}`);
    expect(res.statusCode).toBe(400);
    expect((await w.chief.client.get('/api/v1/customers?cursor=garbage')).statusCode).toBe(400);
  });
});

describe('count', () => {
  it('is capped at 1,000 and says so', async () => {
    const pos = await createPosition(w.db, {
      name: '大客户',
      permissions: permissions({ customers: { actions: ['view'], scope: 'self' } }),
    });
    const u = await createUser(w.db, { username: 'many', name: '多客户', positionId: pos });
    const now = nowIso();
    const rows = Array.from({ length: 1_005 }, (_, i) => ({
      id: newId(),
      name: `批量客户${i}`,
      owner_id: u.id,
      kind: 'customer' as const,
      phones: '[]',
      tags: '[]',
      custom: '{}',
      locked: 0,
      version: 1,
      created_at: now,
      updated_at: now,
    }));
    for (let i = 0; i < rows.length; i += 500)
      await w.db
        .insertInto('customers')
        .values(rows.slice(i, i + 500))
        .execute();
    const client = await loginAs(t.app, u.username, u.password);
    const page = (await client.get('/api/v1/customers?limit=10')).json() as CustomerPage;
    expect(page).toMatchObject({ total: 1000, totalCapped: true });
    expect(page.items).toHaveLength(10);
    expect(page.nextCursor).toBeTruthy();
  });
});
