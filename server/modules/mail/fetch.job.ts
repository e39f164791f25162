import { nowIso } from '@server/db/ids';
import type { AppContext } from '@server/platform/http/context';
import { dueAccounts } from './accounts.repository';
import { fetchAccount, type FetchContext } from './fetch.service';
import { failStuckSends } from './send-sweep';

/**
 * The scheduled fetch: every minute a scan enqueues one job per enabled account whose next fetch
 * is due (deduplicated per account while one is pending), so several instances share the accounts
 * and one slow mailbox does not hold up the others. Each job runs one fetch under the account's lease.
 */

export const MAIL_FETCH_SCAN_JOB = 'mail.fetch-due';
export const MAIL_FETCH_JOB = 'mail.fetch';
/** accounts enqueued per scan at most (the rest next minute) */
const SCAN_LIMIT = 1000;

export function fetchContextOf(ctx: AppContext): FetchContext {
  return { db: ctx.db, secrets: ctx.secrets, dataDir: ctx.config.dataDir, realtime: ctx.realtime };
}

/** Enqueues a fetch job for each due account; returns how many were enqueued. */
export async function enqueueDueFetches(ctx: AppContext, now: Date): Promise<number> {
  const due = await dueAccounts(ctx.db, nowIso(now), SCAN_LIMIT);
  let n = 0;
  for (const a of due) {
    const r = await ctx.jobs.enqueue(
      ctx.db,
      MAIL_FETCH_JOB,
      { accountId: a.id },
      { dedupeKey: `${MAIL_FETCH_JOB}:${a.id}`, maxAttempts: 1 },
    );
    if (r.created) n++;
  }
  return n;
}

/** Registers the scan (every minute) and the per-account fetch job. */
export function registerFetchJobs(ctx: AppContext): void {
  ctx.jobs.registerJob(MAIL_FETCH_SCAN_JOB, async (_payload, job) => {
    // the same minute also hands sends cut off by a crash back to their authors as failed
    await failStuckSends(ctx, job.now);
    await enqueueDueFetches(ctx, job.now);
  });
  ctx.jobs.registerSchedule(MAIL_FETCH_SCAN_JOB, '* * * * *', MAIL_FETCH_SCAN_JOB);
  // failures are recorded on the account with its own backoff: the job itself never retries
  ctx.jobs.registerJob<{ accountId: string }>(MAIL_FETCH_JOB, async (payload, job) => {
    await fetchAccount(fetchContextOf(ctx), payload.accountId, { now: job.now, onlyIfDue: true });
  });
}
