import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@server/test/app';
import { seedCustomer } from './testing';
import { ownerOf, poolWorld, setSettings } from './pool-testing';
import { dayStart, localDate, POOL_RECYCLE_JOB, runPoolRecycle } from './pool-recycle';

/**
 * The daily recycle job with a controllable clock: warnings K days ahead (once), recycling after N
 * days without contact or M days without a deal, exemptions, and day boundaries in the company
 * time zone (Asia/Shanghai, UTC+8).
 */

let t: TestApp;
let w: Awaited<ReturnType<typeof poolWorld>>;

beforeAll(async () => {
  t = await createTestApp();
  w = await poolWorld(t);
});
afterAll(() => t?.close());

/** A Shanghai wall-clock time. */
const sh = (local: string) => new Date(`${local}+08:00`);
const run = (now: Date) => runPoolRecycle(w.db, t.app.ctx, now);

async function notices(customerId: string) {
  return w.db
    .selectFrom('notifications')
    .select(['user_id', 'type', 'title', 'body', 'link'])
    .where('link', '=', `/customers/${customerId}`)
    .orderBy('id')
    .execute();
}

describe('day arithmetic in a time zone', () => {
  it('finds local dates and local midnights', () => {
    expect(localDate(new Date('2025-01-01T16:30:00Z'), 'Asia/Shanghai')).toBe('2025-01-02');
    expect(dayStart('2025-01-02', 'Asia/Shanghai').toISOString()).toBe('2025-01-01T16:00:00.000Z');
    expect(dayStart('2025-03-09', 'America/New_York').toISOString()).toBe('2025-03-09T05:00:00.000Z');
    expect(dayStart('2025-03-10', 'America/New_York').toISOString()).toBe('2025-03-10T04:00:00.000Z');
  });
});

