import { MAX_FILE_BYTES } from '@common/schemas/files';
import type { MailAddress } from '@common/schemas/mail';
import type { Db, DbOrTx, FilesTable, MailMessagesTable, Tx } from '@server/db/types';
import { newId, nowIso } from '@server/db/ids';
import { gramsOfTexts } from '@server/db/search';
import { cleanFileName, cleanMime } from '@server/platform/files/files.service';
import { storeBlob, TooLargeError } from '@server/platform/files/files.storage';
import type { ParsedMail } from './protocol/parse';
import { linkMessages } from './links';
import { addr, clean, dedupeKeyOf, isoOrNull, parseSafely, snippetOf } from './store-parse';

export { dedupeKeyOf, parseSafely, snippetOf } from './store-parse';

/**
 * Stores received messages for an account: the mail_messages row (inbox), its attachments and raw
 * source as files (entity 'mail_message'), the search grams and the customer links — a few messages
 * in one transaction, together with the caller's own bookkeeping (POP3 seen UIDLs, IMAP last UID), so
 * a run killed at any moment leaves each batch whole or absent. Duplicates (same Message-ID, or the
 * same bytes when there is none) are not stored again: the unique (account_id, dedupe_key) index
 * settles even two runs racing. The bytes are written first, outside the transaction (as saveFile
 * does), several at once; the rows of a batch are written with one statement per table — a commit,
 * a blob write or a round trip per message cost more than the rest of storing (bench:mail).
 */

export const MAIL_MESSAGE_ENTITY = 'mail_message';

export type StoreAccount = { id: string; user_id: string; address: string };
export type StoreMeta = { remoteFolder?: string | null; remoteUid?: number | null; pop3Uidl?: string | null; seen?: boolean };
export type StoreResult = {
  /** the stored message (or the one already stored under the same key) */
  id: string;
  created: boolean;
  /** the source could not be parsed: kept as raw source with what its headers gave */
  parseFailed: boolean;
  from: MailAddress | null;
  subject: string;
};
/** Runs in the storing transaction, after the message row (created or found). */
export type Within = (tx: Tx, result: StoreResult) => Promise<void>;

type Blob = { sha256: string; size: number };
type PreparedFile = { name: string; mime: string; blob: Blob; contentId: string | null; inline: boolean };

/** A parsed message with its files written, ready to be recorded in a transaction (writeMessages). */
export type PreparedMessage = {
  raw: Buffer;
  parsed: ParsedMail;
  parseFailed: boolean;
  dedupeKey: string;
  /** stored before already (checked when prepared): nothing to write but the caller's progress */
  knownId: string | null;
  rawFile: PreparedFile | null;
  files: PreparedFile[];
};

type GramRow = { entity: string; entity_id: string; gram: string };

// rows per insert statement: well under both databases' bound-parameter limits
const ROWS = 500;

/** Writes bytes to the content-addressed store; null when past the files limit (the part is skipped). */
async function blobOf(dataDir: string, data: Buffer): Promise<Blob | null> {
  try {
    return await storeBlob(dataDir, data, { maxBytes: MAX_FILE_BYTES });
  } catch (err) {
    if (err instanceof TooLargeError) return null;
    throw err;
  }
}

async function existingIds(db: DbOrTx, accountId: string, keys: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < keys.length; i += ROWS) {
    const rows = await db
      .selectFrom('mail_messages')
      .select(['id', 'dedupe_key'])
      .where('account_id', '=', accountId)
      .where('dedupe_key', 'in', keys.slice(i, i + ROWS))
      .execute();
    for (const r of rows) out.set(r.dedupe_key, r.id);
  }
  return out;
}

/**
 * Parses sources (unless given parsed), works out their dedupe keys and, for messages not stored
 * yet, writes raw sources and parts as blobs — outside any transaction, all at once (an orphan blob
 * is harmless). Same order as given.
 */
