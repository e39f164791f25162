import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Action, Scope } from '@common/permissions';
import type { Schedule } from '@common/schemas/followups';
import type { Db } from '@server/db/types';
import { Client, createTestApp, loginAs, setupAdmin, type TestApp } from '@server/test/app';
import { createDepartment, createPosition, createUser, permissions, setPositionPermissions } from '@server/test/factories';
import { seedCustomer } from './testing';
import { REMINDER_JOB, sendScheduleReminders } from './schedules.service';
import { OVERDUE_JOB } from './visit-cycle';

/**
 * 日程 through the API: done counts as contact, the calendar range (multi-day overlaps, team and
 * one-user views within scope), assigning to a subordinate, and the reminder job with a clock.
 */

let t: TestApp;
let db: Db;
let admin: Client;
let manager: Client;
let staff: Client;
const u = {} as Record<'manager' | 'sub' | 'other', { id: string; username: string; password: string }>;
let managerPosition: string;

const MIN = 60_000;
const DAY = 86_400_000;
const ahead = (ms: number) => new Date(Date.now() + ms).toISOString();
const ALL: Action[] = ['view', 'create', 'edit', 'delete'];

async function grant(scope: Scope) {
  await setPositionPermissions(
    db,
    managerPosition,
    permissions({ customers: { actions: ['view'], scope: 'self' }, followups: { actions: ALL, scope } }),
  );
}

