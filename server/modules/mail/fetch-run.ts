import type { Db } from '@server/db/types';
import type { AccountRow } from './accounts.repository';
import type { StoreResult } from './store';

/**
 * One fetch run of one account, as the IMAP and POP3 fetchers see it: where to store, how many
 * messages it may take, the counts it reports, and the points where it may be stopped.
 */
export type FetchRun = {
  ctx: { db: Db; dataDir: string };
  account: AccountRow;
  /** messages downloaded at most in this run (the rest next run) */
  limit: number;
  /** messages recorded per transaction (their progress commits with them) */
  txBatch: number;
  /** checked before each message: an aborted run stops there, as a killed one would (no QUIT, no DELE) */
  signal?: AbortSignal;
  /** after each message is committed (tests stop runs part-way with it; the lease is renewed here) */
  afterMessage: () => Promise<void>;
  counts: { fetched: number; skipped: number; deleted: number; errors: number };
  /** messages new in this run (notifications) */
  fresh: StoreResult[];
  /** the per-run limit left messages for the next run */
  more: boolean;
};

export class FetchAborted extends Error {
  constructor() {
    super('fetch aborted');
  }
}

export function checkAborted(run: FetchRun): void {
  if (run.signal?.aborted) throw new FetchAborted();
}

/** Counts one stored (or duplicate) message into the run. */
export function countStored(run: FetchRun, r: StoreResult): void {
  if (r.created) {
    run.counts.fetched++;
    run.fresh.push(r);
  } else run.counts.skipped++;
  if (r.parseFailed) run.counts.errors++;
}

/** The day fetching starts from, as a UTC instant (IMAP SINCE works on days). */
/** Messages recorded per transaction by default: a commit each costs more than storing one (bench:mail). */
export const TX_BATCH = 10;
/** Bytes of sources held at once before they are stored. */
export const BATCH_BYTES = 4 * 1024 * 1024;

export function sinceDate(account: Pick<AccountRow, 'fetch_since'>): Date {
  return new Date(`${account.fetch_since}T00:00:00.000Z`);
}

/** A failure of our own side (database, disk) during a run, told apart from the mail server's answers. */
export class LocalError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

/** Runs a step on our side: its errors become LocalError (an abort stays an abort). */
export async function local<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof FetchAborted || err instanceof LocalError) throw err;
    throw new LocalError(err);
  }
}
