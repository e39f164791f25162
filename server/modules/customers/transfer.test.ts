import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@server/test/app';
import { createPosition, createUser, permissions, rowCounts } from '@server/test/factories';
import { loginAs } from '@server/test/app';
import { newId } from '@server/db/ids';
import { seedCustomer } from './testing';
import { inDays, ownerOf, poolWorld, seedFollowUp, seedSchedule, setSettings } from './pool-testing';

/** 移交: customers with their open schedules and follow-ups; all or nothing; the user-left handover. */

let t: TestApp;
let w: Awaited<ReturnType<typeof poolWorld>>;

beforeAll(async () => {
  t = await createTestApp();
  w = await poolWorld(t);
});
afterAll(() => t?.close());

async function ownersOf(table: 'schedules' | 'follow_ups', ids: string[]) {
  const rows = await w.db.selectFrom(table).select(['id', 'owner_id', 'owner_department_id']).where('id', 'in', ids).execute();
  return Object.fromEntries(ids.map((id) => [id, rows.find((r) => r.id === id)!.owner_id]));
}

describe('transfer', () => {
  it('moves many customers with the previous owner’s open schedules and open follow-ups; done ones stay', async () => {
    const { db, alice, bob, carol } = w;
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await seedCustomer(db, { name: `移交测试客户${i}有限公司`, owner_id: alice.id }));
    const open = await seedSchedule(db, { ownerId: alice.id, customerId: ids[0] });
    const open2 = await seedSchedule(db, { ownerId: alice.id, customerId: ids[5] });
    const done = await seedSchedule(db, { ownerId: alice.id, customerId: ids[0], done: true });
    const someoneElses = await seedSchedule(db, { ownerId: carol.id, customerId: ids[1] });
    const future = await seedFollowUp(db, { ownerId: alice.id, customerId: ids[2], nextAt: inDays(3) });
    const past = await seedFollowUp(db, { ownerId: alice.id, customerId: ids[2], nextAt: inDays(-3) });
    const none = await seedFollowUp(db, { ownerId: alice.id, customerId: ids[3], nextAt: null });
    const contact = await db
      .insertInto('contacts')
      .values({
        id: newId(),
        customer_id: ids[4],
        name: '张三',
        title: null,
        department: null,
        mobile: '13800138000',
        phone: null,
        email: null,
        wechat: null,
        birthday: null,
        hobbies: null,
        id_number: null,
        notes: null,
        is_primary: 1,
        decision_maker: 0,
        reports_to_id: null,
        custom: '{}',
        version: 1,
        created_by: alice.id,
        created_at: new Date().toISOString(),
        updated_at: new Date().toISOString(),
        deleted_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    const res = await alice.client.post('/api/v1/customers/transfer', { ids, toUserId: bob.id, note: '调岗移交' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ transferred: 12, done: 12, schedules: 2, followUps: 1 });

    for (const id of ids) expect(await ownerOf(db, id)).toBe(bob.id);
    expect(await ownersOf('schedules', [open, open2, done, someoneElses])).toEqual({
      [open]: bob.id,
      [open2]: bob.id,
      [done]: alice.id,
      [someoneElses]: carol.id,
    });
    expect(await ownersOf('follow_ups', [future, past, none])).toEqual({ [future]: bob.id, [past]: alice.id, [none]: alice.id });
    const moved = await db.selectFrom('schedules').select('owner_department_id').where('id', '=', open).executeTakeFirstOrThrow();
    expect(moved.owner_department_id).toBe(w.deptA);
    // contacts hang on the customer: still there, now under bob's customer
    const c = await db.selectFrom('contacts').select('customer_id').where('id', '=', contact.id).executeTakeFirstOrThrow();
    expect(await ownerOf(db, c.customer_id)).toBe(bob.id);

    const history = (await bob.client.get(`/api/v1/customers/${ids[0]}/owner-history`)).json().items;
    expect(history[0]).toMatchObject({
      fromUserId: alice.id,
      toUserId: bob.id,
      reason: 'transfer',
      note: '调岗移交',
      actorName: alice.name,
    });
    const audits = await db.selectFrom('audit_log').select(['action', 'entity']).where('entity_id', 'in', [ids[0], open, future]).execute();
    expect(audits.map((a) => `${a.entity}:${a.action}`).sort()).toEqual(['customer:transfer', 'follow_up:transfer', 'schedule:transfer']);
  });

  it('refuses the whole request when one customer is out of scope, naming it, and writes nothing', async () => {
    const { db, alice, bob, carol } = w;
    const mine = await seedCustomer(db, { name: '范围测试甲有限公司', owner_id: alice.id });
    const theirs = await seedCustomer(db, { name: '范围测试乙有限公司', owner_id: carol.id });
    const s = await seedSchedule(db, { ownerId: alice.id, customerId: mine });
    const before = await rowCounts(db);

    const res = await alice.client.post('/api/v1/customers/transfer', { ids: [mine, theirs], toUserId: bob.id });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toMatchObject([{ field: 'ids.1', code: 'out_of_scope' }]);
    expect(await rowCounts(db)).toEqual(before);
    expect(await ownerOf(db, mine)).toBe(alice.id);
    expect((await ownersOf('schedules', [s]))[s]).toBe(alice.id);

    // a pool customer is assigned or claimed, not transferred
    const pooled = await seedCustomer(db, { name: '范围测试丙有限公司' });
    const inPool = await alice.client.post('/api/v1/customers/transfer', { ids: [pooled, mine], toUserId: bob.id });
    expect(inPool.statusCode).toBe(400);
    expect(inPool.json().errors).toMatchObject([{ field: 'ids.0', code: 'in_pool' }]);

    // the target must be an active user
    const left = await createUser(db, { username: 'gone', name: '已离职员工', departmentId: w.deptA, status: 'left' });
    const gone = await alice.client.post('/api/v1/customers/transfer', { ids: [mine], toUserId: left.id });
    expect(gone.statusCode).toBe(400);
    expect(gone.json().errors).toMatchObject([{ field: 'toUserId', code: 'inactive' }]);
    expect(await ownerOf(db, mine)).toBe(alice.id);
  });

  it('needs the transfer right', async () => {
    const { db } = w;
    const pos = await createPosition(db, {
      name: '不能移交',
      permissions: permissions({ customers: { actions: ['view', 'edit'], scope: 'self' } }),
    });
    const u = await createUser(db, { username: 'notransfer', positionId: pos, departmentId: w.deptA });
    const client = await loginAs(t.app, u.username, u.password);
    const id = await seedCustomer(db, { name: '无权移交客户有限公司', owner_id: u.id });
    expect((await client.post('/api/v1/customers/transfer', { ids: [id], toUserId: w.bob.id })).statusCode).toBe(403);
    expect(await ownerOf(db, id)).toBe(u.id);
  });

  it('caps count only the customers new to the target', async () => {
    const { db, admin, alice, carol } = w;
    await db.updateTable('customers').set({ owner_id: null, owner_department_id: null }).where('owner_id', '=', carol.id).execute();
    const c1 = await seedCustomer(db, { name: '上限测试一有限公司', owner_id: carol.id });
    await seedCustomer(db, { name: '上限测试二有限公司', owner_id: carol.id });
    const a1 = await seedCustomer(db, { name: '上限测试三有限公司', owner_id: alice.id });
    const a2 = await seedCustomer(db, { name: '上限测试四有限公司', owner_id: alice.id });
    await setSettings(admin, { caps: { perUser: 3, perDepartment: 0, countDeals: true } });
    // carol holds 2; the admin moves [c1 (hers already), a1, a2]: 2 new → 4 > 3
    const refused = await admin.post('/api/v1/customers/transfer', { ids: [c1, a1, a2], toUserId: carol.id });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('customer_cap_reached');
    expect(await ownerOf(db, a1)).toBe(alice.id);
    await setSettings(admin, { caps: { perUser: 4 } });
    const ok = await admin.post('/api/v1/customers/transfer', { ids: [c1, a1, a2], toUserId: carol.id });
    expect(ok.statusCode, ok.body).toBe(200);
    // c1 was carol's already: two moved
    expect(ok.json()).toMatchObject({ transferred: 2, done: 2 });
    await setSettings(admin, { caps: { perUser: 0 } });
  });
});

describe('user-left handover', () => {
  it('hands a leaver’s customers, open schedules and open follow-ups to the successor', async () => {
    const { db, admin, bob } = w;
    const leaver = await createUser(db, { username: 'leaver', name: '周离职', departmentId: w.deptB });
    const ids = [
      await seedCustomer(db, { name: '交接客户一有限公司', owner_id: leaver.id }),
      await seedCustomer(db, { name: '交接客户二有限公司', owner_id: leaver.id }),
    ];
    const s = await seedSchedule(db, { ownerId: leaver.id, customerId: ids[0] });
    const f = await seedFollowUp(db, { ownerId: leaver.id, customerId: ids[1], nextAt: inDays(1) });

    const summary = await admin.get(`/api/v1/users/${leaver.id}/handover`);
    expect(summary.statusCode, summary.body).toBe(200);
    expect(summary.json().items).toContainEqual({ entity: 'customers', labelKey: 'pool.handover.customers', count: 2 });

    const res = await admin.post(`/api/v1/users/${leaver.id}/handover`, { toUserId: bob.id, entities: ['customers'] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items).toEqual([{ entity: 'customers', moved: 2 }]);
    for (const id of ids) expect(await ownerOf(db, id)).toBe(bob.id);
    expect((await ownersOf('schedules', [s]))[s]).toBe(bob.id);
    expect((await ownersOf('follow_ups', [f]))[f]).toBe(bob.id);
    const history = (await bob.client.get(`/api/v1/customers/${ids[0]}/owner-history`)).json().items;
    expect(history[0]).toMatchObject({ fromUserId: leaver.id, toUserId: bob.id, reason: 'handover' });
  });
});
