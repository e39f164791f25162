import { createHash } from 'node:crypto';
import { MAX_FILE_BYTES } from '@common/schemas/files';
import type { MailAddress } from '@common/schemas/mail';
import type { Db, MailMessagesTable, Tx } from '@server/db/types';
import { newId, nowIso } from '@server/db/ids';
import { indexRecord } from '@server/db/search';
import { saveFile } from '@server/platform/files/files.service';
import { parseMail, type ParsedMail } from './protocol/parse';
import { linkMessage } from './links';

/**
 * Stores one received message for an account: the mail_messages row (inbox), its attachments and
 * raw source as files (entity 'mail_message'), the search grams and the customer links — all in one
 * transaction, together with the caller's own bookkeeping (POP3 seen UIDL, IMAP last UID), so a run
 * killed at any moment leaves either all of it or none. Duplicates (same Message-ID, or the same
 * bytes when there is none) are not stored again: the unique (account_id, dedupe_key) index settles
 * even two runs racing.
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
  const { parsed, failed } = preParsed ?? (await parseSafely(raw));
  const dedupeKey = dedupeKeyOf(parsed.messageId, raw);
  const from = parsed.from ? addr(parsed.from) : null;
  const subject = clean(parsed.subject) ?? '';
  const duplicate = (id: string): StoreResult => ({ id, created: false, parseFailed: failed, from, subject });

  // the common case of a re-scan: known already, no files to write
  const known = await existing(ctx.db, account.id, dedupeKey);
  if (known) {
    if (within) await ctx.db.transaction().execute((tx) => within(tx, duplicate(known)));
    return duplicate(known);
  }

  const now = nowIso();
  const id = newId();
  const to = parsed.to.map(addr);
  const cc = parsed.cc.map(addr);
  const text = clean(parsed.text);
  const html = clean(parsed.html);
  const snippet = snippetOf(text, html);
  const attachments = parsed.attachments;
  try {
    return await ctx.db.transaction().execute(async (tx) => {
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
        dedupe_key: dedupeKey,
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
        size: raw.length,
        has_attachments: attachments.some((a) => !a.inline) ? 1 : 0,
        seen: meta.seen ? 1 : 0,
        starred: 0,
        raw_file_id: null,
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
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) throw new Duplicate();

      const file = (name: string, mime: string, data: Buffer) =>
        saveFile(tx, ctx.dataDir, { name, mime, data, ownerId: account.user_id, entity: MAIL_MESSAGE_ENTITY, entityId: id });
      // more than the files limit: the parsed parts are still stored; only the raw copy is skipped
      if (raw.length <= MAX_FILE_BYTES) {
        const rawFile = await file('message.eml', 'message/rfc822', raw);
        await tx.updateTable('mail_messages').set({ raw_file_id: rawFile.id }).where('id', '=', id).execute();
      }
      const rows = [];
      for (const a of attachments) {
        if (a.content.length > MAX_FILE_BYTES) continue;
        const f = await file(a.filename, a.contentType, a.content);
        rows.push({
          id: newId(),
          message_id: id,
          file_id: f.id,
          name: f.name,
          mime: f.mime,
          size: f.size,
          content_id: a.contentId ? a.contentId.trim().replace(/^<|>$/g, '') : null,
          inline: a.inline ? 1 : 0,
        });
      }
      if (rows.length) await tx.insertInto('mail_attachments').values(rows).execute();

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
      const result: StoreResult = { id, created: true, parseFailed: failed, from, subject };
      if (within) await within(tx, result);
      return result;
    });
  } catch (err) {
    if (!(err instanceof Duplicate)) throw err;
    // another run stored it between our check and our insert
    const other = (await existing(ctx.db, account.id, dedupeKey))!;
    if (within) await ctx.db.transaction().execute((tx) => within(tx, duplicate(other)));
    return duplicate(other);
  }
}

class Duplicate extends Error {}

async function existing(db: Db, accountId: string, dedupeKey: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('mail_messages')
    .select('id')
    .where('account_id', '=', accountId)
    .where('dedupe_key', '=', dedupeKey)
    .executeTakeFirst();
  return row?.id;
}
