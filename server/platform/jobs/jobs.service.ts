import { randomBytes } from 'node:crypto';
import type { Db, DbOrTx, Dialect } from '@server/db/types';
import { newId, nowIso } from '@server/db/ids';
import { getCompany } from '../settings/settings.service';
import { isValidCron, nextCronRun } from './cron';
import { claimDueJobs, markDone, markFailed, recoverAbandoned, renewLeases, type JobRow } from './jobs.repository';

export type EnqueueOptions = {
  /** earliest run time (default: now) */
  runAt?: Date;
  /** while a job with this key is scheduled or running, enqueueing another one is a no-op */
  dedupeKey?: string;
  /** attempts before the job is marked failed (default 5) */
  maxAttempts?: number;
  /** the clock (tests) */
  now?: Date;
};

export type EnqueueResult = {
  /** the new job, or the pending job holding the same dedupe key (null if it finished meanwhile) */
  id: string | null;
  created: boolean;
};

/**
 * Adds a job to the persisted queue. Pass the open transaction to make the job part of the
 * caller's change (it only exists if that commits). Idempotent per dedupe key.
 */
export async function enqueue(db: DbOrTx, name: string, payload: unknown = {}, opts: EnqueueOptions = {}): Promise<EnqueueResult> {
  const now = nowIso(opts.now ?? new Date());
  const id = newId();
  const result = await db
    .insertInto('jobs')
    .values({
      id,
      name,
      payload: JSON.stringify(payload ?? {}),
      status: 'scheduled',
      run_at: opts.runAt ? nowIso(opts.runAt) : now,
      attempts: 0,
      max_attempts: opts.maxAttempts ?? 5,
      dedupe_key: opts.dedupeKey ?? null,
      created_at: now,
      updated_at: now,
    })
    // the partial unique index jobs_dedupe turns a second pending job with the same key into a no-op
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  if (Number(result.numInsertedOrUpdatedRows ?? 0) > 0) return { id, created: true };
  const existing = opts.dedupeKey
    ? await db
        .selectFrom('jobs')
        .select('id')
        .where('dedupe_key', '=', opts.dedupeKey)
        .where('status', 'in', ['scheduled', 'running'])
        .executeTakeFirst()
    : undefined;
  return { id: existing?.id ?? null, created: false };
}

