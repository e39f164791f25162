import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@server/db/types';
import type { QualityReportRow } from '@common/schemas/reports';
import { newId, nowIso } from '@server/db/ids';
import { Client, createTestApp, loginAs, setupAdmin, type TestApp } from '@server/test/app';
import { createDepartment, createPosition, createUser, DEFAULT_PASSWORD, permissions } from '@server/test/factories';
import { seedCustomer } from './testing';
import { dayStartUtc } from './quality.service';

/**
 * The data-quality report per salesperson: event counts per user and period (company time zone
 * day bounds), owned and incomplete-now counts, within the viewer's customers scope.
 */

let t: TestApp;
let db: Db;
let admin: Client;
const u = { alice: '', bob: '', dave: '', eve: '', carol: '', gone: '' };
const dept = { sales: '', east: '', west: '', support: '' };

beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
  admin = await setupAdmin(t.app);
  dept.sales = await createDepartment(db, { name: '销售中心' });
  dept.east = await createDepartment(db, { name: '华东区', parentId: dept.sales });
  dept.west = await createDepartment(db, { name: '华西区', parentId: dept.sales });
  dept.support = await createDepartment(db, { name: '客服部' });
  const rep = await createPosition(db, { name: '销售代表', permissions: permissions({ customers: { actions: ['view'], scope: 'self' } }) });
  const head = await createPosition(db, {
    name: '销售总监',
    permissions: permissions({ customers: { actions: ['view'], scope: 'department_tree' } }),
  });
  const clerk = await createPosition(db, { name: '文员', permissions: permissions({ contacts: { actions: ['view'], scope: 'all' } }) });
  u.alice = (await createUser(db, { username: 'alice', name: '艾丽', departmentId: dept.east, positionId: rep })).id;
  u.bob = (await createUser(db, { username: 'bob', name: '鲍勃', departmentId: dept.east, positionId: rep })).id;
  u.dave = (await createUser(db, { username: 'dave', name: '戴夫', departmentId: dept.west, positionId: rep })).id;
  u.eve = (await createUser(db, { username: 'eve', name: '伊芙', departmentId: dept.support, positionId: rep })).id;
  u.carol = (await createUser(db, { username: 'carol', name: '卡罗', departmentId: dept.sales, positionId: head })).id;
  u.gone = (await createUser(db, { username: 'gone', name: '离职者', departmentId: dept.east, positionId: rep, status: 'left' })).id;
  await createUser(db, { username: 'clerk', name: '文员甲', departmentId: dept.support, positionId: clerk });

  // March 2030 in Asia/Shanghai is [2030-02-28T16:00Z, 2030-03-31T16:00Z)
  const events: [string, string, string][] = [
    [u.alice, 'duplicate_attempt', '2030-02-28T16:00:00.000Z'], // 1 March 00:00 local: in
    [u.alice, 'duplicate_attempt', '2030-02-28T15:59:59.999Z'], // 28 February local: out
    [u.alice, 'duplicate_attempt', '2030-03-31T15:59:59.999Z'], // 31 March 23:59 local: in
    [u.alice, 'duplicate_attempt', '2030-03-31T16:00:00.000Z'], // 1 April local: out
    [u.alice, 'incomplete_save', '2030-03-10T02:00:00.000Z'],
    [u.alice, 'overdue_visit', '2030-03-11T02:00:00.000Z'],
    [u.alice, 'overdue_visit', '2030-03-12T02:00:00.000Z'],
    [u.bob, 'incomplete_save', '2030-03-05T02:00:00.000Z'],
    [u.bob, 'incomplete_save', '2030-04-05T02:00:00.000Z'],
    [u.dave, 'duplicate_attempt', '2030-03-20T02:00:00.000Z'],
    [u.eve, 'duplicate_attempt', '2030-03-20T02:00:00.000Z'],
    [u.gone, 'overdue_visit', '2030-03-02T02:00:00.000Z'],
  ];
  await db
    .insertInto('customer_quality_events')
    .values(events.map(([user_id, kind, at]) => ({ id: newId(), user_id, kind, customer_id: null, detail: null, at })))
    .execute();

  // alice owns: complete (direct), no importance, a contact without email, no category (no rules), a deleted one
  const complete = await seedCustomer(db, {
    name: '完整客户',
    owner_id: u.alice,
    category: 'direct',
    importance: 'high',
    phones: '["13800000001"]',
  });
  await contact(complete, { mobile: '13900000001', email: 'a@example.cn' });
  const noImportance = await seedCustomer(db, { name: '缺重要程度', owner_id: u.alice, category: 'direct', phones: '["13800000002"]' });
  await contact(noImportance, { mobile: '13900000002', email: 'b@example.cn' });
  const noEmail = await seedCustomer(db, {
    name: '缺邮箱',
    owner_id: u.alice,
    category: 'channel',
    importance: 'low',
    phones: '["13800000003"]',
  });
  await contact(noEmail, { mobile: '13900000003', email: null });
  // an email on a deleted contact does not count
  await contact(noEmail, { mobile: null, email: 'c@example.cn', deleted_at: nowIso() });
  await seedCustomer(db, { name: '未分类', owner_id: u.alice });
  await seedCustomer(db, { name: '已删除', owner_id: u.alice, category: 'direct', deleted_at: nowIso() });
  // bob: one customer without phones or contact
  await seedCustomer(db, { name: '鲍勃的客户', owner_id: u.bob, category: 'direct', importance: 'high' });
});
afterAll(() => t.close());

