import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportantDate } from '@common/schemas/important-dates';
import type { Db } from '@server/db/types';
import { nowIso } from '@server/db/ids';
import { Client, createTestApp, loginAs, setupAdmin, type TestApp } from '@server/test/app';
import { createPosition, createUser, permissions } from '@server/test/factories';
import { seedCustomer } from './testing';
import { IMPORTANT_DATES_JOB, nextOccurrence, remindImportantDates } from './important-dates.service';

/** Important dates (重要日期): API, and the daily reminder to the customer's owner (company time zone Asia/Shanghai). */

let t: TestApp;
let db: Db;
let admin: Client;
let owner: Client;
let ownerId: string;
let viewer: Client;

const base = '/api/v1/important-dates';

/** 08:00 in Shanghai on the given local day. */
const at8 = (day: string) => new Date(`${day}T00:00:00Z`);
const remind = (day: string) => remindImportantDates({ db, realtime: t.app.ctx.realtime }, at8(day));

async function notices(customerId: string) {
  return db
    .selectFrom('notifications')
    .select(['user_id', 'title', 'body', 'link', 'data'])
    .where('link', '=', `/customers/${customerId}`)
    .orderBy('id')
    .execute();
}

async function addDate(c: Client, body: Record<string, unknown>): Promise<ImportantDate> {
  const res = await c.post(base, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
  admin = await setupAdmin(t.app);
  const editor = await createPosition(db, {
    name: '销售',
    permissions: permissions({
      customers: { actions: ['view', 'edit'], scope: 'self' },
      contacts: { actions: ['view', 'create', 'edit'], scope: 'self' },
    }),
  });
  const reader = await createPosition(db, { name: '只读', permissions: permissions({ customers: { actions: ['view'], scope: 'all' } }) });
  const u = await createUser(db, { username: 'owner1', name: '客户负责人', positionId: editor });
  ownerId = u.id;
  owner = await loginAs(t.app, u.username, u.password);
  const v = await createUser(db, { username: 'viewer1', name: '旁观者', positionId: reader });
  viewer = await loginAs(t.app, v.username, v.password);
});
afterAll(() => t.close());

describe('next occurrence', () => {
  it('recurs yearly, keeps 29 Feb on 28 Feb in other years, and ends a one-off date once past', () => {
    expect(nextOccurrence('1980-01-02', 'yearly', '2026-12-30')).toBe('2027-01-02');
    expect(nextOccurrence('1980-12-31', 'yearly', '2026-12-30')).toBe('2026-12-31');
    expect(nextOccurrence('2000-02-29', 'yearly', '2027-01-10')).toBe('2027-02-28');
    expect(nextOccurrence('2000-02-29', 'yearly', '2027-12-01')).toBe('2028-02-29');
    expect(nextOccurrence('2030-06-01', 'yearly', '2026-12-30')).toBe('2030-06-01');
    expect(nextOccurrence('2026-12-30', 'once', '2026-12-30')).toBe('2026-12-30');
    expect(nextOccurrence('2026-12-29', 'once', '2026-12-30')).toBeNull();
  });
});

describe('API', () => {
  it('adds, lists and deletes the dates of a customer the user may edit', async () => {
    const customerId = await seedCustomer(db, { name: '上海浦江实业有限公司', owner_id: ownerId });
    const contact = await owner.post('/api/v1/contacts', { customerId, name: '周总', birthday: '1975-03-08' });
    expect(contact.statusCode, contact.body).toBe(201);
    const contactId = contact.json().id as string;
    const birthday = await addDate(owner, {
      customerId,
      contactId,
      title: '周总生日',
      date: '1975-03-08',
      repeat: 'yearly',
      remindDays: 3,
    });
    expect(birthday).toMatchObject({ contactName: '周总', repeat: 'yearly', remindDays: 3 });
    expect(birthday.nextOccurrence! >= nowIso().slice(0, 10)).toBe(true);
    const founded = await addDate(owner, { customerId, title: '公司成立纪念日', date: '2001-09-18', repeat: 'yearly' });
    expect(founded.remindDays).toBe(0);

    const listed = await viewer.get(`${base}?customerId=${customerId}`);
    expect(listed.statusCode, listed.body).toBe(200);
    expect((listed.json().items as ImportantDate[]).map((d) => d.id).sort()).toEqual([birthday.id, founded.id].sort());

    // read-only users may look but not change
    expect((await viewer.post(base, { customerId, title: '签约日', date: '2026-01-01', repeat: 'once' })).statusCode).toBe(403);
    expect((await viewer.delete(`${base}/${founded.id}`)).statusCode).toBe(403);

    expect((await owner.delete(`${base}/${founded.id}`)).statusCode).toBe(204);
    expect((await owner.delete(`${base}/${founded.id}`)).statusCode).toBe(404);
    const after = await owner.get(`${base}?customerId=${customerId}`);
    expect((after.json().items as ImportantDate[]).map((d) => d.id)).toEqual([birthday.id]);
    const audit = await admin.get(`/api/v1/audit?entity=important_date&entityId=${founded.id}`);
    expect((audit.json().items as { action: string }[]).map((e) => e.action).sort()).toEqual(['create', 'delete']);
  });

  it('checks the customer, the contact and the input', async () => {
    const other = await createUser(db, { username: 'other2', name: '别人' });
    const theirs = await seedCustomer(db, { name: '别人的客户', owner_id: other.id });
    expect((await owner.get(`${base}?customerId=${theirs}`)).statusCode).toBe(404);
    expect((await owner.post(base, { customerId: theirs, title: '生日', date: '1990-01-01', repeat: 'yearly' })).statusCode).toBe(404);

    const mine = await seedCustomer(db, { name: '我的客户', owner_id: ownerId });
    const stranger = await admin.post('/api/v1/contacts', { customerId: theirs, name: '外人' });
    const wrongContact = await owner.post(base, {
      customerId: mine,
      contactId: stranger.json().id,
      title: '生日',
      date: '1990-01-01',
      repeat: 'yearly',
    });
    expect(wrongContact.statusCode).toBe(400);
    expect(wrongContact.json().errors).toEqual([expect.objectContaining({ field: 'contactId', code: 'not_found' })]);
    for (const bad of [{ date: '1990-02-30' }, { repeat: 'monthly' }, { remindDays: 366 }, { remindDays: -1 }, { title: '' }]) {
      const res = await owner.post(base, { customerId: mine, title: '生日', date: '1990-01-01', repeat: 'yearly', ...bad });
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
    }
  });
});

