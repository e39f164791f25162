import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@server/db/types';
import { newId, nowIso } from '@server/db/ids';
import { Client, createTestApp, loginAs, setupAdmin, type TestApp } from '@server/test/app';
import { createDepartment, createPosition, createUser, DEFAULT_PASSWORD, permissions } from '@server/test/factories';
import { seedCustomer } from './testing';

/**
 * Customer reports (举报) through the API: any user reports a customer they can see, admins work
 * the queue (merge in merge.test.ts; here re-categorise, reassign, dismiss), reporters hear back.
 */

let t: TestApp;
let db: Db;
let admin: Client;
let alice: Client;
const ids = { alice: '', bob: '', carol: '' };

const SALES = permissions({ customers: { actions: ['view', 'create', 'edit'], scope: 'self' } });

beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
  admin = await setupAdmin(t.app);
  const dept = await createDepartment(db, { name: '华南销售部' });
  const pos = await createPosition(db, { name: '销售代表', permissions: SALES });
  for (const name of ['alice', 'bob', 'carol'] as const) {
    ids[name] = (await createUser(db, { username: name, name, departmentId: dept, positionId: pos })).id;
  }
  alice = await loginAs(t.app, 'alice', DEFAULT_PASSWORD);
});
afterAll(() => t.close());

async function notices(userId: string, type: string) {
  return db.selectFrom('notifications').selectAll().where('user_id', '=', userId).where('type', '=', type).execute();
}

async function adminId() {
  return (await db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()).id;
}

