import type { Selectable } from 'kysely';
import type { MailAddress, MailAttachmentInfo, MailFolder, MailMessage } from '@common/schemas/mail';
import type { DbOrTx, MailMessagesTable } from '@server/db/types';
import { newId, nowIso } from '@server/db/ids';
import { attachFiles } from '@server/platform/files/files.service';
import type { Auth } from '@server/platform/access/types';
import { AppError, fieldError } from '@server/platform/http/errors';
import { customerVisible } from '@server/modules/customers/visibility';
import { snippetOf } from './mime';

/**
 * Rows of outgoing mail (drafts, sent and failed sends) and their attachments. Attachments are
 * file ids: fresh uploads of the sender, files already on this draft, or files of the mail being
 * forwarded / of the group-send run (shared, not copied: the same ids stay valid across autosaves).
 */

export type OutgoingContent = {
  accountId: string;
  userId: string;
  from: MailAddress;
  to: MailAddress[];
  cc: MailAddress[];
  bcc: MailAddress[];
  subject: string;
  html: string;
  text: string;
  inReplyTo: string | null;
  references: string[];
};

export type ResolvedAttachment = {
  fileId: string;
  name: string;
  mime: string;
  size: number;
  sha256: string;
  /** 'upload': the sender's fresh upload, attached to the message now; 'shared': already someone's */
  kind: 'upload' | 'shared';
};

const json = (a: MailAddress[]) => JSON.stringify(a.map((x) => ({ name: x.name?.trim() || null, address: x.address })));

/** The own message (any folder), else 404. */
export async function ownMessage(db: DbOrTx, userId: string, id: string): Promise<Selectable<MailMessagesTable>> {
  const row = await db
    .selectFrom('mail_messages')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found');
  return row;
}

/**
 * Checks every attachment id: a live, unattached upload of the user, or a file of `messageId`
 * (the draft being saved or sent), of `forwardOfId` (the user's own mail being forwarded) or of
 * `sharedWith` (a group-send run). Anything else → 400 naming `attachments.<i>`.
 */
export async function resolveAttachments(
  db: DbOrTx,
  userId: string,
  ids: readonly string[],
  from: { messageId?: string | null; forwardOfId?: string | null },
): Promise<ResolvedAttachment[]> {
  const unique = [...new Set(ids)];
  if (!unique.length) return [];
  const files = await db
    .selectFrom('files')
    .select(['id', 'name', 'mime', 'size', 'sha256', 'owner_id', 'entity', 'entity_id'])
    .where('id', 'in', unique)
    .where('deleted_at', 'is', null)
    .execute();
  const onMessages = [from.messageId, from.forwardOfId].filter((x): x is string => !!x);
  const attached = onMessages.length
    ? new Set(
        (
          await db
            .selectFrom('mail_attachments')
            .select('file_id')
            .where('message_id', 'in', onMessages)
            .where('file_id', 'in', unique)
            .execute()
        ).map((r) => r.file_id),
      )
    : new Set<string>();
  const byId = new Map(files.map((f) => [f.id, f]));
  return unique.map((id) => {
    const f = byId.get(id);
    const upload = f && f.owner_id === userId && f.entity === null;
    if (!f || (!upload && !attached.has(id))) throw fieldError(`attachments.${ids.indexOf(id)}`, 'not_found');
    return { fileId: f.id, name: f.name, mime: f.mime, size: f.size, sha256: f.sha256, kind: upload ? 'upload' : 'shared' };
  });
}

/**
 * Makes the message's attachment rows match the list: uploads become files of the message, shared
 * files are referenced; rows no longer listed go (an upload of this message is deleted with its row).
 */
export async function syncAttachments(tx: DbOrTx, messageId: string, userId: string, list: ResolvedAttachment[]): Promise<void> {
  const uploads = list.filter((a) => a.kind === 'upload').map((a) => a.fileId);
  await attachFiles(tx, uploads, 'mail_message', messageId, userId);
  const current = await tx.selectFrom('mail_attachments').select(['id', 'file_id']).where('message_id', '=', messageId).execute();
  const keep = new Set(list.map((a) => a.fileId));
  const gone = current.filter((r) => !keep.has(r.file_id));
  if (gone.length) {
    await tx
      .deleteFrom('mail_attachments')
      .where(
        'id',
        'in',
        gone.map((r) => r.id),
      )
      .execute();
    await tx
      .updateTable('files')
      .set({ deleted_at: nowIso() })
      .where(
        'id',
        'in',
        gone.map((r) => r.file_id),
      )
      .where('entity', '=', 'mail_message')
      .where('entity_id', '=', messageId)
      .execute();
  }
  const have = new Set(current.map((r) => r.file_id));
  const add = list.filter((a) => !have.has(a.fileId));
  if (add.length) {
    await tx
      .insertInto('mail_attachments')
      .values(
        add.map((a) => ({
          id: newId(),
          message_id: messageId,
          file_id: a.fileId,
          name: a.name,
          mime: a.mime,
          size: a.size,
          content_id: null,
          inline: 0,
        })),
      )
      .execute();
  }
}

