import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OverdueGroup } from '@common/schemas/followups';
import type { Db } from '@server/db/types';
import type { Auth } from '@server/platform/access/types';
import { Client, createTestApp, loginAs, setupAdmin, type TestApp } from '@server/test/app';
import { createDepartment, createPosition, createUser, permissions } from '@server/test/factories';
import { seedCustomer } from './testing';
import { addDays, localDate, overdueVisits, remindOverdueVisits, startOfDay } from './visit-cycle';

/**
 * 拜访周期 with a controllable clock, in the company's time zone (Asia/Shanghai, UTC+8): a contact
 * on 2026-01-05 23:30 local (15:30 UTC) with the 7-day cycle of 直销 is overdue from 2026-01-13
 * 00:00 local (2026-01-12 16:00 UTC), not a minute earlier.
 */

let t: TestApp;
let db: Db;
let admin: Client;
const u = {} as Record<'a' | 'b', { id: string; username: string; password: string }>;
const c = {} as Record<string, string>;

/** An admin's view, for calling the service with a clock. */
const adminAuth = (): Auth => ({
  user: {
    id: 'admin',
    username: 'admin',
    name: 'admin',
    email: null,
    departmentId: null,
    positionId: null,
    supervisorId: null,
    isAdmin: true,
    mustChangePassword: false,
    locale: null,
  },
  caps: { isAdmin: true, permissions: { modules: {}, fields: {} } },
  via: 'cookie',
});

const overdueIds = async (now: string) => {
  const { items } = await overdueVisits(db, adminAuth(), {}, new Date(now));
  return Object.fromEntries(items.map((g) => [g.ownerId, g.customers.map((x) => [x.id, x.daysOverdue])]));
};

beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
  admin = await setupAdmin(t.app);
  const company = (await db.selectFrom('departments').select('id').executeTakeFirstOrThrow()).id;
  const sales = await createDepartment(db, { name: '销售部', parentId: company });
  const market = await createDepartment(db, { name: '市场部', parentId: company });
  const staff = await createPosition(db, {
    name: '销售专员',
    permissions: permissions({
      customers: { actions: ['view'], scope: 'self' },
      followups: { actions: ['view', 'create'], scope: 'self' },
    }),
  });
  u.a = await createUser(db, { username: 'vc.a', name: '张三', departmentId: sales, positionId: staff });
  u.b = await createUser(db, { username: 'vc.b', name: '李四', departmentId: market, positionId: staff });
  const old = '2025-12-01T00:00:00.000Z';
  const seed = (name: string, fields: Record<string, unknown>) =>
    seedCustomer(db, { name, created_at: old, category: 'direct', ...fields });
  c.evening = await seed('晚上联系的客户', { owner_id: u.a.id, last_contact_at: '2026-01-05T15:30:00.000Z' });
  c.midnight = await seed('零点后联系的客户', { owner_id: u.a.id, last_contact_at: '2026-01-05T16:30:00.000Z' });
  c.never = await seed('从未联系的客户', { owner_id: u.a.id });
  c.channel = await seed('渠道客户', { owner_id: u.a.id, category: 'channel', last_contact_at: '2026-01-01T00:00:00.000Z' });
  c.pool = await seed('公海客户', { owner_id: null });
  c.nocat = await seed('未分类客户', { owner_id: u.a.id, category: null });
  c.deleted = await seed('已删除客户', { owner_id: u.a.id, deleted_at: old });
  c.b = await seed('李四的客户', { owner_id: u.b.id, last_contact_at: '2025-12-20T02:00:00.000Z' });
});
afterAll(() => t.close());