async function contact(customerId: string, f: { mobile: string | null; email: string | null; deleted_at?: string }) {
  const now = nowIso();
  await db
    .insertInto('contacts')
    .values({
      id: newId(),
      customer_id: customerId,
      name: '联系人',
      is_primary: 0,
      decision_maker: 0,
      custom: '{}',
      version: 1,
      created_at: now,
      updated_at: now,
      ...f,
    })
    .execute();
}

const MARCH = 'from=2030-03-01&to=2030-03-31';

async function report(client: Client, query = MARCH) {
  const res = await client.get(`/api/v1/customers/quality-report?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { from: string; to: string; items: QualityReportRow[]; totals: Record<string, number> };
}

const row = (items: QualityReportRow[], userId: string) => items.find((r) => r.userId === userId);

describe('GET /customers/quality-report', () => {
  it('counts events per user within the period, in the company time zone', async () => {
    const { items, from, to, totals } = await report(admin);
    expect({ from, to }).toEqual({ from: '2030-03-01', to: '2030-03-31' });
    expect(row(items, u.alice)).toMatchObject({
      userName: '艾丽',
      departmentName: '华东区',
      duplicateAttempts: 2,
      incompleteSaves: 1,
      overdueVisits: 2,
      owned: 4,
      incompleteNow: 2,
      issues: 7,
    });
    expect(row(items, u.bob)).toMatchObject({
      duplicateAttempts: 0,
      incompleteSaves: 1,
      overdueVisits: 0,
      owned: 1,
      incompleteNow: 1,
      issues: 2,
    });
    expect(row(items, u.dave)).toMatchObject({ duplicateAttempts: 1, issues: 1 });
    // a departed user stays while there is something to count
    expect(row(items, u.gone)).toMatchObject({ inactive: true, overdueVisits: 1 });
    // most issues first
    expect(items[0].userId).toBe(u.alice);
    expect(items.map((r) => r.issues)).toEqual([...items.map((r) => r.issues)].sort((a, b) => b - a));
    expect(totals).toMatchObject({ duplicateAttempts: 4, incompleteSaves: 2, overdueVisits: 3, owned: 5, incompleteNow: 3 });

    const april = await report(admin, 'from=2030-04-01&to=2030-04-30');
    expect(row(april.items, u.alice)).toMatchObject({
      duplicateAttempts: 1,
      incompleteSaves: 0,
      overdueVisits: 0,
      owned: 4,
      incompleteNow: 2,
    });
    expect(row(april.items, u.bob)).toMatchObject({ incompleteSaves: 1 });
    // nothing left to count for the departed user in April
    expect(row(april.items, u.gone)).toBeUndefined();

    const oneDay = await report(admin, 'from=2030-03-01&to=2030-03-01');
    expect(row(oneDay.items, u.alice)?.duplicateAttempts).toBe(1);
  });

  it('narrows to a department tree', async () => {
    const { items } = await report(admin, `${MARCH}&departmentId=${dept.east}`);
    expect(items.map((r) => r.userId).sort()).toEqual([u.alice, u.bob, u.gone].sort());
  });

  it('shows a self-scope user only their own row', async () => {
    const alice = await loginAs(t.app, 'alice', DEFAULT_PASSWORD);
    const { items } = await report(alice);
    expect(items.map((r) => r.userId)).toEqual([u.alice]);
    // asking for another department changes nothing outside the scope
    const other = await report(alice, `${MARCH}&departmentId=${dept.west}`);
    expect(other.items).toEqual([]);
  });

  it('shows a department-tree manager the users of their department and below', async () => {
    const carol = await loginAs(t.app, 'carol', DEFAULT_PASSWORD);
    const { items } = await report(carol);
    expect(items.map((r) => r.userId).sort()).toEqual([u.alice, u.bob, u.dave, u.carol, u.gone].sort());
  });

  it('needs the customers view right and a sane period', async () => {
    const clerk = await loginAs(t.app, 'clerk', DEFAULT_PASSWORD);
    expect((await clerk.get(`/api/v1/customers/quality-report?${MARCH}`)).statusCode).toBe(403);
    const backwards = await admin.get('/api/v1/customers/quality-report?from=2030-03-31&to=2030-03-01');
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().errors[0].field).toContain('to');
    expect((await admin.get('/api/v1/customers/quality-report?from=2030-02-30')).statusCode).toBe(400);
  });

  it('defaults to this month up to today', async () => {
    const res = await report(admin, '');
    expect(res.from.endsWith('-01')).toBe(true);
    expect(res.from.slice(0, 7)).toBe(res.to.slice(0, 7));
  });
});

describe('dayStartUtc', () => {
  it('finds local midnight, daylight saving included', () => {
    expect(dayStartUtc('2030-03-01', 'Asia/Shanghai')).toBe('2030-02-28T16:00:00.000Z');
    expect(dayStartUtc('2030-07-01', 'Europe/Berlin')).toBe('2030-06-30T22:00:00.000Z');
    expect(dayStartUtc('2030-01-01', 'Europe/Berlin')).toBe('2029-12-31T23:00:00.000Z');
    expect(dayStartUtc('2030-01-01', 'UTC')).toBe('2030-01-01T00:00:00.000Z');
  });
});
