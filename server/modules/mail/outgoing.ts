import { readFile } from 'node:fs/promises';
import type { Transporter } from 'nodemailer';
import { translate, type Locale } from '@common/messages/index';
import type { MailAddress } from '@common/schemas/mail';
import type { DbOrTx, Tx } from '@server/db/types';
import { nowIso } from '@server/db/ids';
import type { AppContext } from '@server/platform/http/context';
import { AppError } from '@server/platform/http/errors';
import { filePath, saveFile } from '@server/platform/files/files.service';
import { classifyMailError, type MailConnectOptions, type MailProtocolError } from './protocol/errors';
import { openImap } from './protocol/imap';
import { ownAccount } from './accounts.repository';
import { connectionOf } from './accounts.service';
import { smtpTransport } from './protocol/smtp';
import type { BuiltMail } from './mime';

/**
 * Sending through a user's own account, shared by compose (one mail) and group sending (many):
 * the account with its password, SMTP delivery with the server's answer in plain words, the
 * stored raw source, and the copy appended to the IMAP server's Sent folder (in a job).
 */

export type ConnectOptions = MailConnectOptions;

export type SendAccount = {
  id: string;
  userId: string;
  address: string;
  displayName: string | null;
  protocol: string;
  smtp: ConnectOptions;
  /** IMAP accounts only: where the Sent copy goes */
  imap: ConnectOptions | null;
};

/**
 * The caller's own live account with its decrypted password, else 404 (someone else's account
 * is as absent as a deleted one).
 */
export async function loadSendAccount(
  ctx: Pick<AppContext, 'db' | 'secrets'>,
  userId: string,
  accountId: string,
  db: DbOrTx = ctx.db,
): Promise<SendAccount> {
  const r = await ownAccount(db, userId, accountId);
  if (!r) throw new AppError('not_found');
  const { incoming, smtp } = connectionOf(r, ctx.secrets);
  return {
    id: r.id,
    userId: r.user_id,
    address: r.address,
    displayName: r.display_name,
    protocol: r.incoming_protocol,
    smtp,
    imap: incoming.protocol === 'imap' ? incoming : null,
  };
}

/** The From of the account: its display name, else the user's name. */
export function senderOf(account: SendAccount, userName: string): MailAddress {
  return { name: account.displayName?.trim() || userName, address: account.address };
}

export type Delivery = { ok: true; rejected: string[] } | { ok: false; error: MailProtocolError };

/** Opens an SMTP transport for the account (close it when done). */
export function openSmtp(account: SendAccount): Transporter {
  return smtpTransport(account.smtp) as Transporter;
}

/**
 * Hands the built message to the SMTP server. Never throws for a refusal: the outcome says what
 * the server answered. Recipients refused while others were accepted come back in `rejected`.
 */
export async function deliver(transport: Transporter, built: BuiltMail): Promise<Delivery> {
  try {
    const info = (await transport.sendMail({ envelope: built.envelope, raw: built.raw })) as { rejected?: unknown[] };
    const rejected = (info.rejected ?? []).map((r) => (typeof r === 'string' ? r : ((r as { address?: string }).address ?? String(r))));
    return { ok: true, rejected };
  } catch (err) {
    return { ok: false, error: classifyMailError(err) };
  }
}

/** A send failure in the sender's words, with the server's own reply when there is one. */
export function sendErrorText(locale: Locale, err: MailProtocolError): string {
  const reply = err.serverReply?.trim() || null;
  const words = translate(locale, `error.${err.code}`, { detail: reply ?? err.message });
  return reply && !words.includes(reply) ? translate(locale, 'mailsend.with_reply', { words, reply }) : words;
}

/** Stores the raw source as a file of the message (readable as the message is). */
export async function storeRaw(ctx: Pick<AppContext, 'config'>, tx: Tx, userId: string, messageId: string, raw: Buffer): Promise<string> {
  const file = await saveFile(tx, ctx.config.dataDir, {
    name: 'message.eml',
    mime: 'message/rfc822',
    data: raw,
    ownerId: userId,
    entity: 'mail_message',
    entityId: messageId,
  });
  return file.id;
}

// ------------------------------------------------------------------ the IMAP Sent folder

export const APPEND_SENT_JOB = 'mail.append_sent';
type AppendPayload = { accountId: string; messageIds: string[] };

const SENT_NAMES = ['sent', 'sent messages', 'sent items', '已发送', '已发送邮件'];

type ImapLike = Awaited<ReturnType<typeof openImap>>;

/** The server's Sent folder: SPECIAL-USE \Sent, else a usual name, else a new 'Sent'. */
export async function findSentFolder(client: ImapLike): Promise<string> {
  const boxes = await client.list();
  const byUse = boxes.find((b) => b.specialUse === '\\Sent');
  if (byUse) return byUse.path;
  const leaf = (p: string, d: string | undefined) => (d ? p.split(d).pop()! : p).toLowerCase();
  const byName = boxes.find((b) => SENT_NAMES.includes(b.name.toLowerCase()) || SENT_NAMES.includes(leaf(b.path, b.delimiter)));
  if (byName) return byName.path;
  const created = await client.mailboxCreate('Sent');
  return created.path;
}

/** Later, in a job: the sent copies go into the account's IMAP Sent folder (POP3 accounts have none). */
export async function enqueueAppendSent(
  ctx: Pick<AppContext, 'jobs'>,
  tx: DbOrTx,
  account: Pick<SendAccount, 'id' | 'imap'>,
  messageIds: string[],
): Promise<void> {
  if (!account.imap || !messageIds.length) return;
  await ctx.jobs.enqueue(tx, APPEND_SENT_JOB, { accountId: account.id, messageIds } satisfies AppendPayload);
}

/**
 * Appends the stored raw sources to the Sent folder, flagged \Seen, each remembered as appended
 * (remote_folder) so a retried job does not append it twice. A message without a raw source or
 * an account no longer IMAP is skipped.
 */
export async function appendSent(ctx: Pick<AppContext, 'db' | 'secrets' | 'config'>, payload: AppendPayload): Promise<number> {
  const { db } = ctx;
  const rows = await db
    .selectFrom('mail_messages as m')
    .innerJoin('files as f', 'f.id', 'm.raw_file_id')
    .select(['m.id', 'm.user_id', 'm.sent_at', 'f.sha256'])
    .where('m.id', 'in', payload.messageIds)
    .where('m.account_id', '=', payload.accountId)
    .where('m.send_status', '=', 'sent')
    .where('m.remote_folder', 'is', null)
    .execute();
  if (!rows.length) return 0;
  let account: SendAccount;
  try {
    account = await loadSendAccount(ctx, rows[0].user_id, payload.accountId);
  } catch {
    return 0; // the account is gone
  }
  if (!account.imap) return 0;
  const client = await openImap(account.imap);
  let done = 0;
  try {
    const folder = await findSentFolder(client);
    for (const r of rows) {
      const raw = await readFile(filePath(ctx.config.dataDir, r));
      await client.append(folder, raw, ['\\Seen'], r.sent_at ? new Date(r.sent_at) : new Date());
      await db.updateTable('mail_messages').set({ remote_folder: folder, updated_at: nowIso() }).where('id', '=', r.id).execute();
      done++;
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
  return done;
}

/** Registers the append job (retried with the queue's backoff when the server is unreachable). */
export function installAppendSentJob(ctx: AppContext): void {
  ctx.jobs.registerJob<AppendPayload>(APPEND_SENT_JOB, async (payload) => {
    await appendSent(ctx, payload);
  });
}
