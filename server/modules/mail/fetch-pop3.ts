import type { DbOrTx } from '@server/db/types';
import { nowIso } from '@server/db/ids';
import type { MailConnectOptions } from './protocol/errors';
import { Pop3Client } from './protocol/pop3-client';
import { parseSafely, storeMessage } from './store';
import { checkAborted, countStored, local, sinceDate, type FetchRun } from './fetch-run';

/**
 * POP3: by UIDL. Every UIDL taken in is remembered in mail_pop3_seen in the transaction that stores
 * its message, so a killed run resumes with the next one. POP3 cannot search by date: a message
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

function markSeen(db: DbOrTx, accountId: string, uidl: string, messageId: string | null) {
  return db
    .insertInto('mail_pop3_seen')
    .values({ account_id: accountId, uidl, message_id: messageId, fetched_at: nowIso(), deleted_at: null })
    .onConflict((oc) => oc.columns(['account_id', 'uidl']).doNothing())
    .execute();
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
    for (const m of list) {
      if (seen.has(m.uidl)) continue;
      if (downloaded >= run.limit) break;
      checkAborted(run);
      const raw = await client.retr(m.num);
      downloaded++;
      const parsed = await local(() => parseSafely(raw));
      const date = parsed.parsed.date ? Date.parse(parsed.parsed.date) : NaN;
      if (!Number.isNaN(date) && date < since) {
        // before the account's start: not stored, not downloaded again, never deleted
        await local(() => markSeen(db, account.id, m.uidl, null));
        seen.set(m.uidl, { uidl: m.uidl, message_id: null, deleted_at: null });
        run.counts.skipped++;
        await run.afterMessage();
        continue;
      }
      const result = await local(() =>
        storeMessage(run.ctx, account, raw, { pop3Uidl: m.uidl }, async (tx, r) => void (await markSeen(tx, account.id, m.uidl, r.id)), parsed),
      );
      seen.set(m.uidl, { uidl: m.uidl, message_id: result.id, deleted_at: null });
      countStored(run, result);
      await run.afterMessage();
    }

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
        await local(() => db
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
