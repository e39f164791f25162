import type { ImapFlow } from 'imapflow';
import type { DbOrTx } from '@server/db/types';
import { nowIso } from '@server/db/ids';
import type { MailConnectOptions } from './protocol/errors';
import { openImap } from './protocol/imap';
import { dedupeKeyOf, prepareMessages, writeMessages } from './store';
import { BATCH_BYTES, checkAborted, countStored, local, sinceDate, type FetchRun } from './fetch-run';

/**
 * IMAP: INBOX by UID. mail_sync_state keeps INBOX's UIDVALIDITY and the highest UID committed here;
 * a run takes UID > last_uid received SINCE fetch_since (the first run: everything since that day).
 * When UIDVALIDITY changed, the UIDs mean nothing any more: the run starts over from fetch_since and
 * dedupe (Message-ID / source hash) keeps what is stored from coming twice. Sources are downloaded in
 * small batches (≤ 20 messages / 4 MB), prepared together and committed a few at a time with the highest UID among them, so a killed run
 * resumes after the last committed batch.
 */

const FOLDER = 'INBOX';
const ENVELOPE_CHUNK = 200;
const BATCH_MESSAGES = 20;

async function saveState(db: DbOrTx, accountId: string, uidvalidity: string, lastUid: number): Promise<void> {
  const now = nowIso();
  await db
    .insertInto('mail_sync_state')
    .values({ account_id: accountId, folder: FOLDER, uidvalidity, last_uid: lastUid, updated_at: now })
    .onConflict((oc) => oc.columns(['account_id', 'folder']).doUpdateSet({ uidvalidity, last_uid: lastUid, updated_at: now }))
    .execute();
}

/** Runs one IMAP fetch for the account (see the file comment). */
export async function fetchImap(run: FetchRun, conn: MailConnectOptions): Promise<void> {
  const client = await openImap(conn);
  try {
    const lock = await client.getMailboxLock(FOLDER);
    try {
      await fetchInbox(run, client);
    } finally {
      lock.release();
    }
    await client.logout().catch(() => undefined);
  } finally {
    client.close();
  }
}

async function fetchInbox(run: FetchRun, client: ImapFlow): Promise<void> {
  const { db } = run.ctx;
  const account = run.account;
  const mailbox = client.mailbox;
  if (!mailbox) throw new Error('INBOX not selected');
  const validity = String(mailbox.uidValidity);
  const state = await local(() =>
    db.selectFrom('mail_sync_state').selectAll().where('account_id', '=', account.id).where('folder', '=', FOLDER).executeTakeFirst(),
  );
  let lastUid = state && state.uidvalidity === validity ? state.last_uid : 0;
  if (!state || state.uidvalidity !== validity) await local(() => saveState(db, account.id, validity, 0));

  const found = await client.search({ uid: `${lastUid + 1}:*`, since: sinceDate(account) }, { uid: true });
  // `n:*` always names the highest message, even below n
  const all = (Array.isArray(found) ? found : []).filter((u) => u > lastUid).sort((a, b) => a - b);
  run.more = all.length > run.limit;
  const uids = all.slice(0, run.limit);

  for (let i = 0; i < uids.length; i += ENVELOPE_CHUNK) {
    const chunk = uids.slice(i, i + ENVELOPE_CHUNK);
    const infos = await client.fetchAll(chunk.join(','), { uid: true, size: true, envelope: true, flags: true }, { uid: true });
    const byUid = new Map(infos.map((m) => [m.uid, m]));
    // messages stored before (a re-scan after UIDVALIDITY changed) are not downloaded again
    const keys = infos.filter((m) => m.envelope?.messageId).map((m) => dedupeKeyOf(m.envelope!.messageId, Buffer.alloc(0)));
    const known = new Set<string>();
    for (let k = 0; k < keys.length; k += 500) {
      const rows = await local(() =>
        db
          .selectFrom('mail_messages')
          .select('dedupe_key')
          .where('account_id', '=', account.id)
          .where('dedupe_key', 'in', keys.slice(k, k + 500))
          .execute(),
      );
      for (const r of rows) known.add(r.dedupe_key);
    }

    let batch: number[] = [];
    // known messages skipped since the last write of the state (written once per chunk)
    let skippedPast = false;
    let batchBytes = 0;
    const flush = async () => {
      if (!batch.length) return;
      const uidsOfBatch = batch;
      batch = [];
      batchBytes = 0;
      const seen = new Set(uidsOfBatch.filter((u) => byUid.get(u)?.flags?.has('\\Seen')));
      lastUid = await storeBatch(run, client, uidsOfBatch, seen, validity, lastUid);
    };
    for (const uid of chunk) {
      const info = byUid.get(uid);
      if (!info) continue; // expunged meanwhile
      const messageId = info.envelope?.messageId;
      if (messageId && known.has(dedupeKeyOf(messageId, Buffer.alloc(0)))) {
        await flush();
        checkAborted(run);
        run.counts.skipped++;
        lastUid = uid;
        skippedPast = true;
        continue;
      }
      const size = info.size ?? 0;
      if (batch.length && (batch.length >= BATCH_MESSAGES || batchBytes + size > BATCH_BYTES)) await flush();
      batch.push(uid);
      batchBytes += size;
    }
    await flush();
    if (skippedPast) {
      const upTo = lastUid;
      await local(() => saveState(db, account.id, validity, upTo));
    }
  }
}

/** Downloads a few messages' sources, stores them a transaction batch at a time (with their highest UID), then marks them read if asked. */
async function storeBatch(
  run: FetchRun,
  client: ImapFlow,
  uids: number[],
  seenOnServer: Set<number>,
  validity: string,
  lastUid: number,
): Promise<number> {
  const account = run.account;
  const messages = (await client.fetchAll(uids.join(','), { uid: true, source: true }, { uid: true }))
    .filter((m) => m.source)
    .sort((a, b) => a.uid - b.uid);
  checkAborted(run);
  // parsed and written to the file store together (I/O in parallel), outside any transaction
  const prepared = await local(() =>
    prepareMessages(
      run.ctx,
      account.id,
      messages.map((m) => ({ raw: m.source! })),
    ),
  );
  const stored: number[] = [];
  try {
    for (let i = 0; i < messages.length; i += run.txBatch) {
      checkAborted(run);
      const group = messages.slice(i, i + run.txBatch);
      const upTo = group[group.length - 1].uid;
      const results = await local(() =>
        writeMessages(
          run.ctx,
          account,
          // read elsewhere already: read here too
          group.map((m, j) => ({
            prepared: prepared[i + j],
            meta: { remoteFolder: FOLDER, remoteUid: m.uid, seen: seenOnServer.has(m.uid) },
          })),
          (tx) => saveState(tx, account.id, validity, upTo),
        ),
      );
      lastUid = upTo;
      stored.push(...group.map((m) => m.uid));
      for (const r of results) {
        countStored(run, r);
        await run.afterMessage();
      }
    }
  } finally {
    // only what is committed here is marked read on the server
    if (account.mark_as_read === 1 && stored.length) {
      await client.messageFlagsAdd(stored.join(','), ['\\Seen'], { uid: true }).catch(() => undefined);
    }
  }
  return lastUid;
}
