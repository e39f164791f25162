import type { Selectable } from 'kysely';
import { fieldRule } from '@common/permissions';
import type { CreateBatchBody, MailBatch, MailBatchRecipient } from '@common/schemas/mail';
import type { DbOrTx, MailBatchesTable } from '@server/db/types';
import { newId, nowIso } from '@server/db/ids';
import { keysetPage } from '@server/db/keyset';
import type { Auth } from '@server/platform/access/types';
import { audit, type Actor } from '@server/platform/audit/audit.service';
import { attachFiles } from '@server/platform/files/files.service';
import type { AppContext } from '@server/platform/http/context';
import { AppError, fieldError } from '@server/platform/http/errors';
import { afterCommit, inTransaction } from '@server/platform/notify/transaction';
import { customerVisible } from '@server/modules/customers/visibility';
import { mergeValues } from './merge-fields';
import { loadSendAccount } from './outgoing';
import { resolveAttachments } from './outgoing-store';

/**
 * Group sending (群发): one run to many contacts — chosen contacts plus every contact with an
 * e-mail of chosen customers, only those the sender may see, one address once. Each recipient
 * gets a message of their own with the merge fields filled; batches.job.ts sends them.
 */

export const BATCH_JOB = 'mail.batch';
export const BATCH_FILE_ENTITY = 'mail_batch';

type Ctx = Pick<AppContext, 'db' | 'secrets' | 'jobs' | 'realtime'>;
type BatchRow = Selectable<MailBatchesTable>;

type Candidate = { contactId: string; customerId: string; name: string; title: string | null; email: string | null; company: string };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function presentBatch(r: BatchRow): MailBatch {
  return {
    id: r.id,
    accountId: r.account_id,
    subject: r.subject,
    status: r.status as MailBatch['status'],
    total: r.total,
    sent: r.sent,
    failed: r.failed,
    batchSize: r.batch_size,
    pauseSeconds: r.pause_seconds,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
  };
}

const contactColumns = ['k.id as contactId', 'c.id as customerId', 'k.name', 'k.title', 'k.email', 'c.name as company'] as const;

/** The recipients, deduplicated by address (first occurrence wins); 400 naming an id the sender may not see. */
async function collectRecipients(db: DbOrTx, auth: Auth, contactIds: string[], customerIds: string[]): Promise<Candidate[]> {
  const out: Candidate[] = [];
  if (contactIds.length) {
    const rows = await db
      .selectFrom('contacts as k')
      .innerJoin('customers as c', 'c.id', 'k.customer_id')
      .select(contactColumns)
      .where('k.id', 'in', [...new Set(contactIds)])
      .where('k.deleted_at', 'is', null)
      .where('c.deleted_at', 'is', null)
      .where(customerVisible(auth, 'contacts'))
      .execute();
    const byId = new Map(rows.map((r) => [r.contactId, r]));
    contactIds.forEach((id, i) => {
      const r = byId.get(id);
      if (!r) throw fieldError(`contactIds.${i}`, 'not_found');
      out.push(r);
    });
  }
  if (customerIds.length) {
    const unique = [...new Set(customerIds)];
    const seen = new Set(
      (
        await db
          .selectFrom('customers as c')
          .select('c.id')
          .where('c.id', 'in', unique)
          .where('c.deleted_at', 'is', null)
          .where(customerVisible(auth))
          .execute()
      ).map((r) => r.id),
    );
    const missing = customerIds.findIndex((id) => !seen.has(id));
    if (missing >= 0) throw fieldError(`customerIds.${missing}`, 'not_found');
    const rows = await db
      .selectFrom('contacts as k')
      .innerJoin('customers as c', 'c.id', 'k.customer_id')
      .select(contactColumns)
      .where('c.id', 'in', unique)
      .where('k.deleted_at', 'is', null)
      .where('k.email', 'is not', null)
      .where(customerVisible(auth, 'contacts'))
      .orderBy('c.id')
      .orderBy('k.is_primary', 'desc')
      .orderBy('k.id')
      .execute();
    out.push(...rows);
  }
  const byAddress = new Map<string, Candidate>();
  for (const c of out) {
    const email = c.email?.trim().toLowerCase();
    if (email && EMAIL.test(email) && !byAddress.has(email)) byAddress.set(email, { ...c, email });
  }
  return [...byAddress.values()];
}

/**
 * POST /mail/batches: records the run and its recipients (merge values fixed now) and queues the
 * first batch. Own account only (404); no recipient with an address → 400 mail_no_recipient;
 * attachments must be the sender's fresh uploads. Audited without the body.
 */
