import type { Selectable } from 'kysely';
import { translate, type Locale } from '@common/messages/index';
import type { ComposeBody, MailMessage } from '@common/schemas/mail';
import type { DbOrTx, MailMessagesTable } from '@server/db/types';
import { newId, nowIso } from '@server/db/ids';
import type { Auth } from '@server/platform/access/types';
import { audit, type Actor } from '@server/platform/audit/audit.service';
import { filePath } from '@server/platform/files/files.service';
import type { AppContext } from '@server/platform/http/context';
import { AppError } from '@server/platform/http/errors';
import { afterCommit, inTransaction } from '@server/platform/notify/transaction';
import { withTx } from '@server/platform/org/caller';
import { bracketed, buildMime, htmlToText, replyReferences } from './mime';
import { deliver, enqueueAppendSent, loadSendAccount, openSmtp, sendErrorText, senderOf, storeRaw, type SendAccount } from './outgoing';
import {
  contentColumns,
  insertOutgoing,
  ownMessage,
  presentOutgoing,
  resolveAttachments,
  syncAttachments,
  type OutgoingContent,
  type ResolvedAttachment,
} from './outgoing-store';
import { linkMessage } from './links';
import { embedOwnImages } from './inline-images';

/**
 * Writing mail (写邮件): sending now through the user's own SMTP account and drafts (autosaved).
 * A send is recorded before it is attempted, so whatever SMTP answers nothing is lost: the message
 * ends as 'sent' (stored raw, linked to customers, appended to the IMAP Sent folder) or 'failed'
 * with the server's answer, and a failed one can be sent again with its id as `draftId`.
 */

export type ComposeCtx = Pick<AppContext, 'db' | 'secrets' | 'config' | 'jobs' | 'realtime'>;

type Prepared = { account: SendAccount; content: OutgoingContent; attachments: ResolvedAttachment[] };

type Row = Selectable<MailMessagesTable>;

const recipientCount = (b: Pick<ComposeBody, 'to' | 'cc' | 'bcc'>) => b.to.length + b.cc.length + b.bcc.length;

/** Checks everything the body refers to (own account, own original, attachments) and assembles the content. */
async function prepare(ctx: ComposeCtx, auth: Auth, body: ComposeBody, existing: Row | null): Promise<Prepared> {
  const userId = auth.user.id;
  const account = await loadSendAccount(ctx, userId, body.accountId);
  let inReplyTo = existing?.in_reply_to ?? null;
  let references = existing?.references_header?.split(/\s+/).filter(Boolean) ?? [];
  if (body.replyToId) {
    const original = await ownMessage(ctx.db, userId, body.replyToId);
    inReplyTo = original.message_id ? bracketed(original.message_id) : null;
    references = replyReferences(original.references_header, original.message_id);
  }
  if (body.forwardOfId) await ownMessage(ctx.db, userId, body.forwardOfId);
  const attachments = await resolveAttachments(ctx.db, userId, body.attachments, {
    messageId: existing?.id,
    forwardOfId: body.forwardOfId,
  });
  const content: OutgoingContent = {
    accountId: account.id,
    userId,
    from: senderOf(account, auth.user.name),
    to: body.to.map((a) => ({ name: a.name ?? null, address: a.address })),
    cc: body.cc.map((a) => ({ name: a.name ?? null, address: a.address })),
    bcc: body.bcc.map((a) => ({ name: a.name ?? null, address: a.address })),
    subject: body.subject,
    html: body.html,
    text: htmlToText(body.html),
    inReplyTo,
    references,
  };
  return { account, content, attachments };
}

async function ownDraft(ctx: ComposeCtx, userId: string, id: string, sendable = false): Promise<Row> {
  const row = await ownMessage(ctx.db, userId, id);
  const isDraft = row.folder === 'drafts' && row.send_status === 'draft';
  // a failed send may be sent again (with its corrections) like a draft
  if (!isDraft && !(sendable && row.send_status === 'failed')) throw new AppError('not_found');
  return row;
}

const auditView = (c: OutgoingContent, attachments: number) => ({
  subject: c.subject,
  recipients: c.to.length + c.cc.length + c.bcc.length,
  attachments,
});

/** Saves a new draft (no recipient needed). Audited without the body. */
export async function createDraft(ctx: ComposeCtx, auth: Auth, actor: Actor, body: ComposeBody): Promise<MailMessage> {
  const { content, attachments } = await prepare(ctx, auth, body, null);
  const id = newId();
  return withTx(ctx.db, async (tx) => {
    await insertOutgoing(tx, id, content, { folder: 'drafts', status: 'draft', attachments: attachments.length, createdBy: auth.user.id });
    await syncAttachments(tx, id, auth.user.id, attachments);
    await audit(tx, actor, { action: 'create', entity: 'mail_draft', entityId: id, after: auditView(content, attachments.length) });
    return presentOutgoing(tx, auth, id);
  });
}

/**
 * Saves a draft again (the web autosaves every few seconds): 409 stale_version when another tab
 * saved meanwhile. Audited only when the subject, recipients or attachments change (never the body).
 */
