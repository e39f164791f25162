import { createHash } from 'node:crypto';
import { MAX_FILE_BYTES } from '@common/schemas/files';
import type { MailAddress } from '@common/schemas/mail';
import type { Db, DbOrTx, FilesTable, MailMessagesTable, Tx } from '@server/db/types';
import { newId, nowIso } from '@server/db/ids';
import { indexRecord } from '@server/db/search';
import { cleanFileName, cleanMime } from '@server/platform/files/files.service';
import { storeBlob, TooLargeError } from '@server/platform/files/files.storage';
import { parseMail, type ParsedMail } from './protocol/parse';
import { linkMessage } from './links';

/**
 * Stores received messages for an account: the mail_messages row (inbox), its attachments and raw
 * source as files (entity 'mail_message'), the search grams and the customer links — all in one
 * transaction, together with the caller's own bookkeeping (POP3 seen UIDL, IMAP last UID), so a run
 * killed at any moment leaves either all of it or none. Duplicates (same Message-ID, or the same
 * bytes when there is none) are not stored again: the unique (account_id, dedupe_key) index settles
 * even two runs racing. The bytes are written first, outside the transaction, the way saveFile does
 * (files service): a few messages at once, then recorded together, because a commit per message
 * and a blob write inside each transaction cost more than the rest of storing (bench:mail).
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

const SNIPPET_CHARS = 200;

/** Postgres text refuses NUL; some mail carries it. */
const clean = (s: string | null | undefined): string | null => (s == null ? null : s.replace(/\u0000/g, ''));

/** 'm:<Message-ID>' (angle brackets and spaces dropped; an absurdly long id hashed) or 'h:<sha256 of the source>'. */
export function dedupeKeyOf(messageId: string | null | undefined, raw: Buffer): string {
  const id = (messageId ?? '').trim().replace(/^<|>$/g, '').trim();
  if (id) return id.length > 300 ? `m:sha256:${createHash('sha256').update(id).digest('hex')}` : `m:${id}`;
  return `h:${createHash('sha256').update(raw).digest('hex')}`;
}