async function create(c: Client, body: Record<string, unknown>): Promise<Schedule> {
  const res = await c.post('/api/v1/schedules', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function calendar(c: Client, from: string, to: string, extra = ''): Promise<string[]> {
  const res = await c.get(`/api/v1/schedules?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}${extra}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items.map((s: Schedule) => s.title);
}

beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
  admin = await setupAdmin(t.app);
  const company = (await db.selectFrom('departments').select('id').executeTakeFirstOrThrow()).id;
  const sales = await createDepartment(db, { name: '销售部', parentId: company });
  const market = await createDepartment(db, { name: '市场部', parentId: company });
  managerPosition = await createPosition(db, { name: '销售经理' });
  const staffPosition = await createPosition(db, {
    name: '销售专员',
    permissions: permissions({ customers: { actions: ['view'], scope: 'self' }, followups: { actions: ALL, scope: 'self' } }),
  });
  const m = await createUser(db, { username: 'sc.manager', name: '王经理', departmentId: sales, positionId: managerPosition });
  u.manager = m;
  u.sub = await createUser(db, { username: 'sc.sub', name: '刘洋', departmentId: sales, supervisorId: m.id, positionId: staffPosition });
  u.other = await createUser(db, { username: 'sc.other', name: '马超', departmentId: market, positionId: staffPosition });
  await grant('subordinates');
  manager = await loginAs(t.app, u.manager.username, u.manager.password);
  staff = await loginAs(t.app, u.sub.username, u.sub.password);
});
afterAll(() => t.close());

describe('a schedule marked done counts as contact', () => {
  it('sets last contact at the done time; undoing takes it back; deleting a done one too', async () => {
    const customerId = await seedCustomer(db, { name: '深圳市任我行科技有限公司', owner_id: u.manager.id });
    const s = await create(manager, { title: '拜访任我行', startAt: ahead(-2 * DAY), customerId });
    expect(s).toMatchObject({ customerName: '深圳市任我行科技有限公司', ownerId: u.manager.id, done: false, canEdit: true });
    const last = async () =>
      (await db.selectFrom('customers').select('last_contact_at').where('id', '=', customerId).executeTakeFirstOrThrow()).last_contact_at;
    expect(await last()).toBeNull();

    const done = await manager.post(`/api/v1/schedules/${s.id}/done`, { done: true });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().done).toBe(true);
    expect(await last()).toBe(done.json().doneAt);
    // marking done again changes nothing
    const again = await manager.post(`/api/v1/schedules/${s.id}/done`, { done: true });
    expect(again.json().doneAt).toBe(done.json().doneAt);

    expect((await manager.post(`/api/v1/schedules/${s.id}/done`, { done: false })).json().done).toBe(false);
    expect(await last()).toBeNull();

    const redo = await manager.post(`/api/v1/schedules/${s.id}/done`, { done: true });
    expect(await last()).toBe(redo.json().doneAt);
    expect((await manager.delete(`/api/v1/schedules/${s.id}`)).statusCode).toBe(204);
    expect(await last()).toBeNull();
    const actions = await db
      .selectFrom('audit_log')
      .select('action')
      .where('entity', '=', 'schedule')
      .where('entity_id', '=', s.id)
      .execute();
    expect(actions.map((a) => a.action)).toEqual(['create', 'done', 'undone', 'done', 'delete']);
  });

  it('refuses a pool customer and one out of scope', async () => {
    const pool = await seedCustomer(db, { name: '公海里的客户', owner_id: null });
    const res = await manager.post('/api/v1/schedules', { title: '公海', startAt: ahead(DAY), customerId: pool });
    expect(res.json().code).toBe('customer_in_pool');
    const theirs = await seedCustomer(db, { name: '马超的客户', owner_id: u.other.id });
    expect((await manager.post('/api/v1/schedules', { title: '越权', startAt: ahead(DAY), customerId: theirs })).statusCode).toBe(404);
  });

  it('refuses an end before the start', async () => {
    const res = await manager.post('/api/v1/schedules', { title: '倒序', startAt: ahead(2 * DAY), endAt: ahead(DAY) });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('endAt');
  });
});

describe('the calendar', () => {
  // 2030-03-10 in Shanghai is [2030-03-09T16:00Z, 2030-03-10T16:00Z)
  const from = '2030-03-10T00:00:00+08:00';
  const to = '2030-03-11T00:00:00+08:00';

  beforeAll(async () => {
    await db.deleteFrom('schedules').execute();
    const mine = [
      { title: '上午会议', startAt: '2030-03-10T09:00:00+08:00', endAt: '2030-03-10T10:00:00+08:00' },
      { title: '出差三天', startAt: '2030-03-08T08:00:00+08:00', endAt: '2030-03-12T18:00:00+08:00', allDay: true },
      { title: '前一天结束', startAt: '2030-03-09T20:00:00+08:00', endAt: '2030-03-10T00:00:00+08:00' },
      { title: '零点提醒', startAt: '2030-03-10T00:00:00+08:00' },
      { title: '第二天', startAt: '2030-03-11T00:00:00+08:00' },
      { title: '下周', startAt: '2030-03-17T09:00:00+08:00' },
    ];
    for (const s of mine) await create(manager, s);
    await create(staff, { title: '下属拜访', startAt: '2030-03-10T14:00:00+08:00' });
    await create(admin, { title: '别部门的', startAt: '2030-03-10T15:00:00+08:00', ownerId: u.other.id });
  });

  it('returns my schedules overlapping the range, a multi-day one included, earliest first', async () => {
    expect(await calendar(manager, from, to)).toEqual(['出差三天', '零点提醒', '上午会议']);
    // a week and a month
    expect(await calendar(manager, '2030-03-09T00:00:00+08:00', '2030-03-16T00:00:00+08:00')).toEqual([
      '出差三天',
      '前一天结束',
      '零点提醒',
      '上午会议',
      '第二天',
    ]);
    expect((await calendar(manager, '2030-03-01T00:00:00+08:00', '2030-04-01T00:00:00+08:00')).length).toBe(6);
  });

  it('shows my team within my follow-up scope, and one user only within it', async () => {
    expect(await calendar(manager, from, to, '&view=team')).toEqual(['出差三天', '零点提醒', '上午会议', '下属拜访']);
    expect(await calendar(manager, from, to, `&userId=${u.sub.id}`)).toEqual(['下属拜访']);
    expect(await calendar(manager, from, to, `&userId=${u.other.id}`)).toEqual([]);
    // the subordinate's own scope is self: the team view is only their own
    expect(await calendar(staff, from, to, '&view=team')).toEqual(['下属拜访']);
    await grant('all');
    expect(await calendar(manager, from, to, '&view=team')).toEqual(['出差三天', '零点提醒', '上午会议', '下属拜访', '别部门的']);
    await grant('subordinates');
  });

  it('needs a range, and not more than a year', async () => {
    expect((await manager.get('/api/v1/schedules')).statusCode).toBe(400);
    const wide = await manager.get(`/api/v1/schedules?from=2030-01-01T00:00:00Z&to=2031-06-01T00:00:00Z`);
    expect(wide.statusCode).toBe(400);
    expect(wide.json().errors[0].field).toBe('to');
  });
});

describe('assigning', () => {
  it('a manager assigns to a subordinate and edits it; not to someone outside the scope', async () => {
    const s = await create(manager, { title: '安排下属回访', startAt: ahead(DAY), ownerId: u.sub.id });
    expect(s).toMatchObject({ ownerId: u.sub.id, ownerName: '刘洋', createdBy: u.manager.id, canEdit: true });
    const out = await manager.post('/api/v1/schedules', { title: '越权安排', startAt: ahead(DAY), ownerId: u.other.id });
    expect(out.statusCode).toBe(400);
    expect(out.json().errors[0].field).toBe('ownerId');
    const moved = await manager.patch(`/api/v1/schedules/${s.id}`, { version: s.version, title: '改期回访', startAt: ahead(2 * DAY) });
    expect(moved.statusCode, moved.body).toBe(200);
    // the subordinate sees and may complete it; may not hand it to someone outside their own scope
    expect((await staff.get(`/api/v1/schedules/${s.id}`)).json().title).toBe('改期回访');
    const reassign = await staff.patch(`/api/v1/schedules/${s.id}`, { version: moved.json().version, ownerId: u.manager.id });
    expect(reassign.statusCode).toBe(400);
    expect((await staff.post(`/api/v1/schedules/${s.id}/done`, { done: true })).statusCode).toBe(200);
    // someone outside sees nothing
    const other = await loginAs(t.app, u.other.username, u.other.password);
    expect((await other.get(`/api/v1/schedules/${s.id}`)).statusCode).toBe(404);
    expect((await other.post(`/api/v1/schedules/${s.id}/done`, { done: false })).statusCode).toBe(404);
  });

  it("lists a customer's schedules to its owner, a colleague's included", async () => {
    const customerId = await seedCustomer(db, { name: '东莞长安五金', owner_id: u.sub.id });
    await db
      .insertInto('customer_team')
      .values({ customer_id: customerId, user_id: u.other.id, access: 'read', added_at: new Date().toISOString() })
      .execute();
    const other = await loginAs(t.app, u.other.username, u.other.password);
    const theirs = await create(other, { title: '协助拜访', startAt: ahead(DAY), customerId });
    const mine = await create(staff, { title: '自己拜访', startAt: ahead(2 * DAY), customerId });
    const res = await staff.get(`/api/v1/schedules?customerId=${customerId}`);
    expect(res.json().items.map((s: Schedule) => [s.id, s.canEdit])).toEqual([
      [mine.id, true],
      [theirs.id, false],
    ]);
    expect((await staff.patch(`/api/v1/schedules/${theirs.id}`, { version: 1, title: '改' })).statusCode).toBe(403);
  });
});

describe('reminders', () => {
  it('go to the owner once when the reminder time is reached; never for done or deleted ones', async () => {
    await db.deleteFrom('schedules').execute();
    const base = Date.now();
    const start = new Date(base + 60 * MIN).toISOString();
    const reminded = await create(manager, { title: '客户来访', startAt: start, remindMinutes: 15, ownerId: u.sub.id });
    const done = await create(manager, { title: '已完成的', startAt: start, remindMinutes: 15 });
    const gone = await create(manager, { title: '已删除的', startAt: start, remindMinutes: 15 });
    await create(manager, { title: '不提醒的', startAt: start });
    await manager.post(`/api/v1/schedules/${done.id}/done`, { done: true });
    await manager.delete(`/api/v1/schedules/${gone.id}`);
    const ctx = { db, realtime: t.app.ctx.realtime };
    const notes = async () => db.selectFrom('notifications').selectAll().where('type', '=', 'schedule.reminder').execute();

    expect(await sendScheduleReminders(ctx, new Date(base + 44 * MIN))).toBe(0);
    expect(await notes()).toEqual([]);
    expect(await sendScheduleReminders(ctx, new Date(base + 46 * MIN))).toBe(1);
    const sent = await notes();
    expect(sent.map((n) => [n.user_id, n.title])).toEqual([[u.sub.id, '日程提醒：客户来访']]);
    expect(sent[0].body).toMatch(/^开始时间：\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(await sendScheduleReminders(ctx, new Date(base + 50 * MIN))).toBe(0);
    expect(await notes()).toHaveLength(1);
    expect((await manager.get(`/api/v1/schedules/${reminded.id}`)).json().remindedAt).not.toBeNull();

    // moving the start re-arms the reminder
    const s = (await manager.get(`/api/v1/schedules/${reminded.id}`)).json();
    await manager.patch(`/api/v1/schedules/${reminded.id}`, { version: s.version, startAt: new Date(base + 3 * DAY).toISOString() });
    expect(await sendScheduleReminders(ctx, new Date(base + 50 * MIN))).toBe(0);
    expect(await sendScheduleReminders(ctx, new Date(base + 3 * DAY - 14 * MIN))).toBe(1);
  });

  it('runs as the every-minute job of the queue', async () => {
    await db.deleteFrom('schedules').execute();
    await db.deleteFrom('notifications').execute();
    const s = await create(manager, { title: '五分钟后开会', startAt: ahead(5 * MIN), remindMinutes: 10 });
    const jobs = t.app.ctx.jobs;
    await jobs.syncSchedules();
    const cron = await db
      .selectFrom('job_schedules')
      .select(['name', 'cron'])
      .where('name', 'in', [REMINDER_JOB, OVERDUE_JOB])
      .orderBy('name')
      .execute();
    expect(cron).toEqual([
      { name: OVERDUE_JOB, cron: '0 9 * * *' },
      { name: REMINDER_JOB, cron: '* * * * *' },
    ]);
    await jobs.enqueue(db, REMINDER_JOB);
    await jobs.runDue();
    const sent = await db.selectFrom('notifications').select(['user_id', 'data']).where('type', '=', 'schedule.reminder').execute();
    expect(sent.map((n) => n.user_id)).toEqual([u.manager.id]);
    expect(JSON.parse(sent[0].data!)).toMatchObject({ scheduleId: s.id });
  });

  it('a schedule entered after it started is not reminded', async () => {
    await db.deleteFrom('schedules').execute();
    await create(manager, { title: '补录的', startAt: ahead(-30 * MIN), remindMinutes: 10 });
    expect(await sendScheduleReminders({ db, realtime: t.app.ctx.realtime }, new Date())).toBe(0);
  });
});

describe('handover (离职交接)', () => {
  it("gives the leaver's open schedules to the successor; done ones stay as history", async () => {
    const leaver = await createUser(db, { username: 'sc.leaver', name: '离职者', positionId: managerPosition });
    const open = await create(admin, { title: '未完成', startAt: ahead(DAY), ownerId: leaver.id });
    const done = await create(admin, { title: '已完成', startAt: ahead(-DAY), ownerId: leaver.id });
    await admin.post(`/api/v1/schedules/${done.id}/done`, { done: true });
    expect((await admin.post(`/api/v1/users/${leaver.id}/status`, { status: 'left' })).statusCode).toBe(200);
    const summary = (await admin.get(`/api/v1/users/${leaver.id}/handover`)).json().items;
    expect(summary).toContainEqual({ entity: 'schedules', labelKey: 'schedules.handover', count: 1 });
    const res = await admin.post(`/api/v1/users/${leaver.id}/handover`, { toUserId: u.manager.id, entities: ['schedules'] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items).toEqual([{ entity: 'schedules', moved: 1 }]);
    expect((await admin.get(`/api/v1/schedules/${open.id}`)).json()).toMatchObject({ ownerId: u.manager.id, ownerName: '王经理' });
    expect((await admin.get(`/api/v1/schedules/${done.id}`)).json().ownerId).toBe(leaver.id);
  });
});
