import type { Selectable } from 'kysely';
import type { JobItem, JobStatus } from '@common/schemas/platform';
import type { Db, DbOrTx, Dialect, JobsTable } from '@server/db/types';
import { keysetPage } from '@server/db/keyset';

export type JobRow = Selectable<JobsTable>;

export function toJobItem(r: JobRow): JobItem {
  return {
    id: r.id,
    name: r.name,
    status: r.status,
    runAt: r.run_at,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    lastError: r.last_error,
    dedupeKey: r.dedupe_key,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at,
  };
}

/**
 * Claims up to `limit` due jobs for one runner and marks them running (attempts + 1).
 * PostgreSQL: row locks with SKIP LOCKED inside one transaction, so concurrent runners on other
 * connections pass over each other's rows instead of waiting or double-claiming.
 * SQLite: one conditional UPDATE; writers are serialised, and `status = 'scheduled'` re-checks
 * the row at write time.
 */
export async function claimDueJobs(
  db: Db,
  dialect: Dialect,
  names: string[],
  runnerId: string,
  now: string,
  limit: number,
): Promise<JobRow[]> {
  if (!names.length || limit <= 0) return [];
  const claimed = { status: 'running' as const, locked_by: runnerId, locked_at: now, updated_at: now };
  if (dialect === 'postgres') {
    return db.transaction().execute(async (tx) => {
      const due = await tx
        .selectFrom('jobs')
        .select('id')
        .where('status', '=', 'scheduled')
        .where('run_at', '<=', now)
        .where('name', 'in', names)
        .orderBy('run_at')
        .limit(limit)
        .forUpdate()
        .skipLocked()
        .execute();
      if (!due.length) return [];
      return tx
        .updateTable('jobs')
        .set((eb) => ({ ...claimed, attempts: eb('attempts', '+', 1) }))
        .where(
          'id',
          'in',
          due.map((r) => r.id),
        )
        .returningAll()
        .execute();
    });
  }
  return db
    .updateTable('jobs')
    .set((eb) => ({ ...claimed, attempts: eb('attempts', '+', 1) }))
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('jobs')
        .select('id')
        .where('status', '=', 'scheduled')
        .where('run_at', '<=', now)
        .where('name', 'in', names)
        .orderBy('run_at')
        .limit(limit),
    )
    .where('status', '=', 'scheduled')
    .returningAll()
    .execute();
}

/** Marks a job this runner holds as done; a job whose lease was taken over is left alone. */
export async function markDone(db: DbOrTx, id: string, runnerId: string, now: string): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ status: 'done', finished_at: now, locked_by: null, locked_at: null, updated_at: now })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .where('locked_by', '=', runnerId)
    .execute();
}

/** Records a failed attempt: back to scheduled at `retryAt`, or failed for good when `retryAt` is null. */
export async function markFailed(
  db: DbOrTx,
  id: string,
  runnerId: string,
  now: string,
  error: string,
  retryAt: string | null,
): Promise<void> {
  await db
    .updateTable('jobs')
    .set(
      retryAt
        ? { status: 'scheduled', run_at: retryAt, last_error: error, locked_by: null, locked_at: null, updated_at: now }
        : { status: 'failed', last_error: error, finished_at: now, locked_by: null, locked_at: null, updated_at: now },
    )
    .where('id', '=', id)
    .where('status', '=', 'running')
    .where('locked_by', '=', runnerId)
    .execute();
}

/** Keeps the lease of jobs still running in this process fresh, so they are not taken as abandoned. */
export async function renewLeases(db: Db, ids: string[], runnerId: string, now: string): Promise<void> {
  if (!ids.length) return;
  await db
    .updateTable('jobs')
    .set({ locked_at: now })
    .where('id', 'in', ids)
    .where('locked_by', '=', runnerId)
    .where('status', '=', 'running')
    .execute();
}

/**
 * Jobs left running by a process that died: once their lease is older than `staleBefore` they go
 * back to scheduled (or to failed when no attempt is left). Returns how many were recovered.
 */
export async function recoverAbandoned(db: Db, now: string, staleBefore: string): Promise<number> {
  const error = 'lease expired: the process running this job stopped';
  const retried = await db
    .updateTable('jobs')
    .set({ status: 'scheduled', run_at: now, last_error: error, locked_by: null, locked_at: null, updated_at: now })
    .where('status', '=', 'running')
    .where('locked_at', '<', staleBefore)
    .where((eb) => eb('attempts', '<', eb.ref('max_attempts')))
    .executeTakeFirst();
  const failed = await db
    .updateTable('jobs')
    .set({ status: 'failed', last_error: error, finished_at: now, locked_by: null, locked_at: null, updated_at: now })
    .where('status', '=', 'running')
    .where('locked_at', '<', staleBefore)
    .executeTakeFirst();
  return Number(retried.numUpdatedRows) + Number(failed.numUpdatedRows);
}

/** Newest first, keyset on the time-ordered id. */
export async function findJobs(db: DbOrTx, q: { status?: JobStatus; cursor?: string; limit: number }) {
  let query = db.selectFrom('jobs').selectAll();
  if (q.status) query = query.where('status', '=', q.status);
  if (q.cursor) query = query.where('id', '<', q.cursor);
  const rows = await query
    .orderBy('id', 'desc')
    .limit(q.limit + 1)
    .execute();
  return keysetPage(rows, q.limit, toJobItem);
}

export async function findJob(db: DbOrTx, id: string): Promise<JobRow | undefined> {
  return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Another job with the same dedupe key that is still pending (the partial unique index allows one). */
export async function pendingWithKey(db: DbOrTx, dedupeKey: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('jobs')
    .select('id')
    .where('dedupe_key', '=', dedupeKey)
    .where('status', 'in', ['scheduled', 'running'])
    .executeTakeFirst();
  return row?.id;
}

/** Puts a failed job back in the queue with a fresh set of attempts. */
export async function requeueFailed(db: DbOrTx, id: string, now: string): Promise<JobRow | undefined> {
  return db
    .updateTable('jobs')
    .set({ status: 'scheduled', attempts: 0, run_at: now, finished_at: null, updated_at: now })
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .returningAll()
    .executeTakeFirst();
}