describe('company-time calendar days', () => {
  it('finds the local date and the instant a local day starts', () => {
    expect(localDate(new Date('2026-01-12T15:59:00Z'), 'Asia/Shanghai')).toBe('2026-01-12');
    expect(localDate(new Date('2026-01-12T16:00:00Z'), 'Asia/Shanghai')).toBe('2026-01-13');
    expect(startOfDay('2026-01-13', 'Asia/Shanghai').toISOString()).toBe('2026-01-12T16:00:00.000Z');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    // a zone with daylight saving: 2026-03-08 begins at 05:00 UTC in New York (still EST)
    expect(startOfDay('2026-03-08', 'America/New_York').toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(startOfDay('2026-03-09', 'America/New_York').toISOString()).toBe('2026-03-09T04:00:00.000Z');
  });
});

describe('overdue customers with a clock', () => {
  it('turns overdue at local midnight after the cycle, not by UTC days', async () => {
    // 2026-01-12 23:59 Shanghai: the evening contact is 7 days old, still on time
    expect(await overdueIds('2026-01-12T15:59:00.000Z')).toEqual({
      [u.a.id]: [[c.never, 35]],
      [u.b.id]: [[c.b, 16]],
    });
    // 2026-01-13 00:00 Shanghai (still 01-12 in UTC): overdue by one day
    expect(await overdueIds('2026-01-12T16:00:00.000Z')).toEqual({
      [u.a.id]: [
        [c.never, 36],
        [c.evening, 1],
      ],
      [u.b.id]: [[c.b, 17]],
    });
    // 2026-01-13 23:00 Shanghai (already 01-13 in UTC): the 00:30 contact of 01-06 is still on time
    const late = await overdueIds('2026-01-13T15:00:00.000Z');
    expect(late[u.a.id].map((x) => x[0])).not.toContain(c.midnight);
    expect((await overdueIds('2026-01-13T16:00:00.000Z'))[u.a.id]).toContainEqual([c.midnight, 1]);
  });

  it('lists per owner within the viewer scope, with a count and the most overdue first', async () => {
    const res = await admin.get('/api/v1/customers/overdue-visits');
    expect(res.statusCode, res.body).toBe(200);
    const groups: OverdueGroup[] = res.json().items;
    // everything dated 2026-01 or earlier is long overdue by the real clock (the 30-day channel one too)
    expect(groups.map((g) => [g.ownerName, g.count])).toEqual([
      ['张三', 4],
      ['李四', 1],
    ]);
    const a = groups[0].customers;
    expect(a[0]).toMatchObject({ id: c.never, name: '从未联系的客户', lastContactAt: null });
    expect(a.map((x) => x.daysOverdue)).toEqual([...a.map((x) => x.daysOverdue)].sort((p, q) => q - p));

    const onlyB = (await admin.get(`/api/v1/customers/overdue-visits?ownerId=${u.b.id}`)).json().items;
    expect(onlyB.map((g: OverdueGroup) => g.ownerId)).toEqual([u.b.id]);
    // a salesperson with the self scope sees their own group only
    const mine = await loginAs(t.app, u.a.username, u.a.password);
    const own = (await mine.get('/api/v1/customers/overdue-visits')).json().items;
    expect(own.map((g: OverdueGroup) => g.ownerId)).toEqual([u.a.id]);

    // a follow-up is contact: that customer is no longer overdue
    const f = await mine.post('/api/v1/follow-ups', { customerId: c.evening, type: 'visit', content: '上门拜访' });
    expect(f.statusCode, f.body).toBe(201);
    const after = (await mine.get('/api/v1/customers/overdue-visits')).json().items[0];
    expect(after.count).toBe(3);
    expect(after.customers.map((x: { id: string }) => x.id)).not.toContain(c.evening);
    await db.updateTable('customers').set({ last_contact_at: '2026-01-05T15:30:00.000Z' }).where('id', '=', c.evening).execute();
    await db.deleteFrom('follow_ups').execute();
  });
});

describe('the daily reminder', () => {
  it('tells each owner once a day with the count and records one quality event per overdue customer per day', async () => {
    const ctx = { db, realtime: t.app.ctx.realtime };
    const notices = () =>
      db.selectFrom('notifications').select(['user_id', 'title']).where('type', '=', 'customer.overdue_visits').orderBy('id').execute();
    const events = () =>
      db.selectFrom('customer_quality_events').select(['user_id', 'customer_id', 'at']).where('kind', '=', 'overdue_visit').execute();

    // 09:00 on 2026-01-13, Shanghai
    const first = await remindOverdueVisits(ctx, new Date('2026-01-13T01:00:00.000Z'));
    expect(first).toEqual({ owners: 2, events: 3 });
    expect((await notices()).map((n) => [n.user_id, n.title]).sort()).toEqual(
      [
        [u.a.id, '你有 2 个客户超过拜访周期未联系'],
        [u.b.id, '你有 1 个客户超过拜访周期未联系'],
      ].sort(),
    );
    expect((await events()).map((e) => e.customer_id).sort()).toEqual([c.never, c.evening, c.b].sort());

    // a second run the same day (a retry) adds nothing
    expect(await remindOverdueVisits(ctx, new Date('2026-01-13T06:00:00.000Z'))).toEqual({ owners: 0, events: 0 });
    expect(await notices()).toHaveLength(2);

    // the next day: the midnight contact is overdue too; each owner is told again, once
    const next = await remindOverdueVisits(ctx, new Date('2026-01-14T01:00:00.000Z'));
    expect(next).toEqual({ owners: 2, events: 4 });
    const all = await notices();
    expect(all).toHaveLength(4);
    expect(
      all
        .slice(2)
        .map((n) => n.title)
        .sort(),
    ).toEqual(['你有 1 个客户超过拜访周期未联系', '你有 3 个客户超过拜访周期未联系']);
    expect((await events()).filter((e) => e.customer_id === c.midnight)).toHaveLength(1);
  });
});