describe('filing a report', () => {
  it('lets a user report a customer they see, and queues it for admins with names', async () => {
    const mine = await seedCustomer(db, { name: '深圳市甲乙科技有限公司', owner_id: ids.alice, category: 'direct' });
    const bobs = await seedCustomer(db, { name: '甲乙科技', owner_id: ids.bob });
    const res = await alice.post('/api/v1/customer-reports', {
      customerId: mine,
      kind: 'duplicate',
      targetCustomerId: bobs,
      note: '与鲍勃的客户重复',
    });
    expect(res.statusCode, res.body).toBe(201);
    const report = res.json();
    expect(report).toMatchObject({ status: 'open', kind: 'duplicate', customerName: '深圳市甲乙科技有限公司', reporterName: 'alice' });
    // the target lies outside alice's scope: accepted, but nothing about it is revealed
    expect(report.targetCustomerId).toBe(bobs);
    expect(report.targetCustomerName).toBeNull();
    expect(report.targetOwnerName).toBeNull();

    const queue = await admin.get('/api/v1/customer-reports?status=open');
    expect(queue.statusCode).toBe(200);
    const item = queue.json().items.find((r: { id: string }) => r.id === report.id);
    expect(item).toMatchObject({
      customerName: '深圳市甲乙科技有限公司',
      customerOwnerName: 'alice',
      targetCustomerName: '甲乙科技',
      targetOwnerName: 'bob',
      reporterName: 'alice',
      note: '与鲍勃的客户重复',
    });
    expect(queue.json().total).toBeGreaterThanOrEqual(1);

    const notice = (await notices(await adminId(), 'customer_report.created')).find((n) => JSON.parse(n.data!).reportId === report.id);
    expect(notice?.title).toContain('深圳市甲乙科技有限公司');

    const audit = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity', '=', 'customer_report')
      .where('entity_id', '=', report.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['create']);

    const again = await alice.post('/api/v1/customer-reports', {
      customerId: mine,
      kind: 'duplicate',
      targetCustomerId: bobs,
      note: '再报一次',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('customer_report_open');

    const list = await alice.get('/api/v1/customer-reports/mine');
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((r: { id: string }) => r.id)).toContain(report.id);
  });

  it('answers 404 for a customer outside the reporter’s scope, and writes nothing', async () => {
    const bobs = await seedCustomer(db, { name: '丙丁贸易', owner_id: ids.bob });
    const before = await db.selectFrom('customer_reports').select('id').execute();
    const res = await alice.post('/api/v1/customer-reports', { customerId: bobs, kind: 'wrong_owner', note: '不是他的' });
    expect(res.statusCode).toBe(404);
    expect(await db.selectFrom('customer_reports').select('id').execute()).toHaveLength(before.length);
  });

  it('refuses a duplicate report without a live target, or pointing at itself', async () => {
    const mine = await seedCustomer(db, { name: '戊己实业', owner_id: ids.alice });
    const gone = await seedCustomer(db, { name: '已删客户', owner_id: ids.bob, deleted_at: nowIso() });
    for (const [targetCustomerId, code] of [
      [undefined, 'required'],
      [gone, 'not_found'],
      [newId(), 'not_found'],
      [mine, 'customer_merge_self'],
    ] as const) {
      const res = await alice.post('/api/v1/customer-reports', { customerId: mine, kind: 'duplicate', targetCustomerId, note: '重复' });
      expect(res.statusCode, `${targetCustomerId}`).toBe(400);
      expect(res.json().errors).toEqual([expect.objectContaining({ field: 'targetCustomerId', code })]);
    }
    const res = await alice.post('/api/v1/customer-reports', { customerId: mine, kind: 'other', note: '' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('note');
  });

  it('keeps the queue and its settlement to admins', async () => {
    const mine = await seedCustomer(db, { name: '庚辛电子', owner_id: ids.alice });
    const report = (await alice.post('/api/v1/customer-reports', { customerId: mine, kind: 'other', note: '地址有误' })).json();
    expect((await alice.get('/api/v1/customer-reports')).statusCode).toBe(403);
    const res = await alice.post(`/api/v1/customer-reports/${report.id}/resolve`, { action: 'dismiss' });
    expect(res.statusCode).toBe(403);
    expect((await db.selectFrom('customer_reports').select('status').where('id', '=', report.id).executeTakeFirstOrThrow()).status).toBe(
      'open',
    );
  });
});

describe('settling a report', () => {
  async function report(customerId: string, kind: string, note = '请处理') {
    const res = await alice.post('/api/v1/customer-reports', { customerId, kind, note });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  }

  it('re-categorises the customer, audited, and tells the reporter', async () => {
    const c = await seedCustomer(db, { name: '壬癸物流', owner_id: ids.alice, category: 'direct' });
    const id = await report(c, 'wrong_category', '这是渠道客户');
    const bad = await admin.post(`/api/v1/customer-reports/${id}/resolve`, { action: 'recategorise', category: 'nonexistent' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('category');
    const missing = await admin.post(`/api/v1/customer-reports/${id}/resolve`, { action: 'recategorise' });
    expect(missing.statusCode).toBe(400);

    const res = await admin.post(`/api/v1/customer-reports/${id}/resolve`, {
      action: 'recategorise',
      category: 'channel',
      note: '已改为渠道',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().report).toMatchObject({ status: 'recategorised', resolvedByName: '系统管理员', resolutionNote: '已改为渠道' });
    const row = await db.selectFrom('customers').select(['category', 'version']).where('id', '=', c).executeTakeFirstOrThrow();
    expect(row).toEqual({ category: 'channel', version: 2 });
    const audit = await db.selectFrom('audit_log').selectAll().where('entity_id', 'in', [c, id]).execute();
    expect(audit.find((a) => a.entity === 'customer' && a.action === 'update')?.changes).toContain('channel');
    expect(audit.find((a) => a.entity === 'customer_report' && a.action === 'resolve')).toBeTruthy();

    const told = (await notices(ids.alice, 'customer_report.resolved')).filter((n) => JSON.parse(n.data!).reportId === id);
    expect(told).toHaveLength(1);
    expect(told[0].title).toBe('你举报的客户“壬癸物流”已重新分类');
    expect(told[0].body).toBe('已改为渠道');

    const twice = await admin.post(`/api/v1/customer-reports/${id}/resolve`, { action: 'dismiss' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('customer_report_resolved');
  });

  it('reassigns the owner with owner history, and respects the ownership cap', async () => {
    const c = await seedCustomer(db, { name: '子丑机械', owner_id: ids.alice });
    const id = await report(c, 'wrong_owner', '应归 carol');

    // cap of one customer per user: carol already owns one
    const settings = (await admin.get('/api/v1/customer-settings')).json();
    const capped = await admin.put('/api/v1/customer-settings', { ...settings, caps: { ...settings.caps, perUser: 1 } });
    expect(capped.statusCode, capped.body).toBe(200);
    await seedCustomer(db, { name: '寅卯机电', owner_id: ids.carol });
    const refused = await admin.post(`/api/v1/customer-reports/${id}/resolve`, { action: 'reassign', userId: ids.carol });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('customer_cap_reached');
    expect((await db.selectFrom('customer_reports').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('open');
    await admin.put('/api/v1/customer-settings', { ...settings, caps: { ...settings.caps, perUser: 0 } });

    const res = await admin.post(`/api/v1/customer-reports/${id}/resolve`, { action: 'reassign', userId: ids.carol, note: '转给 carol' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().report.status).toBe('reassigned');
    const row = await db.selectFrom('customers').select(['owner_id']).where('id', '=', c).executeTakeFirstOrThrow();
    expect(row.owner_id).toBe(ids.carol);
    const history = await db.selectFrom('customer_owner_history').selectAll().where('customer_id', '=', c).execute();
    expect(history).toEqual([
      expect.objectContaining({ from_user_id: ids.alice, to_user_id: ids.carol, reason: 'assign', note: '转给 carol' }),
    ]);
    expect(await notices(ids.alice, 'customer_report.resolved')).toEqual(
      expect.arrayContaining([expect.objectContaining({ title: '你举报的客户“子丑机械”已重新分配归属人' })]),
    );
  });

  it('dismisses without changing the customer', async () => {
    const c = await seedCustomer(db, { name: '辰巳建材', owner_id: ids.alice, category: 'direct' });
    const id = await report(c, 'other');
    const before = await db.selectFrom('customers').selectAll().where('id', '=', c).executeTakeFirstOrThrow();
    const res = await admin.post(`/api/v1/customer-reports/${id}/resolve`, { action: 'dismiss', note: '信息无误' });
    expect(res.statusCode).toBe(200);
    expect(res.json().report.status).toBe('dismissed');
    expect(await db.selectFrom('customers').selectAll().where('id', '=', c).executeTakeFirstOrThrow()).toEqual(before);
    expect(await notices(ids.alice, 'customer_report.resolved')).toEqual(
      expect.arrayContaining([expect.objectContaining({ title: '你举报的客户“辰巳建材”经管理员审核，未作变更', body: '信息无误' })]),
    );
    const settled = await admin.get('/api/v1/customer-reports?status=resolved');
    expect(settled.json().items.map((r: { id: string }) => r.id)).toContain(id);
    const open = await admin.get('/api/v1/customer-reports?status=open');
    expect(open.json().items.map((r: { id: string }) => r.id)).not.toContain(id);
  });

  it('refuses to merge a report that is not about a duplicate', async () => {
    const c = await seedCustomer(db, { name: '午未食品', owner_id: ids.alice });
    const id = await report(c, 'other');
    const res = await admin.post(`/api/v1/customer-reports/${id}/resolve`, { action: 'merge' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('action');
  });

  it('answers 404 for an unknown report', async () => {
    expect((await admin.post(`/api/v1/customer-reports/${newId()}/resolve`, { action: 'dismiss' })).statusCode).toBe(404);
  });
});