export async function prepareMessages(
  ctx: { db: Db; dataDir: string },
  accountId: string,
  sources: { raw: Buffer; parsed?: { parsed: ParsedMail; failed: boolean } }[],
): Promise<PreparedMessage[]> {
  const parsed = await Promise.all(sources.map(async (src) => src.parsed ?? (await parseSafely(src.raw))));
  const keys = sources.map((src, i) => dedupeKeyOf(parsed[i].parsed.messageId, src.raw));
  const known = await existingIds(ctx.db, accountId, [...new Set(keys)]);
  return Promise.all(
    sources.map(async (src, i): Promise<PreparedMessage> => {
      const p = parsed[i].parsed;
      const prepared: PreparedMessage = {
        raw: src.raw,
        parsed: p,
        parseFailed: parsed[i].failed,
        dedupeKey: keys[i],
        knownId: known.get(keys[i]) ?? null,
        rawFile: null,
        files: [],
      };
      if (prepared.knownId) return prepared;
      const [rawBlob, ...parts] = await Promise.all([src.raw, ...p.attachments.map((a) => a.content)].map((d) => blobOf(ctx.dataDir, d)));
      if (rawBlob) prepared.rawFile = { name: 'message.eml', mime: 'message/rfc822', blob: rawBlob, contentId: null, inline: false };
      p.attachments.forEach((a, j) => {
        const blob = parts[j];
        const contentId = a.contentId ? a.contentId.trim().replace(/^<|>$/g, '') : null;
        if (blob) prepared.files.push({ name: a.filename, mime: a.contentType, blob, contentId, inline: a.inline });
      });
      return prepared;
    }),
  );
}

type Planned = {
  row: MailMessagesTable & { id: string };
  prepared: PreparedMessage;
  result: StoreResult;
  rawRow: FilesTable | null;
  parts: { f: PreparedFile; file: FilesTable }[];
  texts: (string | null | undefined)[];
  addresses: string[];
};

/** The rows one new message becomes (nothing written yet). */
function plan(account: StoreAccount, p: PreparedMessage, meta: StoreMeta, now: string): Planned {
  const { parsed } = p;
  const id = newId();
  const from = parsed.from ? addr(parsed.from) : null;
  const subject = clean(parsed.subject) ?? '';
  const to = parsed.to.map(addr);
  const cc = parsed.cc.map(addr);
  const text = clean(parsed.text);
  const html = clean(parsed.html);
  const snippet = snippetOf(text, html);
  const fileRow = (f: PreparedFile): FilesTable => ({
    id: newId(),
    name: cleanFileName(f.name),
    mime: cleanMime(f.mime),
    size: f.blob.size,
    sha256: f.blob.sha256,
    entity: MAIL_MESSAGE_ENTITY,
    entity_id: id,
    owner_id: account.user_id,
    created_at: now,
    deleted_at: null,
  });
  const rawRow = p.rawFile ? fileRow(p.rawFile) : null;
  const own = account.address.toLowerCase();
  return {
    prepared: p,
    result: { id, created: true, parseFailed: p.parseFailed, from, subject },
    rawRow,
    parts: p.files.map((f) => ({ f, file: fileRow(f) })),
    texts: [
      subject,
      from?.name,
      from?.address,
      ...to.flatMap((a) => [a.name, a.address]),
      ...cc.flatMap((a) => [a.name, a.address]),
      snippet,
    ],
    addresses: [from?.address, ...to.map((a) => a.address), ...cc.map((a) => a.address)].filter(
      (a): a is string => !!a && a.toLowerCase() !== own,
    ),
    row: {
      id,
      version: 1,
      created_by: null,
      created_at: now,
      updated_at: now,
      deleted_at: null,
      account_id: account.id,
      user_id: account.user_id,
      folder: 'inbox',
      previous_folder: null,
      dedupe_key: p.dedupeKey,
      message_id: clean(parsed.messageId),
      in_reply_to: clean(parsed.inReplyTo),
      references_header: parsed.references.length ? clean(parsed.references.join(' ')) : null,
      subject,
      from_address: from?.address.toLowerCase() ?? null,
      from_name: from?.name ?? null,
      to_addresses: JSON.stringify(to),
      cc_addresses: JSON.stringify(cc),
      bcc_addresses: '[]',
      sent_at: isoOrNull(parsed.date),
      received_at: now,
      text_body: text,
      html_body: html,
      snippet,
      size: p.raw.length,
      has_attachments: parsed.attachments.some((a) => !a.inline) ? 1 : 0,
      seen: meta.seen ? 1 : 0,
      starred: 0,
      raw_file_id: rawRow?.id ?? null,
      remote_folder: meta.remoteFolder ?? null,
      remote_uid: meta.remoteUid ?? null,
      pop3_uidl: meta.pop3Uidl ?? null,
      send_status: null,
      send_error: null,
      batch_id: null,
    },
  };
}

async function insertAll<T>(rows: T[], chunk: number, insert: (rows: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) await insert(rows.slice(i, i + chunk));
}

/**
 * Records prepared messages of one account in ONE transaction, then `after` with the results (same
 * order) in that transaction — so the caller's progress commits with them. A message already stored
 * (or stored meanwhile by another run: the unique key makes its insert a no-op) comes back with
 * created false and nothing written for it.
 */
