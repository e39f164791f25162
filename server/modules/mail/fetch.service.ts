import { randomBytes } from 'node:crypto';
import type { MailFetchResult } from '@common/schemas/mail';
import { pickLocale, translate, type Locale } from '@common/messages/index';
import type { Db } from '@server/db/types';
import { nowIso } from '@server/db/ids';
import type { Auth } from '@server/platform/access/types';
import { audit, SYSTEM_ACTOR, type Actor } from '@server/platform/audit/audit.service';
import { AppError } from '@server/platform/http/errors';
import type { AppContext } from '@server/platform/http/context';
import { notify } from '@server/platform/notify/notify.service';
import { inTransaction } from '@server/platform/notify/transaction';
import { classifyMailError, MailProtocolError } from './protocol/errors';
import { accountById, claimLease, finishRun, ownAccount, renewLease, type AccountRow } from './accounts.repository';
import { connectionOf, describeMailError } from './accounts.service';
import { FetchAborted, local, LocalError, TX_BATCH, type FetchRun } from './fetch-run';
import { fetchImap } from './fetch-imap';
import { fetchPop3 } from './fetch-pop3';
import type { StoreResult } from './store';

/**
 * One fetch run of one account: takes the account's lease (one run per account across instances),
 * fetches over IMAP or POP3 up to the per-run limit, records the outcome on the account (success:
 * next run after the interval; failure: the error in the owner's words and a retry with backoff),
 * then tells the owner (notification, realtime) about what arrived.
 */

export type FetchContext = Pick<AppContext, 'db' | 'secrets'> & { dataDir: string; realtime: Pick<AppContext['realtime'], 'publish'> };

/** a run holds the account this long past its last sign of life */
export const LEASE_MS = 5 * 60_000;
const RENEW_MS = 30_000;
/** messages downloaded per run at most; the rest come next run */
export const RUN_LIMIT = 200;
const MAX_BACKOFF_MINUTES = 6 * 60;
const CONNECT_TIMEOUT_MS = 60_000;
/** more new messages than this in one run: one summary notice instead of one each */
const NOTICE_EACH_UP_TO = 3;

export type FetchOptions = {
  /** the clock (tests: a later `now` takes over the lease of a killed run) */
  now?: Date;
  limit?: number;
  /** messages recorded per transaction (default TX_BATCH) */
  txBatch?: number;
  signal?: AbortSignal;
  /** after each committed message, with the count so far (tests) */
  afterMessage?: (count: number) => void | Promise<void>;
  /** who started it: the user (receive now) or the scheduled job */
  actor?: Actor;
  /** the scheduled job: skip an account that is not due (any more) */
  onlyIfDue?: boolean;
};

export type FetchOutcome =
  | { status: 'busy' }
  | { status: 'skipped' }
  | { status: 'done'; result: MailFetchResult; error: { code: string; message: string; cause: unknown } | null; aborted: boolean };

/** Backoff after `failures` consecutive failures: interval × 2^failures, at most 6 hours (minutes). */
export function backoffMinutes(intervalMinutes: number, failures: number): number {
  return Math.min(intervalMinutes * 2 ** failures, MAX_BACKOFF_MINUTES);
}

const addMinutes = (d: Date, m: number) => nowIso(new Date(d.getTime() + m * 60_000));

async function ownerLocale(db: Db, userId: string): Promise<Locale> {
  const u = await db.selectFrom('users').select('locale').where('id', '=', userId).executeTakeFirst();
  return pickLocale(u?.locale);
}

/**
 * Fetches one account now (see the file comment). 'busy' when another run holds the account;
 * 'skipped' (onlyIfDue) when it is not due, disabled or gone.
 */
