import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginAs, setupAdmin, type Client, type TestApp } from '@server/test/app';
import { createUser } from '@server/test/factories';
import { createJobService, enqueue, type JobService } from './jobs.service';
import { claimDueJobs } from './jobs.repository';

let t: TestApp;
let admin: Client;
const clock = { now: new Date('2026-11-26T09:00:00.000Z') };
const at = (iso: string) => (clock.now = new Date(iso));
const advance = (ms: number) => (clock.now = new Date(clock.now.getTime() + ms));

function service(opts: { backoffMs?: number; leaseMs?: number } = {}): JobService {
  return createJobService({ db: t.app.ctx.db, dialect: t.app.ctx.dialect, now: () => clock.now, backoffMs: 1000, ...opts });
}
const job = (id: string) => t.app.ctx.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

beforeAll(async () => {
  t = await createTestApp();
  admin = await setupAdmin(t.app);
});
afterAll(() => t.close());

describe('enqueue', () => {
  it('does not enqueue a second pending job with the same dedupe key, and allows one after it finished', async () => {
    const { db } = t.app.ctx;
    const svc = service();
    const seen: unknown[] = [];
    svc.registerJob<{ account: number }>('mail.fetch', (p) => void seen.push(p));

    const first = await svc.enqueue(db, 'mail.fetch', { account: 1 }, { dedupeKey: 'mail:1' });
    const again = await svc.enqueue(db, 'mail.fetch', { account: 1 }, { dedupeKey: 'mail:1' });
    expect(first.created).toBe(true);
    expect(again).toEqual({ id: first.id, created: false });
    const pending = await db.selectFrom('jobs').select('id').where('dedupe_key', '=', 'mail:1').execute();
    expect(pending).toHaveLength(1);

    expect(await svc.runDue()).toBe(1);
    expect(seen).toEqual([{ account: 1 }]);
    expect((await job(first.id!)).status).toBe('done');
    const later = await svc.enqueue(db, 'mail.fetch', { account: 1 }, { dedupeKey: 'mail:1' });
    expect(later.created).toBe(true);
    expect(later.id).not.toBe(first.id);
    await svc.runDue();
  });

  it('inside a transaction that rolls back, leaves no job', async () => {
    const { db } = t.app.ctx;
    await expect(
      db.transaction().execute(async (tx) => {
        await enqueue(tx, 'mail.fetch', {}, { dedupeKey: 'rolled-back' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await db.selectFrom('jobs').select('id').where('dedupe_key', '=', 'rolled-back').execute()).toEqual([]);
  });

  it('waits for runAt', async () => {
    const svc = service();
    let runs = 0;
    svc.registerJob('reminder', () => void runs++);
    const { id } = await svc.enqueue(t.app.ctx.db, 'reminder', {}, { runAt: new Date(clock.now.getTime() + 60_000) });
    expect(await svc.runDue()).toBe(0);
    advance(60_000);
    expect(await svc.runDue()).toBe(1);
    expect(runs).toBe(1);
    expect((await job(id!)).status).toBe('done');
  });
});

describe('failures', () => {
  let failedId: string;

  it('retries with exponential backoff, then marks the job failed with the last error', async () => {
    at('2026-11-26T10:00:00.000Z');
    const svc = service({ backoffMs: 1000 });
    svc.registerJob('flaky', (_p, j) => {
      throw new Error(`boom ${j.attempt}`);
    });
    const { id } = await svc.enqueue(t.app.ctx.db, 'flaky', {}, { maxAttempts: 3 });
    failedId = id!;

    expect(await svc.runDue()).toBe(1);
    let row = await job(failedId);
    expect(row).toMatchObject({ status: 'scheduled', attempts: 1, last_error: 'boom 1', run_at: '2026-11-26T10:00:01.000Z' });

    advance(999);
    expect(await svc.runDue()).toBe(0);
    advance(1);
    expect(await svc.runDue()).toBe(1);
    row = await job(failedId);
    // the delay doubles: 1 s, then 2 s
    expect(row).toMatchObject({ status: 'scheduled', attempts: 2, last_error: 'boom 2', run_at: '2026-11-26T10:00:03.000Z' });

    advance(2000);
    expect(await svc.runDue()).toBe(1);
    row = await job(failedId);
    expect(row).toMatchObject({
      status: 'failed',
      attempts: 3,
      last_error: 'boom 3',
      finished_at: '2026-11-26T10:00:03.000Z',
      locked_by: null,
    });

    advance(3_600_000);
    expect(await svc.runDue()).toBe(0);
  });

  it('lists failed jobs and lets an admin retry one (audited); not a job that has not failed', async () => {
    const list = await admin.get('/api/v1/jobs?status=failed');
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toEqual([
      expect.objectContaining({ id: failedId, name: 'flaky', status: 'failed', attempts: 3, maxAttempts: 3, lastError: 'boom 3' }),
    ]);

    const retry = await admin.post(`/api/v1/jobs/${failedId}/retry`);
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toMatchObject({ id: failedId, status: 'scheduled', attempts: 0, finishedAt: null });
    const entry = await t.app.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity', '=', 'job')
      .where('entity_id', '=', failedId)
      .executeTakeFirstOrThrow();
    expect(entry.action).toBe('retry');
    expect(JSON.parse(entry.changes!)).toEqual({ status: ['failed', 'scheduled'], attempts: [3, 0] });

    const twice = await admin.post(`/api/v1/jobs/${failedId}/retry`);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('job_not_failed');

    // the retried job runs again with a fresh set of attempts (the route put it due at the real now)
    clock.now = new Date(Math.max(Date.now(), clock.now.getTime()));
    const svc = service();
    svc.registerJob('flaky', () => {});
    expect(await svc.runDue()).toBe(1);
    expect(await job(failedId)).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('refuses bad ids, unknown jobs and non-admins', async () => {
    expect((await admin.post('/api/v1/jobs/nope/retry')).statusCode).toBe(400);
    expect((await admin.post('/api/v1/jobs/01aaaaaaaaaaaaaaaaaaaaaaaa/retry')).statusCode).toBe(404);
    expect((await admin.get('/api/v1/jobs?status=bogus')).statusCode).toBe(400);
    const u = await createUser(t.app.ctx.db, { username: 'clerk' });
    const clerk = await loginAs(t.app, u.username, u.password);
    expect((await clerk.get('/api/v1/jobs')).statusCode).toBe(403);
    expect((await clerk.get('/api/v1/jobs/schedules')).statusCode).toBe(403);
    expect((await clerk.post(`/api/v1/jobs/${failedId}/retry`)).statusCode).toBe(403);
  });

  it('pages the list newest first', async () => {
    const first = await admin.get('/api/v1/jobs?limit=2');
    const page = first.json();
    expect(page.items).toHaveLength(2);
    expect(page.nextCursor).toBe(page.items[1].id);
    const second = (await admin.get(`/api/v1/jobs?limit=2&cursor=${page.nextCursor}`)).json();
    expect(second.items[0].id < page.items[1].id).toBe(true);
  });

  it('recovers a job left running by a crashed process once its lease expired', async () => {
    at('2026-11-26T11:00:00.000Z');
    const { db, dialect } = t.app.ctx;
    const { id } = await enqueue(db, 'report', {}, { now: clock.now });
    // a process claims it and dies before finishing
    const claimed = await claimDueJobs(db, dialect, ['report'], 'dead-process', '2026-11-26T11:00:00.000Z', 10);
    expect(claimed.map((r) => r.id)).toEqual([id]);

    const svc = service({ leaseMs: 60_000 });
    let runs = 0;
    svc.registerJob('report', () => void runs++);
    advance(59_000);
    expect(await svc.runDue()).toBe(0);
    expect((await job(id!)).status).toBe('running');
    advance(2000);
    expect(await svc.runDue()).toBe(1);
    expect(runs).toBe(1);
    expect(await job(id!)).toMatchObject({ status: 'done', attempts: 2, last_error: expect.stringContaining('lease expired') });
  });
});

describe('recurring schedules', () => {
  it('computes the next run in the company time zone (Asia/Shanghai) across the UTC day boundary', async () => {
    // 01:30 on 27 Nov in Shanghai is 17:30 UTC on the 26th; the 02:00 run is 18:00 UTC on the 26th
    at('2026-11-26T17:30:00.000Z');
    const svc = service();
    const payloads: unknown[] = [];
    svc.registerJob('report.daily', (p) => void payloads.push(p));
    svc.registerSchedule('daily-report', '0 2 * * *', 'report.daily', { kind: 'sales' });
    await svc.syncSchedules();
    const row = () => t.app.ctx.db.selectFrom('job_schedules').selectAll().where('name', '=', 'daily-report').executeTakeFirstOrThrow();
    expect(await row()).toMatchObject({ cron: '0 2 * * *', next_run_at: '2026-11-26T18:00:00.000Z', last_run_at: null });

    at('2026-11-26T17:59:59.000Z');
    expect(await svc.runDue()).toBe(0);
    at('2026-11-26T18:00:00.000Z');
    expect(await svc.runDue()).toBe(1);
    expect(payloads).toEqual([{ kind: 'sales' }]);
    expect(await row()).toMatchObject({ last_run_at: '2026-11-26T18:00:00.000Z', next_run_at: '2026-11-27T18:00:00.000Z' });

    // another process with the same schedule does not fire the slot again
    const other = service();
    other.registerJob('report.daily', (p) => void payloads.push(p));
    other.registerSchedule('daily-report', '0 2 * * *', 'report.daily', { kind: 'sales' });
    expect(await other.runDue()).toBe(0);
    expect(payloads).toHaveLength(1);
  });

  it('collapses slots missed while the server was down into one run', async () => {
    const svc = service();
    let runs = 0;
    svc.registerJob('report.daily', () => void runs++);
    svc.registerSchedule('daily-report', '0 2 * * *', 'report.daily', { kind: 'sales' });
    at('2026-11-30T03:00:00.000Z'); // three slots later
    expect(await svc.runDue()).toBe(1);
    expect(runs).toBe(1);
    const row = await t.app.ctx.db.selectFrom('job_schedules').selectAll().where('name', '=', 'daily-report').executeTakeFirstOrThrow();
    expect(row.next_run_at).toBe('2026-11-30T18:00:00.000Z');
  });

  it('lists the schedules registered by the modules (recycle bin purge at 03:00 Shanghai)', async () => {
    const res = await admin.get('/api/v1/jobs/schedules');
    expect(res.statusCode).toBe(200);
    const purge = res.json().items.find((s: { name: string }) => s.name === 'recycle-bin.purge');
    expect(purge).toMatchObject({ cron: '0 3 * * *', lastRunAt: null });
    expect(purge.nextRunAt).toMatch(/T19:00:00\.000Z$/);
  });

  it('refuses an invalid cron expression at registration', () => {
    expect(() => service().registerSchedule('bad', '61 * * * *', 'x')).toThrow(/Invalid cron/);
  });
});

describe('failure notice', () => {
  it('tells the admins in the notification centre when a job has failed for good', async () => {
    const { jobs, db } = t.app.ctx;
    jobs.registerJob('always.fails', () => {
      throw new Error('邮件服务器拒绝登录');
    });
    await jobs.enqueue(db, 'always.fails', {}, { maxAttempts: 1 });
    expect(await jobs.runDue()).toBe(1);
    const list = (await admin.get('/api/v1/notifications')).json();
    expect(list.unread).toBeGreaterThanOrEqual(1);
    expect(list.items[0]).toMatchObject({
      type: 'job.failed',
      title: '后台任务多次重试后仍失败：always.fails',
      body: '邮件服务器拒绝登录',
    });
  });
});
