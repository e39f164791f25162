import { sql } from 'kysely';
import type { MailListItem, MailMessage, MessageListQuery } from '@common/schemas/mail';
import type { z } from 'zod';
import type { messageFlagsBody } from '@common/schemas/mail';
import type { Db, DbOrTx } from '@server/db/types';
import { nowIso } from '@server/db/ids';
import type { Auth } from '@server/platform/access/types';
import { audit, type Actor } from '@server/platform/audit/audit.service';
import { AppError } from '@server/platform/http/errors';
import type { RealtimeHub } from '@server/platform/realtime/realtime.hub';
import { afterCommit, inTransaction } from '@server/platform/notify/transaction';
import { customerVisible } from '@server/modules/customers/visibility';
import {
  attachmentsOf,
  linkedCustomers,
  listMessageRows,
  ownMessage,
  parseAddresses,
  presentListItem,
  readableMessage,
  type MessageRow,
} from './messages.repository';
import { sanitizeMailHtml } from './sanitize';

/**
 * The mailbox: a user's own folders with search, reading (sanitised HTML, remote images on request,
 * opening marks read), flags, trash and delete; and a customer's mail for its timeline, which others
 * read within their 'mail' scope when they see the customer.
 */

type Ctx = { db: Db; realtime: Pick<RealtimeHub, 'publish'> };
export type MessageFlags = z.infer<typeof messageFlagsBody>;

/** GET /mail/messages: one page, newest first. With customerId: that customer's mail (404 when the reader does not see it). */
export async function listMessages(
  db: DbOrTx,
  auth: Auth,
  q: MessageListQuery,
): Promise<{ items: MailListItem[]; nextCursor: string | null }> {
  if (q.customerId) {
    const visible = await db
      .selectFrom('customers as c')
      .select('c.id')
      .where('c.id', '=', q.customerId)
      .where('c.deleted_at', 'is', null)
      .where(customerVisible(auth))
      .executeTakeFirst();
    if (!visible) throw new AppError('not_found');
  }
  const rows = await listMessageRows(db, auth, q);
  const page = rows.slice(0, q.limit);
  const customers = await linkedCustomers(
    db,
    auth,
    page.map((r) => r.id),
  );
  return {
    items: page.map((r) => presentListItem(r, customers.get(r.id) ?? [])),
    nextCursor: rows.length > q.limit ? page[page.length - 1].id : null,
  };
}

async function present(db: DbOrTx, auth: Auth, row: MessageRow, allowRemoteImages: boolean): Promise<MailMessage> {
  const [attachments, customers] = await Promise.all([attachmentsOf(db, row.id), linkedCustomers(db, auth, [row.id])]);
  const inline = new Map(attachments.filter((a) => a.content_id).map((a) => [a.content_id!, a.file_id]));
  const sanitized = row.html_body ? sanitizeMailHtml(row.html_body, { inline, allowRemoteImages }) : null;
  return {
    ...presentListItem(row, customers.get(row.id) ?? []),
    cc: parseAddresses(row.cc_addresses),
    // only the sender sees whom they sent blind copies to
    bcc: row.user_id === auth.user.id ? parseAddresses(row.bcc_addresses) : [],
    messageId: row.message_id,
    inReplyTo: row.in_reply_to,
    html: sanitized?.html ?? null,
    text: row.text_body,
    remoteImagesBlocked: sanitized?.remoteImagesBlocked ?? false,
    attachments: attachments.map((a) => ({
      id: a.id,
      fileId: a.file_id,
      name: a.name,
      mime: a.mime,
      size: a.size,
      inline: a.inline === 1,
    })),
    sendError: row.send_error,
    version: row.version,
  };
}

/**
 * GET /mail/messages/:id — the owner's message (opening it marks it read), or one shared through a
 * customer (read only). Anything else 404.
 */
export async function getMessage(ctx: Ctx, auth: Auth, id: string, allowRemoteImages: boolean): Promise<MailMessage> {
  const row = await readableMessage(ctx.db, auth, id);
  if (!row) throw new AppError('not_found');
  if (row.user_id === auth.user.id && row.seen === 0) {
    await ctx.db.updateTable('mail_messages').set({ seen: 1 }).where('id', '=', id).execute();
    row.seen = 1;
    await ctx.realtime
      .publish(auth.user.id, { type: 'mail', data: { accountId: row.account_id, folder: row.folder } })
      .catch(() => undefined);
  }
  return present(ctx.db, auth, row, allowRemoteImages);
}

