import type { DbOrTx } from '@server/db/types';
import { nowIso } from '@server/db/ids';
import type { MailConnectOptions } from './protocol/errors';
import { Pop3Client } from './protocol/pop3-client';
import { parseSafely, prepareMessages, writeMessages } from './store';
import { BATCH_BYTES, checkAborted, countStored, local, sinceDate, type FetchRun } from './fetch-run';

/**
 * POP3: by UIDL. Every UIDL taken in is remembered in mail_pop3_seen in the transaction that stores
 * its message (a few messages per transaction), so a killed run resumes after the last committed ones. POP3 cannot search by date: a message
 * whose Date header is before fetch_since is downloaded once, not stored, and remembered as seen
 * (message_id null) so it is not downloaded again. With "delete after fetch", only UIDLs whose message
 * is committed here are deleted (DELE), and only QUIT makes that happen: a run that dies before QUIT
 * leaves them on the server, and the next run, seeing them as seen, deletes them then.
 */

const IN_CHUNK = 500;

type Seen = { uidl: string; message_id: string | null; deleted_at: string | null };

async function seenOf(db: DbOrTx, accountId: string, uidls: string[]): Promise<Map<string, Seen>> {
  const seen = new Map<string, Seen>();
  for (let i = 0; i < uidls.length; i += IN_CHUNK) {
    const rows = await db
      .selectFrom('mail_pop3_seen')
      .select(['uidl', 'message_id', 'deleted_at'])
      .where('account_id', '=', accountId)
      .where('uidl', 'in', uidls.slice(i, i + IN_CHUNK))
      .execute();
    for (const r of rows) seen.set(r.uidl, r);
  }
  return seen;
}

type Pending = { uidl: string; raw: Buffer; parsed: Awaited<ReturnType<typeof parseSafely>>; old: boolean };

/** Records downloaded messages in one transaction with their UIDLs (a message dated before the start: its UIDL only). */
async function record(run: FetchRun, pending: Pending[], seen: Map<string, Seen>): Promise<void> {
  const account = run.account;
  const fresh = pending.filter((p) => !p.old);
  const prepared = await local(() =>
    prepareMessages(
      run.ctx,
      account.id,
      fresh.map((p) => ({ raw: p.raw, parsed: p.parsed })),
    ),
  );
  const results = await local(() =>
    writeMessages(
      run.ctx,
      account,
      fresh.map((p, i) => ({ prepared: prepared[i], meta: { pop3Uidl: p.uidl } })),
      async (tx, stored) => {
        const ids = new Map(fresh.map((p, i) => [p.uidl, stored[i].id]));
        const at = nowIso();
        await tx
          .insertInto('mail_pop3_seen')
          .values(
            pending.map((p) => ({
              account_id: account.id,
              uidl: p.uidl,
              message_id: ids.get(p.uidl) ?? null,
              fetched_at: at,
              deleted_at: null,
            })),
          )
          .onConflict((oc) => oc.columns(['account_id', 'uidl']).doNothing())
          .execute();
      },
    ),
  );
  let i = 0;
  for (const p of pending) {
    if (p.old) {
      seen.set(p.uidl, { uidl: p.uidl, message_id: null, deleted_at: null });
      run.counts.skipped++;
    } else {
      const r = results[i++];
      seen.set(p.uidl, { uidl: p.uidl, message_id: r.id, deleted_at: null });
      countStored(run, r);
    }
    await run.afterMessage();
  }
}

/** Runs one POP3 fetch for the account (see the file comment). */
export async function fetchPop3(run: FetchRun, conn: MailConnectOptions): Promise<void> {
  const { db } = run.ctx;
  const account = run.account;
  const client = await Pop3Client.connect(conn);
  let quit = false;
  try {
    // in message-number order: oldest first
    const list = await client.uidl();
    const seen = await local(() =>
      seenOf(
        db,
        account.id,
        list.map((m) => m.uidl),
      ),
    );
    const since = sinceDate(account).getTime();
    let downloaded = 0;
    let pending: Pending[] = [];
    let pendingBytes = 0;
    // the previous batch being recorded while the next one downloads (POP3 answers one RETR at a time)
    let recording: Promise<void> = Promise.resolve();
    const flush = async () => {
      await recording;
      if (!pending.length) return;
      // stopped while the previous batch was being recorded: this one is not
      checkAborted(run);
      const batch = pending;
      pending = [];
      pendingBytes = 0;
      recording = record(run, batch, seen);
      // a failure surfaces at the next flush; until then it must not count as unhandled
      recording.catch(() => undefined);
    };
    try {
      for (const m of list) {
        if (seen.has(m.uidl)) continue;
        if (downloaded >= run.limit) {
          run.more = true;
          break;
        }
        checkAborted(run);
        const raw = await client.retr(m.num);
        downloaded++;
        const parsed = await local(() => parseSafely(raw));
        const date = parsed.parsed.date ? Date.parse(parsed.parsed.date) : NaN;
        // before the account's start: not stored, not downloaded again, never deleted
        const old = !Number.isNaN(date) && date < since;
        pending.push({ uidl: m.uidl, raw, parsed, old });
        pendingBytes += raw.length;
        if (pending.length >= run.txBatch || pendingBytes >= BATCH_BYTES) await flush();
      }
      await flush();
    } finally {
      // never leave a batch being written behind (the run's end records counts and lets go of the lease)
      await recording.catch(() => undefined);
    }
    await recording;

    const deleted: string[] = [];
    if (account.delete_after_fetch === 1) {
      for (const m of list) {
        const s = seen.get(m.uidl);
        if (!s?.message_id) continue;
        checkAborted(run);
        await client.dele(m.num);
        deleted.push(m.uidl);
      }
    }
    await client.quit();
    quit = true;
    if (deleted.length) {
      const at = nowIso();
      for (let i = 0; i < deleted.length; i += IN_CHUNK) {
        await local(() =>
          db
            .updateTable('mail_pop3_seen')
            .set({ deleted_at: at })
            .where('account_id', '=', account.id)
            .where('uidl', 'in', deleted.slice(i, i + IN_CHUNK))
            .execute(),
        );
      }
      run.counts.deleted += deleted.length;
    }
  } finally {
    // without QUIT the server keeps every message (DELEs are not committed)
    if (!quit) client.close();
  }
}