/** The column values of an outgoing message's content. */
export function contentColumns(c: OutgoingContent, attachments: number) {
  return {
    from_address: c.from.address,
    from_name: c.from.name ?? null,
    to_addresses: json(c.to),
    cc_addresses: json(c.cc),
    bcc_addresses: json(c.bcc),
    subject: c.subject,
    html_body: c.html,
    text_body: c.text,
    snippet: snippetOf(c.text),
    in_reply_to: c.inReplyTo,
    references_header: c.references.length ? c.references.join(' ') : null,
    has_attachments: attachments ? 1 : 0,
  };
}

/** Inserts an outgoing message (a draft, or a send in progress); dedupe key 'o:<id>'. */
export async function insertOutgoing(
  tx: DbOrTx,
  id: string,
  c: OutgoingContent,
  state: { folder: 'drafts' | 'sent'; status: 'draft' | 'sending'; attachments: number; batchId?: string | null; createdBy: string },
): Promise<void> {
  const now = nowIso();
  await tx
    .insertInto('mail_messages')
    .values({
      id,
      version: 1,
      created_by: state.createdBy,
      created_at: now,
      updated_at: now,
      deleted_at: null,
      account_id: c.accountId,
      user_id: c.userId,
      folder: state.folder,
      previous_folder: null,
      dedupe_key: `o:${id}`,
      message_id: null,
      ...contentColumns(c, state.attachments),
      sent_at: null,
      received_at: null,
      size: 0,
      seen: 1,
      starred: 0,
      raw_file_id: null,
      remote_folder: null,
      remote_uid: null,
      pop3_uidl: null,
      send_status: state.status,
      send_error: null,
      batch_id: state.batchId ?? null,
    })
    .execute();
}

const parse = (s: string): MailAddress[] => {
  try {
    return JSON.parse(s) as MailAddress[];
  } catch {
    return [];
  }
};

/** An outgoing message as its author sees it (their own HTML, as written; customers they may see). */
export async function presentOutgoing(db: DbOrTx, auth: Auth, id: string): Promise<MailMessage> {
  const r = await db.selectFrom('mail_messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const atts = await db
    .selectFrom('mail_attachments')
    .select(['id', 'file_id', 'name', 'mime', 'size', 'inline'])
    .where('message_id', '=', id)
    .orderBy('id')
    .execute();
  const customers = await db
    .selectFrom('mail_links as l')
    .innerJoin('customers as c', 'c.id', 'l.customer_id')
    .select(['c.id', 'c.name'])
    .where('l.message_id', '=', id)
    .where('c.deleted_at', 'is', null)
    .where(customerVisible(auth))
    .distinct()
    .execute();
  const attachments: MailAttachmentInfo[] = atts.map((a) => ({
    id: a.id,
    fileId: a.file_id,
    name: a.name,
    mime: a.mime,
    size: a.size,
    inline: a.inline === 1,
  }));
  return {
    id: r.id,
    accountId: r.account_id,
    folder: r.folder as MailFolder,
    subject: r.subject,
    from: r.from_address ? { name: r.from_name, address: r.from_address } : null,
    to: parse(r.to_addresses),
    cc: parse(r.cc_addresses),
    bcc: parse(r.bcc_addresses),
    snippet: r.snippet,
    date: r.sent_at ?? r.updated_at,
    seen: r.seen === 1,
    starred: r.starred === 1,
    hasAttachments: r.has_attachments === 1,
    sendStatus: r.send_status as MailMessage['sendStatus'],
    sendError: r.send_error,
    customers,
    messageId: r.message_id,
    inReplyTo: r.in_reply_to,
    html: r.html_body,
    text: r.text_body,
    remoteImagesBlocked: false,
    attachments,
    version: r.version,
  };
}