describe('no contact for N days', () => {
  let plain: string, lateEvening: string, earlyMorning: string, locked: string, dealStage: string, dealDate: string, contacted: string;

  beforeAll(async () => {
    await setSettings(w.admin, {
      pool: { enabled: true, noContactDays: 30, noDealDays: 0, warnDays: 3, exemptLocked: true, exemptDeals: true },
    });
    const { db, alice } = w;
    const c = (name: string, extra: Record<string, unknown> = {}) =>
      seedCustomer(db, { name, owner_id: alice.id, created_at: '2025-01-01T04:00:00.000Z', ...extra });
    plain = await c('回收测试普通客户有限公司');
    // 23:30 on 1 January in Shanghai, and 00:30 on 2 January: the same UTC day, different local days
    lateEvening = await c('回收测试深夜录入有限公司', { created_at: '2025-01-01T15:30:00.000Z' });
    earlyMorning = await c('回收测试凌晨录入有限公司', { created_at: '2025-01-01T16:30:00.000Z' });
    locked = await c('回收测试锁定客户有限公司', { locked: 1 });
    dealStage = await c('回收测试成交客户有限公司', { stage: 'deal' });
    dealDate = await c('回收测试有成交日期有限公司', { last_deal_at: '2025-01-02T00:00:00.000Z' });
    contacted = await c('回收测试近期联系有限公司', { last_contact_at: '2025-01-20T03:00:00.000Z' });
  });

  it('warns the owner K days before, once', async () => {
    expect(await run(sh('2025-01-27T02:00:00'))).toEqual({ warned: 0, recycled: 0 });

    expect(await run(sh('2025-01-28T02:00:00'))).toEqual({ warned: 2, recycled: 0 });
    const [warning] = await notices(plain);
    expect(warning).toMatchObject({ user_id: w.alice.id, type: 'customer.recycle_warning', link: `/customers/${plain}` });
    expect(warning.title).toContain('回收测试普通客户有限公司');
    expect(warning.title).toContain('2025-01-31');
    expect(warning.body).toContain('30');
    expect(await notices(lateEvening)).toHaveLength(1);

    // the next day: only the customer whose local day came later; nobody is warned twice
    expect(await run(sh('2025-01-29T02:00:00'))).toEqual({ warned: 1, recycled: 0 });
    expect(await notices(earlyMorning)).toHaveLength(1);
    expect(await notices(plain)).toHaveLength(1);
    expect(await run(sh('2025-01-30T02:00:00'))).toEqual({ warned: 0, recycled: 0 });
  });

  it('recycles after N whole days in the company time zone and tells the owner', async () => {
    expect(await run(sh('2025-01-30T23:59:00'))).toEqual({ warned: 0, recycled: 0 });
    // just after midnight in Shanghai (still 30 January in UTC)
    expect(await run(sh('2025-01-31T00:00:30'))).toEqual({ warned: 0, recycled: 2 });
    expect(await ownerOf(w.db, plain)).toBeNull();
    expect(await ownerOf(w.db, lateEvening)).toBeNull();
    expect(await ownerOf(w.db, earlyMorning)).toBe(w.alice.id);
    const recycled = (await notices(plain)).at(-1)!;
    expect(recycled).toMatchObject({ user_id: w.alice.id, type: 'customer.recycled' });
    expect(recycled.title).toContain('已退回公海');

    const history = (await w.admin.get(`/api/v1/customers/${plain}/owner-history`)).json().items;
    expect(history[0]).toMatchObject({
      fromUserId: w.alice.id,
      toUserId: null,
      reason: 'recycle',
      actorName: null,
      note: '超过 30 天未联系',
    });
    const audit = await w.db
      .selectFrom('audit_log')
      .select(['action', 'actor_name'])
      .where('entity_id', '=', plain)
      .executeTakeFirstOrThrow();
    expect(audit).toEqual({ action: 'recycle', actor_name: 'system' });

    expect(await run(sh('2025-02-01T02:00:00'))).toEqual({ warned: 0, recycled: 1 });
    expect(await ownerOf(w.db, earlyMorning)).toBeNull();
  });

  it('leaves locked and deal customers alone', async () => {
    await run(sh('2025-06-01T02:00:00'));
    for (const id of [locked, dealStage, dealDate]) {
      expect(await ownerOf(w.db, id)).toBe(w.alice.id);
      expect(await notices(id)).toEqual([]);
    }
  });

  it('counts from the last contact, and warns again after a new contact', async () => {
    const { db } = w;
    // recycled by now (last contact 20 January + 30 days) in the previous test's run: undo
    await db
      .updateTable('customers')
      .set({ owner_id: w.alice.id, owner_department_id: w.deptA, last_contact_at: '2025-01-20T03:00:00.000Z', recycle_warned_at: null })
      .where('id', '=', contacted)
      .execute();
    await db.deleteFrom('notifications').where('link', '=', `/customers/${contacted}`).execute();
    await db.deleteFrom('customer_owner_history').where('customer_id', '=', contacted).execute();

    expect(await run(sh('2025-02-15T02:00:00'))).toMatchObject({ warned: 0 });
    expect(await run(sh('2025-02-16T02:00:00'))).toMatchObject({ warned: 1 });
    // a follow-up on 17 February starts a new period: a new warning 27 days later
    await db.updateTable('customers').set({ last_contact_at: '2025-02-17T02:00:00.000Z' }).where('id', '=', contacted).execute();
    expect(await run(sh('2025-03-15T02:00:00'))).toMatchObject({ warned: 0, recycled: 0 });
    expect(await run(sh('2025-03-16T02:00:00'))).toMatchObject({ warned: 1, recycled: 0 });
    expect((await notices(contacted)).map((n) => n.type)).toEqual(['customer.recycle_warning', 'customer.recycle_warning']);
    expect(await run(sh('2025-03-19T02:00:00'))).toMatchObject({ recycled: 1 });
    expect(await ownerOf(db, contacted)).toBeNull();
  });

  it('gives a just-claimed customer the full period, however old its last contact', async () => {
    const { db, carol } = w;
    const id = await seedCustomer(db, {
      name: '回收测试刚领取有限公司',
      created_at: '2024-06-01T00:00:00.000Z',
      last_contact_at: '2024-07-01T00:00:00.000Z',
    });
    expect((await carol.client.post(`/api/v1/customers/${id}/claim`)).statusCode).toBe(200);
    expect(await run(new Date(Date.now() + 86_400_000))).toEqual({ warned: 0, recycled: 0 });
    expect(await ownerOf(db, id)).toBe(carol.id);
    await run(new Date(Date.now() + 31 * 86_400_000));
    expect(await ownerOf(db, id)).toBeNull();
  });

  it('does nothing when the rules are switched off', async () => {
    const id = await seedCustomer(w.db, { name: '回收测试规则关闭有限公司', owner_id: w.bob.id, created_at: '2020-01-01T00:00:00.000Z' });
    await setSettings(w.admin, { pool: { enabled: false } });
    expect(await run(sh('2030-01-01T02:00:00'))).toEqual({ warned: 0, recycled: 0 });
    expect(await ownerOf(w.db, id)).toBe(w.bob.id);
    await setSettings(w.admin, { pool: { enabled: true } });
  });
});