/** Plain text of an HTML body, for the snippet only. */
function htmlToText(html: string): string {
  return html
    .replace(/<(style|script|head)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&amp;/gi, '&')
    .replace(/&quot;/gi, '"')
    .replace(/&#39;/gi, "'");
}

export function snippetOf(text: string | null, html: string | null): string {
  const base = text ?? (html ? htmlToText(html.slice(0, 200_000)) : '');
  return Array.from(base.replace(/\s+/g, ' ').trim()).slice(0, SNIPPET_CHARS).join('');
}

/** What headers give when the parser gave up: kept as raw source, listed under its subject if one is readable. */
function fallbackParse(raw: Buffer): ParsedMail {
  const head = raw.subarray(0, 64 * 1024).toString('latin1');
  const header = (name: string) => new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? null;
  return {
    messageId: header('Message-ID'),
    inReplyTo: null,
    references: [],
    subject: header('Subject') ?? '',
    from: null,
    to: [],
    cc: [],
    date: null,
    text: null,
    html: null,
    attachments: [],
  };
}

function isoOrNull(date: string | null): string | null {
  if (!date) return null;
  const t = Date.parse(date);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

const addr = (a: MailAddress): MailAddress => ({ name: clean(a.name) || null, address: clean(a.address) ?? '' });

/** Parses the source (never throws: an unparsable message is kept raw). */
export async function parseSafely(raw: Buffer): Promise<{ parsed: ParsedMail; failed: boolean }> {
  try {
    return { parsed: await parseMail(raw), failed: false };
  } catch {
    return { parsed: fallbackParse(raw), failed: true };
  }
}

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

/** Writes bytes to the content-addressed store; null when past the files limit (the part is skipped). */
async function blobOf(dataDir: string, data: Buffer): Promise<Blob | null> {
  try {
    return await storeBlob(dataDir, data, { maxBytes: MAX_FILE_BYTES });
  } catch (err) {
    if (err instanceof TooLargeError) return null;
    throw err;
  }
}

/**
 * Parses a source (unless given parsed), works out its dedupe key and, for a message not stored yet,
 * writes its raw source and parts as blobs — outside any transaction (slow I/O; an orphan blob is
 * harmless), so several messages can be prepared at once and recorded together.
 */
export async function prepareMessage(
  ctx: { db: Db; dataDir: string },
  accountId: string,
  raw: Buffer,
  preParsed?: { parsed: ParsedMail; failed: boolean },
): Promise<PreparedMessage> {
  const { parsed, failed } = preParsed ?? (await parseSafely(raw));
  const dedupeKey = dedupeKeyOf(parsed.messageId, raw);
  const knownId = (await existing(ctx.db, accountId, dedupeKey)) ?? null;
  const prepared: PreparedMessage = { raw, parsed, parseFailed: failed, dedupeKey, knownId, rawFile: null, files: [] };
  if (knownId) return prepared;
  const [rawBlob, ...parts] = await Promise.all([raw, ...parsed.attachments.map((a) => a.content)].map((d) => blobOf(ctx.dataDir, d)));
  if (rawBlob) prepared.rawFile = { name: 'message.eml', mime: 'message/rfc822', blob: rawBlob, contentId: null, inline: false };
  parsed.attachments.forEach((a, i) => {
    const blob = parts[i];
    if (blob) {
      const contentId = a.contentId ? a.contentId.trim().replace(/^<|>$/g, '') : null;
      prepared.files.push({ name: a.filename, mime: a.contentType, blob, contentId, inline: a.inline });
    }
  });
  return prepared;
}

/**
 * Records prepared messages of one account in ONE transaction (message rows, files, attachments,
 * search grams, customer links), then `after` with the results in the same transaction — so the
 * caller's progress (POP3 seen UIDLs, IMAP last UID) commits with them. A message already stored
 * (or stored meanwhile by another run: the unique key makes the insert a no-op) comes back with
 * created false and nothing written for it.
 */
export async function writeMessages(
  ctx: { db: Db; dataDir: string },
  account: StoreAccount,
  items: { prepared: PreparedMessage; meta?: StoreMeta }[],
  after?: (tx: Tx, results: StoreResult[]) => Promise<void>,
): Promise<StoreResult[]> {
  return ctx.db.transaction().execute(async (tx) => {
    const results: StoreResult[] = [];
    for (const item of items) results.push(await writeOne(tx, account, item.prepared, item.meta ?? {}));
    if (after) await after(tx, results);
    return results;
  });
}

async function writeOne(tx: Tx, account: StoreAccount, p: PreparedMessage, meta: StoreMeta): Promise<StoreResult> {
  const { parsed } = p;
  const from = parsed.from ? addr(parsed.from) : null;
  const subject = clean(parsed.subject) ?? '';
  const result = (id: string, created: boolean): StoreResult => ({ id, created, parseFailed: p.parseFailed, from, subject });
  if (p.knownId) return result(p.knownId, false);

  const now = nowIso();
  const id = newId();
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
  const row: MailMessagesTable & { id: string } = {
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
  };
  const inserted = await tx
    .insertInto('mail_messages')
    .values(row)
    .onConflict((oc) => oc.columns(['account_id', 'dedupe_key']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
    // another run stored it between our check and our insert
    return result((await existing(tx, account.id, p.dedupeKey))!, false);
  }
  const parts = p.files.map((f) => ({ f, file: fileRow(f) }));
  const files = [...(rawRow ? [rawRow] : []), ...parts.map((x) => x.file)];
  if (files.length) await tx.insertInto('files').values(files).execute();
  if (parts.length) {
    await tx
      .insertInto('mail_attachments')
      .values(
        parts.map(({ f, file }) => ({
          id: newId(),
          message_id: id,
          file_id: file.id,
          name: file.name,
          mime: file.mime,
          size: file.size,
          content_id: f.contentId,
          inline: f.inline ? 1 : 0,
        })),
      )
      .execute();
  }
  await indexRecord(
    tx,
    MAIL_MESSAGE_ENTITY,
    id,
    [subject, from?.name, from?.address, ...to.flatMap((a) => [a.name, a.address]), ...cc.flatMap((a) => [a.name, a.address]), snippet],
    { fresh: true },
  );
  const own = account.address.toLowerCase();
  const addresses = [from?.address, ...to.map((a) => a.address), ...cc.map((a) => a.address)].filter(
    (a): a is string => !!a && a.toLowerCase() !== own,
  );
  await linkMessage(tx, id, addresses, now);
  return result(id, true);
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
  preParsed?: { parsed: ParsedMail; failed: boolean },
): Promise<StoreResult> {
  const prepared = await prepareMessage(ctx, account.id, raw, preParsed);
  const [result] = await writeMessages(ctx, account, [{ prepared, meta }], within ? (tx, r) => within(tx, r[0]) : undefined);
  return result;
}

async function existing(db: DbOrTx, accountId: string, dedupeKey: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('mail_messages')
    .select('id')
    .where('account_id', '=', accountId)
    .where('dedupe_key', '=', dedupeKey)
    .executeTakeFirst();
  return row?.id;
}