export async function writeMessages(
  ctx: { db: Db; dataDir: string },
  account: StoreAccount,
  items: { prepared: PreparedMessage; meta?: StoreMeta }[],
  after?: (tx: Tx, results: StoreResult[]) => Promise<void>,
): Promise<StoreResult[]> {
  return ctx.db.transaction().execute(async (tx) => {
    const now = nowIso();
    const results: (StoreResult | null)[] = items.map(({ prepared: p }) =>
      p.knownId
        ? {
            id: p.knownId,
            created: false,
            parseFailed: p.parseFailed,
            from: p.parsed.from ? addr(p.parsed.from) : null,
            subject: clean(p.parsed.subject) ?? '',
          }
        : null,
    );
    // one message per key within the batch (the same message listed twice)
    const byKey = new Map<string, Planned>();
    items.forEach((item, i) => {
      if (!results[i] && !byKey.has(item.prepared.dedupeKey))
        byKey.set(item.prepared.dedupeKey, plan(account, item.prepared, item.meta ?? {}, now));
    });
    const planned = [...byKey.values()];
    const inserted = new Set<string>();
    // a few rows at a time: bodies can be large
    await insertAll(planned, 20, async (chunk) => {
      const rows = await tx
        .insertInto('mail_messages')
        .values(chunk.map((x) => x.row))
        .onConflict((oc) => oc.columns(['account_id', 'dedupe_key']).doNothing())
        .returning('id')
        .execute();
      for (const r of rows) inserted.add(r.id);
    });
    const fresh = planned.filter((x) => inserted.has(x.row.id));
    // another run stored these between our check and our insert
    const raced = planned.filter((x) => !inserted.has(x.row.id));
    const racedIds = raced.length
      ? await existingIds(
          tx,
          account.id,
          raced.map((x) => x.row.dedupe_key),
        )
      : new Map<string, string>();

    const files = fresh.flatMap((x) => [...(x.rawRow ? [x.rawRow] : []), ...x.parts.map((p) => p.file)]);
    await insertAll(files, ROWS / 10, (rows) => tx.insertInto('files').values(rows).execute());
    const attachments = fresh.flatMap((x) =>
      x.parts.map(({ f, file }) => ({
        id: newId(),
        message_id: x.row.id,
        file_id: file.id,
        name: file.name,
        mime: file.mime,
        size: file.size,
        content_id: f.contentId,
        inline: f.inline ? 1 : 0,
      })),
    );
    await insertAll(attachments, ROWS / 10, (rows) => tx.insertInto('mail_attachments').values(rows).execute());

    // the batch's search grams sorted (as bulk loaders do, see search.ts): messages share most
    // grams, so sorted inserts touch each index page once instead of once per message
    const grams: GramRow[] = fresh.flatMap((x) =>
      gramsOfTexts(x.texts).map((gram) => ({ entity: MAIL_MESSAGE_ENTITY, entity_id: x.row.id, gram })),
    );
    grams.sort((a, b) => (a.gram < b.gram ? -1 : a.gram > b.gram ? 1 : a.entity_id < b.entity_id ? -1 : 1));
    await insertAll(grams, ROWS, (rows) => tx.insertInto('search_grams').values(rows).execute());
    await linkMessages(
      tx,
      fresh.map((x) => ({ messageId: x.row.id, addresses: x.addresses })),
      now,
    );

    const out = items.map((item, i): StoreResult => {
      const done = results[i];
      if (done) return done;
      const x = byKey.get(item.prepared.dedupeKey)!;
      if (inserted.has(x.row.id) && x.prepared === item.prepared) return x.result;
      const id = inserted.has(x.row.id) ? x.row.id : racedIds.get(x.row.dedupe_key)!;
      return { ...x.result, id, created: false };
    });
    if (after) await after(tx, out);
    return out;
  });
}

/**
 * Stores one message for `account` (see the file comment). `within` runs in the same transaction,
 * whether the message is new or a duplicate, so the caller's progress commits with it.
 */
export async function storeMessage(
  ctx: { db: Db; dataDir: string },
  account: StoreAccount,
  raw: Buffer,
  meta: StoreMeta = {},
  within?: Within,
): Promise<StoreResult> {
  const [prepared] = await prepareMessages(ctx, account.id, [{ raw }]);
  const [result] = await writeMessages(ctx, account, [{ prepared, meta }], within ? (tx, r) => within(tx, r[0]) : undefined);
  return result;
}