export async function createBatch(ctx: Ctx, auth: Auth, actor: Actor, body: CreateBatchBody): Promise<MailBatch> {
  const userId = auth.user.id;
  const account = await loadSendAccount(ctx, userId, body.accountId);
  const recipients = await collectRecipients(ctx.db, auth, body.contactIds, body.customerIds);
  if (!recipients.length) throw new AppError('mail_no_recipient');
  const attachments = await resolveAttachments(ctx.db, userId, body.attachments, {});
  const senderName = account.displayName?.trim() || auth.user.name;
  const id = newId();
  const now = nowIso();
  const row: BatchRow = {
    id,
    user_id: userId,
    account_id: account.id,
    subject: body.subject,
    html: body.html,
    attachments: JSON.stringify(attachments.map((a) => a.fileId)),
    batch_size: body.batchSize,
    pause_seconds: body.pauseSeconds,
    status: 'queued',
    total: recipients.length,
    sent: 0,
    failed: 0,
    created_at: now,
    updated_at: now,
    finished_at: null,
  };
  await inTransaction(ctx.db, async (tx) => {
    await tx.insertInto('mail_batches').values(row).execute();
    const values = recipients.map((r, seq) => ({
      id: newId(),
      batch_id: id,
      seq,
      contact_id: r.contactId,
      customer_id: r.customerId,
      address: r.email!,
      name: r.name,
      merge: JSON.stringify(mergeValues({ contactName: r.name, title: r.title, companyName: r.company, senderName })),
      status: 'pending',
      error: null,
      message_id: null,
      sent_at: null,
    }));
    for (let i = 0; i < values.length; i += 500)
      await tx
        .insertInto('mail_batch_recipients')
        .values(values.slice(i, i + 500))
        .execute();
    await attachFiles(
      tx,
      attachments.map((a) => a.fileId),
      BATCH_FILE_ENTITY,
      id,
      userId,
    );
    await ctx.jobs.enqueue(tx, BATCH_JOB, { batchId: id });
    await audit(tx, actor, {
      action: 'create',
      entity: 'mail_batch',
      entityId: id,
      after: { subject: body.subject, recipients: recipients.length, batchSize: body.batchSize, pauseSeconds: body.pauseSeconds },
    });
    afterCommit(tx, () => ctx.realtime.publish(userId, { type: 'mail_batch', data: presentBatch(row) }));
  });
  return presentBatch(row);
}

async function ownBatch(db: DbOrTx, userId: string, id: string): Promise<BatchRow> {
  const row = await db.selectFrom('mail_batches').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  if (!row) throw new AppError('not_found');
  return row;
}

/** GET /mail/batches: the caller's runs, newest first. */
export async function listBatches(db: DbOrTx, auth: Auth, q: { cursor?: string; limit: number }) {
  let query = db.selectFrom('mail_batches').selectAll().where('user_id', '=', auth.user.id);
  if (q.cursor) query = query.where('id', '<', q.cursor);
  const rows = await query
    .orderBy('id', 'desc')
    .limit(q.limit + 1)
    .execute();
  return keysetPage(rows, q.limit, presentBatch);
}

/**
 * GET /mail/batches/:id: the run with every recipient's result. Addresses stay masked for a
 * position whose field rules hide contacts' e-mail.
 */
export async function getBatch(db: DbOrTx, auth: Auth, id: string): Promise<MailBatch & { recipients: MailBatchRecipient[] }> {
  const row = await ownBatch(db, auth.user.id, id);
  const hidden = !auth.user.isAdmin && fieldRule(auth.caps, 'contacts', 'email') === 'hidden';
  const rows = await db.selectFrom('mail_batch_recipients').selectAll().where('batch_id', '=', id).orderBy('seq').execute();
  const recipients = rows.map((r) => ({
    id: r.id,
    address: hidden ? '***' : r.address,
    name: r.name,
    customerId: r.customer_id,
    contactId: r.contact_id,
    status: r.status as MailBatchRecipient['status'],
    error: r.error,
    sentAt: r.sent_at,
  }));
  return { ...presentBatch(row), recipients };
}

/**
 * POST /mail/batches/:id/cancel: recipients not yet sent stay unsent (the job stops before the
 * next one). A finished run → 409 conflict; cancelling twice answers the run as it is. Audited.
 */
export async function cancelBatch(ctx: Ctx, auth: Auth, actor: Actor, id: string): Promise<MailBatch> {
  return inTransaction(ctx.db, async (tx) => {
    const row = await ownBatch(tx, auth.user.id, id);
    if (row.status === 'cancelled') return presentBatch(row);
    if (row.status === 'done') throw new AppError('conflict');
    const now = nowIso();
    const r = await tx
      .updateTable('mail_batches')
      .set({ status: 'cancelled', finished_at: now, updated_at: now })
      .where('id', '=', id)
      .where('status', 'in', ['queued', 'running'])
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new AppError('conflict');
    await audit(tx, actor, {
      action: 'cancel',
      entity: 'mail_batch',
      entityId: id,
      before: { status: row.status },
      after: { status: 'cancelled' },
    });
    const after = presentBatch(await ownBatch(tx, auth.user.id, id));
    afterCommit(tx, () => ctx.realtime.publish(auth.user.id, { type: 'mail_batch', data: after }));
    return after;
  });
}