export async function updateDraft(
  ctx: ComposeCtx,
  auth: Auth,
  actor: Actor,
  id: string,
  body: ComposeBody & { version: number },
): Promise<MailMessage> {
  const draft = await ownDraft(ctx, auth.user.id, id);
  const { content, attachments } = await prepare(ctx, auth, body, draft);
  return withTx(ctx.db, async (tx) => {
    const r = await tx
      .updateTable('mail_messages')
      .set({
        ...contentColumns(content, attachments.length),
        account_id: content.accountId,
        version: body.version + 1,
        updated_at: nowIso(),
      })
      .where('id', '=', id)
      .where('version', '=', body.version)
      .where('folder', '=', 'drafts')
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new AppError('stale_version');
    const before = { subject: draft.subject, recipients: recipientsOfRow(draft), attachments: await attachmentCount(tx, id) };
    await syncAttachments(tx, id, auth.user.id, attachments);
    const after = auditView(content, attachments.length);
    if (JSON.stringify(before) !== JSON.stringify(after)) {
      await audit(tx, actor, { action: 'update', entity: 'mail_draft', entityId: id, before, after });
    }
    return presentOutgoing(tx, auth, id);
  });
}

function recipientsOfRow(r: Row): number {
  const n = (s: string) => (JSON.parse(s) as unknown[]).length;
  return n(r.to_addresses) + n(r.cc_addresses) + n(r.bcc_addresses);
}

async function attachmentCount(tx: DbOrTx, id: string): Promise<number> {
  const r = await tx
    .selectFrom('mail_attachments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('message_id', '=', id)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Discards a draft (soft delete). Audited. */
export async function deleteDraft(ctx: ComposeCtx, auth: Auth, actor: Actor, id: string): Promise<void> {
  const draft = await ownDraft(ctx, auth.user.id, id);
  await withTx(ctx.db, async (tx) => {
    const now = nowIso();
    const r = await tx
      .updateTable('mail_messages')
      .set({ deleted_at: now, updated_at: now })
      .where('id', '=', id)
      .where('folder', '=', 'drafts')
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new AppError('not_found');
    await audit(tx, actor, { action: 'delete', entity: 'mail_draft', entityId: id, before: { subject: draft.subject }, after: null });
  });
}

/**
 * Sends now (POST /mail/messages). No recipient → 400 mail_no_recipient. The message is recorded
 * as 'sending' in the sent folder first (a draft given as `draftId` leaves the drafts folder in that
 * same transaction), then handed to SMTP, then marked sent (raw source stored, customers linked,
 * the IMAP Sent copy queued) or failed with the server's words → 502 mail_send_failed. Audited
 * with the subject and the recipient count, never the body.
 */
export async function sendMessage(ctx: ComposeCtx, auth: Auth, actor: Actor, body: ComposeBody, locale: Locale): Promise<MailMessage> {
  if (recipientCount(body) === 0) throw new AppError('mail_no_recipient');
  const userId = auth.user.id;
  const draft = body.draftId ? await ownDraft(ctx, userId, body.draftId, true) : null;
  const { account, content, attachments } = await prepare(ctx, auth, body, draft);
  // our own /api/v1/files images (quoted or pasted) travel inside the message; the stored copy keeps its links
  const embedded = await embedOwnImages(ctx.db, auth, ctx.config.dataDir, content.html);
  const built = await buildMime({
    ...content,
    html: embedded.html,
    attachments: [...attachments.map((a) => ({ name: a.name, mime: a.mime, path: filePath(ctx.config.dataDir, a) })), ...embedded.inline],
  });
  const id = draft?.id ?? newId();

  await withTx(ctx.db, async (tx) => {
    const columns = { ...contentColumns(content, attachments.length), account_id: account.id, message_id: built.messageId };
    if (draft) {
      const r = await tx
        .updateTable('mail_messages')
        .set({ ...columns, folder: 'sent', send_status: 'sending', send_error: null, version: draft.version + 1, updated_at: nowIso() })
        .where('id', '=', draft.id)
        .where('version', '=', draft.version)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      // sent from another tab at the same moment
      if (Number(r.numUpdatedRows) !== 1) throw new AppError('stale_version');
    } else {
      await insertOutgoing(tx, id, content, { folder: 'sent', status: 'sending', attachments: attachments.length, createdBy: userId });
      await tx.updateTable('mail_messages').set({ message_id: built.messageId }).where('id', '=', id).execute();
    }
    await syncAttachments(tx, id, userId, attachments);
  });

  const transport = openSmtp(account);
  const outcome = await deliver(transport, built).finally(() => transport.close());
  const error = outcome.ok
    ? outcome.rejected.length
      ? translate(locale, 'mailsend.rejected', { list: outcome.rejected.join(', ') })
      : null
    : sendErrorText(locale, outcome.error);

  await inTransaction(ctx.db, async (tx) => {
    const now = nowIso();
    const rawFileId = outcome.ok ? await storeRaw(ctx, tx, userId, id, built.raw) : null;
    await tx
      .updateTable('mail_messages')
      .set({
        send_status: outcome.ok ? 'sent' : 'failed',
        send_error: error,
        sent_at: outcome.ok ? now : null,
        size: built.raw.length,
        raw_file_id: rawFileId,
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    if (outcome.ok) {
      await linkMessage(
        tx,
        id,
        [...content.to, ...content.cc, ...content.bcc].map((a) => a.address),
        now,
      );
      await enqueueAppendSent(ctx, tx, account, [id]);
    }
    await audit(tx, actor, {
      action: outcome.ok ? 'send' : 'send_failed',
      entity: 'mail_message',
      entityId: id,
      after: { ...auditView(content, attachments.length), status: outcome.ok ? 'sent' : 'failed' },
      detail: outcome.ok ? null : (error?.slice(0, 300) ?? null),
    });
    afterCommit(tx, () => ctx.realtime.publish(userId, { type: 'mail', data: { accountId: account.id, folder: 'sent' } }));
  });
  if (!outcome.ok) throw new AppError('mail_send_failed', { detail: error });
  return presentOutgoing(ctx.db, auth, id);
}