/**
 * GET /mail/messages/:id/body — the sanitised body alone (as getMessage shows it, same access; it
 * does not mark the message read), for the read view's frame. Anything else 404.
 */
export async function getMessageBody(
  db: DbOrTx,
  auth: Auth,
  id: string,
  allowRemoteImages: boolean,
): Promise<{ html: string | null; text: string | null }> {
  const row = await readableMessage(db, auth, id);
  if (!row) throw new AppError('not_found');
  if (!row.html_body) return { html: null, text: row.text_body };
  const attachments = await attachmentsOf(db, row.id);
  const inline = new Map(attachments.filter((a) => a.content_id).map((a) => [a.content_id!, a.file_id]));
  return { html: sanitizeMailHtml(row.html_body, { inline, allowRemoteImages }).html, text: row.text_body };
}

/**
 * PATCH /mail/messages/:id — read / starred flags, and moving between a folder and the trash
 * (to trash keeps where it was; out of trash goes back there). Folder moves are audited; the
 * personal read / star flags are not.
 */
export async function updateFlags(ctx: Ctx, auth: Auth, actor: Actor, id: string, body: MessageFlags): Promise<MailListItem> {
  return inTransaction(ctx.db, async (tx) => {
    const row = await ownMessage(tx, auth.user.id, id);
    if (!row) throw new AppError('not_found');
    const patch: { seen?: number; starred?: number; folder?: string; previous_folder?: string | null } = {};
    if (body.seen !== undefined) patch.seen = body.seen ? 1 : 0;
    if (body.starred !== undefined) patch.starred = body.starred ? 1 : 0;
    if (body.folder === 'trash' && row.folder !== 'trash') Object.assign(patch, { folder: 'trash', previous_folder: row.folder });
    if (body.folder === 'inbox' && row.folder === 'trash')
      Object.assign(patch, { folder: row.previous_folder ?? 'inbox', previous_folder: null });
    if (!Object.keys(patch).length) return presentListItem(row);
    const now = nowIso();
    const moved = patch.folder !== undefined;
    await tx
      .updateTable('mail_messages')
      .set({ ...patch, ...(moved ? { version: sql<number>`version + 1`, updated_at: now } : {}) })
      .where('id', '=', id)
      .execute();
    if (moved) {
      await audit(tx, actor, {
        action: 'update',
        entity: 'mail_message',
        entityId: id,
        before: { folder: row.folder },
        after: { folder: patch.folder },
        detail: row.subject.slice(0, 200),
      });
    }
    const after = { ...row, ...patch };
    afterCommit(tx, () => ctx.realtime.publish(auth.user.id, { type: 'mail', data: { accountId: row.account_id, folder: after.folder } }));
    return presentListItem(after);
  });
}

/**
 * DELETE /mail/messages/:id — outside the trash it moves there; in the trash it is deleted (soft:
 * its key stays, so the same message is not fetched again). Audited.
 */
export async function deleteMessage(ctx: Ctx, auth: Auth, actor: Actor, id: string): Promise<void> {
  await inTransaction(ctx.db, async (tx) => {
    const row = await ownMessage(tx, auth.user.id, id);
    if (!row) throw new AppError('not_found');
    const now = nowIso();
    const toTrash = row.folder !== 'trash';
    await tx
      .updateTable('mail_messages')
      .set(
        toTrash
          ? { folder: 'trash', previous_folder: row.folder, version: sql<number>`version + 1`, updated_at: now }
          : { deleted_at: now, version: sql<number>`version + 1`, updated_at: now },
      )
      .where('id', '=', id)
      .execute();
    await audit(tx, actor, {
      action: toTrash ? 'update' : 'delete',
      entity: 'mail_message',
      entityId: id,
      before: { folder: row.folder },
      after: toTrash ? { folder: 'trash' } : null,
      detail: row.subject.slice(0, 200),
    });
    afterCommit(tx, () => ctx.realtime.publish(auth.user.id, { type: 'mail', data: { accountId: row.account_id, folder: 'trash' } }));
  });
}