export async function fetchAccount(ctx: FetchContext, accountId: string, opts: FetchOptions = {}): Promise<FetchOutcome> {
  const started = opts.now ?? new Date();
  const clock = () => (opts.now ? new Date(started.getTime() + (Date.now() - t0)) : new Date());
  const t0 = Date.now();
  const account = await accountById(ctx.db, accountId);
  if (!account) return { status: 'skipped' };
  if (opts.onlyIfDue && (account.enabled !== 1 || (account.next_fetch_at && account.next_fetch_at > nowIso(started)))) {
    return { status: 'skipped' };
  }
  const runner = `${process.pid}-${randomBytes(6).toString('hex')}`;
  if (!(await claimLease(ctx.db, accountId, runner, nowIso(started), nowIso(new Date(started.getTime() + LEASE_MS))))) {
    return { status: 'busy' };
  }

  // renewed on a timer (a single large message may take longer than the lease); a lease lost to
  // another run (this process stalled for minutes) stops this one at the next message
  let leaseLost = false;
  const renewer = setInterval(() => {
    renewLease(ctx.db, accountId, runner, nowIso(new Date(clock().getTime() + LEASE_MS))).then(
      (held) => (leaseLost ||= !held),
      () => undefined,
    );
  }, RENEW_MS);
  renewer.unref();
  const run: FetchRun = {
    ctx: { db: ctx.db, dataDir: ctx.dataDir },
    account,
    limit: opts.limit ?? RUN_LIMIT,
    txBatch: opts.txBatch ?? TX_BATCH,
    signal: opts.signal,
    counts: { fetched: 0, skipped: 0, deleted: 0, errors: 0 },
    fresh: [],
    more: false,
    afterMessage: async () => {
      if (leaseLost) throw new FetchAborted();
      await opts.afterMessage?.(run.counts.fetched + run.counts.skipped);
    },
  };

  let error: { code: string; message: string; cause: unknown } | null = null;
  let aborted = false;
  try {
    const conn = await local(async () => connectionOf(account, ctx.secrets, CONNECT_TIMEOUT_MS).incoming);
    if (account.incoming_protocol === 'imap') await fetchImap(run, conn);
    else await fetchPop3(run, conn);
  } catch (err) {
    if (err instanceof FetchAborted) aborted = true;
    else error = await failureOf(ctx.db, account, err);
  } finally {
    clearInterval(renewer);
  }

  const end = clock();
  if (aborted) {
    // as if killed: what is committed stays, the account is due again at once
    await finishRun(ctx.db, accountId, runner, { ok: null, next: nowIso(end) });
  } else if (error) {
    const failures = account.failures + 1;
    await finishRun(ctx.db, accountId, runner, {
      ok: false,
      at: nowIso(end),
      next: addMinutes(end, backoffMinutes(account.fetch_interval_minutes, failures)),
      code: error.code,
      message: error.message,
      failures,
    });
  } else {
    // the per-run limit left messages behind: the next run is due at once (the scan comes every minute)
    const next = run.more ? nowIso(end) : addMinutes(end, account.fetch_interval_minutes);
    await finishRun(ctx.db, accountId, runner, { ok: true, at: nowIso(end), next });
  }
  // the mail is committed: a notice that cannot be written must not turn the run into a failure
  await announce(ctx, account, run, opts.actor ?? { ...SYSTEM_ACTOR, name: 'mail.fetch' }).catch(() => undefined);
  const result: MailFetchResult = { ...run.counts, durationMs: Date.now() - t0 };
  return { status: 'done', result, error, aborted };
}

/** The failure in the owner's words (mail server answers by their code; anything else as is). */
async function failureOf(db: Db, account: AccountRow, err: unknown): Promise<{ code: string; message: string; cause: unknown }> {
  const locale = await ownerLocale(db, account.user_id);
  if (!(err instanceof LocalError)) return { ...describeMailError(locale, err), cause: classifyMailError(err) };
  const detail = err.message;
  return { code: 'internal', message: translate(locale, 'mail.fetch.failed', { detail }).slice(0, 1000), cause: err.cause };
}

/** After the run: one notice per new message (or one summary past 3), a realtime refresh, one audit entry. */
async function announce(ctx: FetchContext, account: AccountRow, run: FetchRun, actor: Actor): Promise<void> {
  const fresh: StoreResult[] = run.fresh;
  if (!fresh.length) return;
  const locale = await ownerLocale(ctx.db, account.user_id);
  const notifyCtx = { db: ctx.db, realtime: ctx.realtime };
  await inTransaction(ctx.db, async (tx) => {
    if (fresh.length <= NOTICE_EACH_UP_TO) {
      for (const m of fresh) {
        const sender = m.from?.name || m.from?.address || translate(locale, 'mail.unknown_sender');
        await notify(
          notifyCtx,
          [account.user_id],
          {
            type: 'mail.new',
            title: translate(locale, 'mail.notify.one', { sender, subject: m.subject || translate(locale, 'mail.no_subject') }).slice(
              0,
              300,
            ),
            link: `/mail?id=${m.id}`,
            data: { accountId: account.id, messageId: m.id },
          },
          tx,
        );
      }
    } else {
      await notify(
        notifyCtx,
        [account.user_id],
        {
          type: 'mail.new',
          title: translate(locale, 'mail.notify.many', { count: fresh.length }),
          body: translate(locale, 'mail.notify.many_body', { account: account.name }),
          link: `/mail?accountId=${account.id}`,
          data: { accountId: account.id, count: fresh.length },
        },
        tx,
      );
    }
    await audit(tx, actor, {
      action: 'fetch',
      entity: 'mail_account',
      entityId: account.id,
      detail: `fetched ${run.counts.fetched}, skipped ${run.counts.skipped}, deleted ${run.counts.deleted}`,
    });
  });
  await ctx.realtime.publish(account.user_id, { type: 'mail', data: { accountId: account.id, folder: 'inbox' } }).catch(() => undefined);
}

/**
 * "Receive now" for one of the caller's accounts: answers when the run has finished, with its
 * counts. 404 for anyone else's account, 409 mail_fetch_running while a run holds it; a failed run
 * answers its error (mail_auth_failed …) after recording it on the account.
 */
export async function fetchNow(ctx: FetchContext, auth: Auth, actor: Actor, id: string): Promise<MailFetchResult> {
  if (!(await ownAccount(ctx.db, auth.user.id, id))) throw new AppError('not_found');
  const outcome = await fetchAccount(ctx, id, { actor });
  if (outcome.status === 'busy') throw new AppError('mail_fetch_running');
  if (outcome.status === 'skipped') throw new AppError('not_found');
  if (outcome.error) {
    if (outcome.error.code === 'internal') throw outcome.error.cause;
    const e = outcome.error.cause instanceof MailProtocolError ? (outcome.error.cause as MailProtocolError) : null;
    throw new AppError(outcome.error.code as 'mail_auth_failed', { detail: e?.serverReply ?? e?.message ?? '' });
  }
  return outcome.result;
}