describe('reminders', () => {
  it('reminds the owner of a yearly date across the year boundary, once per occurrence', async () => {
    const customerId = await seedCustomer(db, { name: '北京长城机械有限公司', owner_id: ownerId });
    await addDate(owner, { customerId, title: '元旦后答谢', date: '2010-01-02', repeat: 'yearly', remindDays: 5 });

    expect(await remind('2026-12-27')).toBe(0); // 6 days ahead: not yet
    expect(await remind('2026-12-28')).toBe(1);
    const [n] = await notices(customerId);
    expect(n).toMatchObject({ user_id: ownerId, link: `/customers/${customerId}` });
    expect(n.title).toContain('北京长城机械有限公司');
    expect(n.title).toContain('元旦后答谢');
    expect(n.body).toContain('2027-01-02');
    expect(JSON.parse(n.data!)).toMatchObject({ customerId, occurrence: '2027-01-02' });

    expect(await remind('2026-12-28')).toBe(0); // the same run again
    expect(await remind('2026-12-31')).toBe(0);
    expect(await remind('2027-01-02')).toBe(0);
    expect(await notices(customerId)).toHaveLength(1);

    expect(await remind('2027-12-29')).toBe(1); // next year's occurrence
    expect((await notices(customerId)).map((x) => JSON.parse(x.data!).occurrence)).toEqual(['2027-01-02', '2028-01-02']);
  });

  it('reminds of a one-off date on the day, and never again', async () => {
    const customerId = await seedCustomer(db, { name: '天津港湾船务有限公司', owner_id: ownerId });
    await addDate(owner, { customerId, title: '合同续签', date: '2027-03-10', repeat: 'once', remindDays: 0 });
    expect(await remind('2027-03-09')).toBe(0);
    expect(await remind('2027-03-10')).toBe(1);
    expect(await remind('2027-03-10')).toBe(0);
    expect(await remind('2028-03-10')).toBe(0);
    expect(await notices(customerId)).toHaveLength(1);
  });

  it('uses the company time zone for the day', async () => {
    const customerId = await seedCustomer(db, { name: '重庆山城火锅有限公司', owner_id: ownerId });
    await addDate(owner, { customerId, title: '开业纪念', date: '2015-06-01', repeat: 'yearly', remindDays: 0 });
    // 31 May 17:00 UTC is already 1 June 01:00 in Shanghai
    expect(await remindImportantDates({ db, realtime: t.app.ctx.realtime }, new Date('2027-05-31T15:00:00Z'))).toBe(0);
    expect(await remindImportantDates({ db, realtime: t.app.ctx.realtime }, new Date('2027-05-31T17:00:00Z'))).toBe(1);
  });

  it('keeps 29 February on 28 February in a non-leap year', async () => {
    const customerId = await seedCustomer(db, { name: '厦门鼓浪屿旅游有限公司', owner_id: ownerId });
    await addDate(owner, { customerId, title: '闰日生日', date: '1996-02-29', repeat: 'yearly', remindDays: 0 });
    expect(await remind('2027-02-27')).toBe(0);
    expect(await remind('2027-02-28')).toBe(1);
    expect(await remind('2027-03-01')).toBe(0);
  });

  it('reminds nobody for a customer in the public pool, nor for deleted dates', async () => {
    const pooled = await seedCustomer(db, { name: '公海里的客户', owner_id: ownerId });
    await addDate(owner, { customerId: pooled, title: '生日', date: '1990-08-08', repeat: 'yearly', remindDays: 1 });
    await db
      .updateTable('customers')
      .set({ owner_id: null, owner_department_id: null, pooled_at: nowIso() })
      .where('id', '=', pooled)
      .execute();
    const kept = await seedCustomer(db, { name: '删掉日期的客户', owner_id: ownerId });
    const d = await addDate(owner, { customerId: kept, title: '生日', date: '1990-08-08', repeat: 'yearly', remindDays: 1 });
    expect((await owner.delete(`${base}/${d.id}`)).statusCode).toBe(204);
    expect(await remind('2027-08-07')).toBe(0);
    expect(await notices(pooled)).toHaveLength(0);
    expect(await notices(kept)).toHaveLength(0);
  });

  it('is scheduled daily at 08:00 company time and runs as a job', async () => {
    const jobs = t.app.ctx.jobs;
    await jobs.syncSchedules();
    const row = await db.selectFrom('job_schedules').selectAll().where('name', '=', IMPORTANT_DATES_JOB).executeTakeFirstOrThrow();
    expect(row.cron).toBe('0 8 * * *');
    expect(row.next_run_at.slice(11, 19)).toBe('00:00:00'); // 08:00 in Shanghai
    await jobs.enqueue(db, IMPORTANT_DATES_JOB);
    expect(await jobs.runDue()).toBe(1);
    const job = await db.selectFrom('jobs').select('status').where('name', '=', IMPORTANT_DATES_JOB).executeTakeFirstOrThrow();
    expect(job.status).toBe('done');
  });
});