describe('no deal for M days', () => {
  it('returns customers without a deal M days after they were owned or last dealt', async () => {
    const { db, admin, bob } = w;
    await setSettings(admin, {
      pool: { enabled: true, noContactDays: 0, noDealDays: 60, warnDays: 0, exemptLocked: false, exemptDeals: false },
    });
    const c = (name: string, extra: Record<string, unknown> = {}) =>
      seedCustomer(db, {
        name,
        owner_id: bob.id,
        created_at: '2026-01-01T04:00:00.000Z',
        last_contact_at: '2026-02-25T04:00:00.000Z',
        ...extra,
      });
    const neverDealt = await c('未成交测试一有限公司', { locked: 1 });
    const dealt = await c('未成交测试二有限公司', { last_deal_at: '2026-01-05T04:00:00.000Z', stage: 'deal' });

    // 1 January + 60 days = 2 March; contacts do not matter for this rule
    await run(sh('2026-03-01T02:00:00'));
    expect(await ownerOf(db, neverDealt)).toBe(bob.id);
    await run(sh('2026-03-02T02:00:00'));
    expect(await ownerOf(db, neverDealt)).toBeNull();
    expect(await ownerOf(db, dealt)).toBe(bob.id);
    expect(await notices(neverDealt)).toMatchObject([{ type: 'customer.recycled', body: expect.stringContaining('60') }]);
    // 5 January + 60 days = 6 March
    await run(sh('2026-03-06T02:00:00'));
    expect(await ownerOf(db, dealt)).toBeNull();
  });
});

describe('the schedule', () => {
  it('runs daily at 02:00 company time through the job queue', async () => {
    const { db, admin, bob } = w;
    await setSettings(admin, {
      pool: { enabled: true, noContactDays: 30, noDealDays: 0, warnDays: 3, exemptLocked: true, exemptDeals: true },
    });
    const old = await seedCustomer(db, { name: '定时回收测试有限公司', owner_id: bob.id, created_at: '2024-01-01T00:00:00.000Z' });
    const { jobs } = t.app.ctx;
    await jobs.syncSchedules();
    const row = await db.selectFrom('job_schedules').selectAll().where('name', '=', POOL_RECYCLE_JOB).executeTakeFirstOrThrow();
    expect(row.cron).toBe('0 2 * * *');
    const next = new Date(row.next_run_at);
    expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit' }).format(next)).toBe('02:00');

    await db
      .updateTable('job_schedules')
      .set({ next_run_at: new Date(Date.now() - 60_000).toISOString() })
      .where('name', '=', POOL_RECYCLE_JOB)
      .execute();
    expect(await jobs.runDue()).toBe(1);
    const job = await db.selectFrom('jobs').selectAll().where('name', '=', POOL_RECYCLE_JOB).executeTakeFirstOrThrow();
    expect(job.status).toBe('done');
    expect(await ownerOf(db, old)).toBeNull();
  });
});