export type JobContext = {
  id: string;
  name: string;
  /** 1 for the first run */
  attempt: number;
  db: Db;
  now: Date;
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JobHandler<P = any> = (payload: P, job: JobContext) => Promise<void> | void;

type ScheduleDef = { name: string; cron: string; jobName: string; payload: unknown };

type Logger = { error(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };

export type JobServiceOptions = {
  db: Db;
  dialect: Dialect;
  /** the clock; tests pass a controllable one */
  now?: () => Date;
  /** how often the runner looks for due jobs (ms, default 1000) */
  pollMs?: number;
  /** jobs run at the same time by one process (default 4) */
  concurrency?: number;
  /** a running job whose lease is older than this is taken as abandoned (ms, default 5 min) */
  leaseMs?: number;
  /** first retry delay; doubled on each further attempt (ms, default 30 s) */
  backoffMs?: number;
  /** ceiling of the retry delay (ms, default 1 h) */
  maxBackoffMs?: number;
  /** how long stop() waits for running jobs (ms, default 10 s); the lease recovers the rest */
  stopTimeoutMs?: number;
  log?: Logger;
  /** called once a job has used all its attempts (e.g. to tell the admins) */
  onFailed?: (job: { id: string; name: string; error: string }) => Promise<void>;
};

const silent: Logger = { error: () => {}, warn: () => {} };

/**
 * The job queue of one server process: handlers and schedules registered by modules, and a
 * runner that polls the `jobs` table. Several processes may share one database; a job is
 * claimed by exactly one of them.
 */
export class JobService {
  readonly runnerId = `${process.pid}-${randomBytes(4).toString('hex')}`;
  private readonly handlers = new Map<string, JobHandler>();
  private readonly schedules = new Map<string, ScheduleDef>();
  private schedulesSynced = false;
  private readonly inFlight = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private started = false;
  private lastRenewal = 0;
  private readonly o: Required<Omit<JobServiceOptions, 'log' | 'onFailed'>> & Pick<JobServiceOptions, 'onFailed'> & { log: Logger };

  constructor(opts: JobServiceOptions) {
    this.o = {
      now: () => new Date(),
      pollMs: 1000,
      concurrency: 4,
      leaseMs: 5 * 60_000,
      backoffMs: 30_000,
      maxBackoffMs: 60 * 60_000,
      stopTimeoutMs: 10_000,
      ...opts,
      log: opts.log ?? silent,
    };
  }

  get db(): Db {
    return this.o.db;
  }

  /** Now, by this service's clock. */
  now(): Date {
    return this.o.now();
  }

  /** Declares the code that runs jobs called `name` (one handler per name; the last one wins). */
  registerJob<P>(name: string, handler: JobHandler<P>): void {
    this.handlers.set(name, handler as JobHandler);
  }

  /**
   * Declares a recurring schedule: `cron` (5 fields, or 6 with seconds) in the company time zone
   * enqueues `jobName` with `payload`. Persisted in job_schedules by the runner, once per slot
   * across all processes.
   */
  registerSchedule(name: string, cron: string, jobName: string, payload: unknown = {}): void {
    if (!isValidCron(cron)) throw new Error(`Invalid cron expression for schedule ${name}: ${cron}`);
    this.schedules.set(name, { name, cron, jobName, payload });
    this.schedulesSynced = false;
  }

  /** Same as the module-level `enqueue`, on this service's clock. */
  enqueue(db: DbOrTx, name: string, payload?: unknown, opts: Omit<EnqueueOptions, 'now'> = {}): Promise<EnqueueResult> {
    return enqueue(db, name, payload, { ...opts, now: this.now() });
  }

  /** Retry delay after the given number of failed attempts: backoff × 2^(attempts−1), capped. */
  retryDelay(attempts: number): number {
    return Math.min(this.o.backoffMs * 2 ** Math.max(0, attempts - 1), this.o.maxBackoffMs);
  }

  /** Starts polling (idempotent). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.timer = setTimeout(() => this.loop(), 0);
  }

  /** Stops polling and waits (bounded) for the jobs this process is running. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.ticking;
    const all = Promise.allSettled([...this.inFlight.values()]);
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise<void>((r) => (timeout = setTimeout(r, this.o.stopTimeoutMs)))]);
    clearTimeout(timeout);
  }

  private loop(): void {
    this.ticking = this.tick()
      .catch((err: unknown) => this.o.log.error({ err }, 'job runner tick failed'))
      .finally(() => {
        this.ticking = undefined;
        if (this.started) this.timer = setTimeout(() => this.loop(), this.o.pollMs);
      });
  }

  /** One poll: recover abandoned jobs, fire due schedules, claim and start due jobs. */
  async tick(): Promise<void> {
    const now = this.now();
    const nowS = nowIso(now);
    await recoverAbandoned(this.o.db, nowS, nowIso(new Date(now.getTime() - this.o.leaseMs)));
    await this.fireDueSchedules(now);
    if (this.inFlight.size && now.getTime() - this.lastRenewal > this.o.leaseMs / 3) {
      this.lastRenewal = now.getTime();
      await renewLeases(this.o.db, [...this.inFlight.keys()], this.runnerId, nowS);
    }
    const free = this.o.concurrency - this.inFlight.size;
    const claimed = await claimDueJobs(this.o.db, this.o.dialect, [...this.handlers.keys()], this.runnerId, nowS, free);
    for (const row of claimed) {
      const run = this.execute(row).finally(() => this.inFlight.delete(row.id));
      this.inFlight.set(row.id, run);
    }
  }

  /** Runs everything due now and waits for it (tests and the CLI); returns how many jobs ran. */
  async runDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const before = this.inFlight.size;
      await this.tick();
      const started = this.inFlight.size - before;
      await Promise.allSettled([...this.inFlight.values()]);
      if (started <= 0) return total;
      total += started;
    }
  }

  private async execute(row: JobRow): Promise<void> {
    const handler = this.handlers.get(row.name);
    const started = this.now();
    try {
      if (!handler) throw new Error(`No handler registered for job ${row.name}`);
      await handler(JSON.parse(row.payload) as unknown, { id: row.id, name: row.name, attempt: row.attempts, db: this.o.db, now: started });
      await markDone(this.o.db, row.id, this.runnerId, nowIso(this.now()));
    } catch (err) {
      const message = (err instanceof Error ? err.message : String(err)).slice(0, 2000) || 'error';
      const now = this.now();
      const retryAt = row.attempts < row.max_attempts ? nowIso(new Date(now.getTime() + this.retryDelay(row.attempts))) : null;
      if (!retryAt) this.o.log.warn({ job: row.name, id: row.id, err: message }, 'job failed for good');
      await markFailed(this.o.db, row.id, this.runnerId, nowIso(now), message, retryAt).catch((e: unknown) =>
        this.o.log.error({ err: e, id: row.id }, 'could not record job failure'),
      );
      if (!retryAt && this.o.onFailed) {
        await this.o
          .onFailed({ id: row.id, name: row.name, error: message })
          .catch((e: unknown) => this.o.log.error({ err: e, id: row.id }, 'could not report job failure'));
      }
    }
  }

  /** Writes a row per registered schedule that has none yet, and follows cron changes. */
  async syncSchedules(db: DbOrTx = this.o.db): Promise<void> {
    const { timezone } = await getCompany(db);
    const now = this.now();
    for (const def of this.schedules.values()) {
      const next = nowIso(nextCronRun(def.cron, timezone, now));
      await db
        .insertInto('job_schedules')
        .values({ name: def.name, cron: def.cron, next_run_at: next, last_run_at: null })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      await db
        .updateTable('job_schedules')
        .set({ cron: def.cron, next_run_at: next })
        .where('name', '=', def.name)
        .where('cron', '<>', def.cron)
        .execute();
    }
    this.schedulesSynced = true;
  }

  /** Recomputes every schedule's next run from now (the company time zone changed). */
  async rescheduleAll(db: DbOrTx = this.o.db): Promise<void> {
    const { timezone } = await getCompany(db);
    const now = this.now();
    const rows = await db.selectFrom('job_schedules').select(['name', 'cron']).execute();
    for (const r of rows) {
      if (!isValidCron(r.cron)) continue;
      await db
        .updateTable('job_schedules')
        .set({ next_run_at: nowIso(nextCronRun(r.cron, timezone, now)) })
        .where('name', '=', r.name)
        .execute();
    }
  }

  /**
   * Enqueues the job of every schedule whose slot has come. Moving next_run_at is a conditional
   * update on the value read, so among several processes only one fires a slot. Missed slots
   * (server down) collapse into one run.
   */
  async fireDueSchedules(now: Date = this.now()): Promise<number> {
    if (!this.schedules.size) return 0;
    if (!this.schedulesSynced) await this.syncSchedules();
    const nowS = nowIso(now);
    const due = await this.o.db
      .selectFrom('job_schedules')
      .selectAll()
      .where('name', 'in', [...this.schedules.keys()])
      .where('next_run_at', '<=', nowS)
      .execute();
    if (!due.length) return 0;
    const { timezone } = await getCompany(this.o.db);
    let fired = 0;
    for (const row of due) {
      const def = this.schedules.get(row.name)!;
      const next = nowIso(nextCronRun(def.cron, timezone, now));
      await this.o.db.transaction().execute(async (tx) => {
        const moved = await tx
          .updateTable('job_schedules')
          .set({ next_run_at: next, last_run_at: nowS })
          .where('name', '=', row.name)
          .where('next_run_at', '=', row.next_run_at)
          .executeTakeFirst();
        if (Number(moved.numUpdatedRows) !== 1) return;
        await enqueue(tx, def.jobName, def.payload, { now, dedupeKey: `schedule:${def.name}` });
        fired++;
      });
    }
    return fired;
  }

  /** Registered schedules with their persisted (or, before the first sync, computed) next run. */
  async listSchedules(
    db: DbOrTx = this.o.db,
  ): Promise<{ name: string; cron: string; jobName: string; nextRunAt: string; lastRunAt: string | null }[]> {
    const rows = await db.selectFrom('job_schedules').selectAll().execute();
    const byName = new Map(rows.map((r) => [r.name, r]));
    const { timezone } = await getCompany(db);
    return [...this.schedules.values()]
      .map((def) => {
        const row = byName.get(def.name);
        const nextRunAt = row && row.cron === def.cron ? row.next_run_at : nowIso(nextCronRun(def.cron, timezone, this.now()));
        return { name: def.name, cron: def.cron, jobName: def.jobName, nextRunAt, lastRunAt: row?.last_run_at ?? null };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }
}

/** Creates the process's job service; `start()` it to run jobs (server/app.ts does when JOBS=on). */
export function createJobService(opts: JobServiceOptions): JobService {
  return new JobService(opts);
}
