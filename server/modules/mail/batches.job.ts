import { pickLocale, translate } from '@common/messages/index';
import type { Db } from '@server/db/types';
import { newId, nowIso } from '@server/db/ids';
import { audit, SYSTEM_ACTOR } from '@server/platform/audit/audit.service';
import { filePath } from '@server/platform/files/files.service';
import type { AppContext } from '@server/platform/http/context';
import { withTx } from '@server/platform/org/caller';
import { BATCH_JOB, presentBatch } from './batches.service';
import { linkMessage } from './links';
import { fillMerge, type MergeValues } from './merge-fields';
import { buildMime, htmlToText } from './mime';
import { deliver, enqueueAppendSent, loadSendAccount, openSmtp, sendErrorText, senderOf, storeRaw, type SendAccount } from './outgoing';
import { insertOutgoing, syncAttachments, type OutgoingContent, type ResolvedAttachment } from './outgoing-store';

/**
 * The group-send job: one batch (at most batch_size recipients) per run, then it queues itself
 * again `pause_seconds` later, so a run survives restarts. Each recipient is claimed (its message
 * recorded) before the attempt and marked sent / failed right after it; a recipient found claimed
 * but unmarked on a later run was interrupted mid-attempt and is marked failed, never sent twice.
 */

type Ctx = Pick<AppContext, 'db' | 'secrets' | 'config' | 'jobs' | 'realtime'>;

// failures of the account itself: every further attempt would fail the same way
const ACCOUNT_ERRORS = new Set(['mail_auth_failed', 'mail_tls_untrusted', 'mail_service_disabled']);

async function counts(db: Db, batchId: string, now: string): Promise<void> {
  const rows = await db
    .selectFrom('mail_batch_recipients')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('batch_id', '=', batchId)
    .groupBy('status')
    .execute();
  const n = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
  await db
    .updateTable('mail_batches')
    .set({ sent: n('sent'), failed: n('failed'), updated_at: now })
    .where('id', '=', batchId)
    .execute();
}

async function failPending(db: Db, batchId: string, error: string, onlyClaimed: boolean): Promise<void> {
  let q = db
    .updateTable('mail_batch_recipients')
    .set({ status: 'failed', error })
    .where('batch_id', '=', batchId)
    .where('status', '=', 'pending');
  if (onlyClaimed) q = q.where('message_id', 'is not', null);
  await q.execute();
}

/**
 * Runs one batch of a group-send run: returns 'more' when it queued the next one, 'done' when the
 * run finished, 'stopped' when there was nothing to do (cancelled, finished, unknown).
 */
export async function runBatchStep(ctx: Ctx, batchId: string, now: () => Date = () => new Date()): Promise<'more' | 'done' | 'stopped'> {
  const { db } = ctx;
  const batch = await db.selectFrom('mail_batches').selectAll().where('id', '=', batchId).executeTakeFirst();
  if (!batch || batch.status === 'done' || batch.status === 'cancelled') return 'stopped';
  const owner = await db.selectFrom('users').select(['name', 'locale']).where('id', '=', batch.user_id).executeTakeFirstOrThrow();
  const locale = pickLocale(owner.locale);
  await db
    .updateTable('mail_batches')
    .set({ status: 'running', updated_at: nowIso(now()) })
    .where('id', '=', batchId)
    .where('status', '=', 'queued')
    .execute();
  // claimed but never marked: the process stopped mid-attempt — the mail may have left, so never again
  await failPending(db, batchId, translate(locale, 'mailsend.batch.interrupted'), true);

  let account: SendAccount | null = null;
  try {
    account = await loadSendAccount(ctx, batch.user_id, batch.account_id);
  } catch {
    await failPending(db, batchId, translate(locale, 'mailsend.batch.account_gone'), false);
  }
  const fileIds = JSON.parse(batch.attachments) as string[];
  const files = fileIds.length
    ? await db.selectFrom('files').select(['id', 'name', 'mime', 'size', 'sha256']).where('id', 'in', fileIds).execute()
    : [];
  const attachments: ResolvedAttachment[] = files.map((f) => ({
    fileId: f.id,
    name: f.name,
    mime: f.mime,
    size: f.size,
    sha256: f.sha256,
    kind: 'shared',
  }));
  const pending = await db
    .selectFrom('mail_batch_recipients')
    .selectAll()
    .where('batch_id', '=', batchId)
    .where('status', '=', 'pending')
    .orderBy('seq')
    .limit(batch.batch_size)
    .execute();

  const sentIds: string[] = [];
  if (account && pending.length) {
    const from = senderOf(account, owner.name);
    const transport = openSmtp(account);
    try {
      for (const r of pending) {
        const state = await db.selectFrom('mail_batches').select('status').where('id', '=', batchId).executeTakeFirst();
        if (state?.status === 'cancelled') break;
        const values = JSON.parse(r.merge) as MergeValues;
        const html = fillMerge(batch.html, values, 'html');
        const content: OutgoingContent = {
          accountId: account.id,
          userId: batch.user_id,
          from,
          to: [{ name: r.name, address: r.address }],
          cc: [],
          bcc: [],
          subject: fillMerge(batch.subject, values, 'text'),
          html,
          text: htmlToText(html),
          inReplyTo: null,
          references: [],
        };
        const built = await buildMime({
          ...content,
          attachments: attachments.map((a) => ({ name: a.name, mime: a.mime, path: filePath(ctx.config.dataDir, a) })),
        });
        const messageId = newId();
        const claimed = await withTx(db, async (tx) => {
          const c = await tx
            .updateTable('mail_batch_recipients')
            .set({ message_id: messageId })
            .where('id', '=', r.id)
            .where('status', '=', 'pending')
            .where('message_id', 'is', null)
            .executeTakeFirst();
          if (Number(c.numUpdatedRows) !== 1) return false;
          await insertOutgoing(tx, messageId, content, {
            folder: 'sent',
            status: 'sending',
            attachments: attachments.length,
            batchId,
            createdBy: batch.user_id,
          });
          await tx.updateTable('mail_messages').set({ message_id: built.messageId }).where('id', '=', messageId).execute();
          await syncAttachments(tx, messageId, batch.user_id, attachments);
          return true;
        });
        if (!claimed) continue; // another runner has it
        const outcome = await deliver(transport, built);
        const error = outcome.ok ? null : sendErrorText(locale, outcome.error);
        await withTx(db, async (tx) => {
          const at = nowIso(now());
          await tx
            .updateTable('mail_messages')
            .set({
              send_status: outcome.ok ? 'sent' : 'failed',
              send_error: error,
              sent_at: outcome.ok ? at : null,
              size: built.raw.length,
              raw_file_id: outcome.ok ? await storeRaw(ctx, tx, batch.user_id, messageId, built.raw) : null,
              updated_at: at,
            })
            .where('id', '=', messageId)
            .execute();
          await tx
            .updateTable('mail_batch_recipients')
            .set({ status: outcome.ok ? 'sent' : 'failed', error, sent_at: outcome.ok ? at : null })
            .where('id', '=', r.id)
            .execute();
          await tx
            .updateTable('mail_batches')
            .set((eb) => (outcome.ok ? { sent: eb('sent', '+', 1), updated_at: at } : { failed: eb('failed', '+', 1), updated_at: at }))
            .where('id', '=', batchId)
            .execute();
          if (outcome.ok) await linkMessage(tx, messageId, [r.address], at);
        });
        if (outcome.ok) sentIds.push(messageId);
        else if (ACCOUNT_ERRORS.has(outcome.error.code)) {
          await failPending(db, batchId, error!, false);
          break;
        }
      }
    } finally {
      transport.close();
    }
  }

  const at = nowIso(now());
  await counts(db, batchId, at);
  if (account) await enqueueAppendSent(ctx, db, account, sentIds);
  const left = await db
    .selectFrom('mail_batch_recipients')
    .select('id')
    .where('batch_id', '=', batchId)
    .where('status', '=', 'pending')
    .limit(1)
    .executeTakeFirst();
  const status = (await db.selectFrom('mail_batches').select('status').where('id', '=', batchId).executeTakeFirstOrThrow()).status;
  let result: 'more' | 'done' | 'stopped' = 'stopped';
  if (status !== 'cancelled' && left) {
    await ctx.jobs.enqueue(db, BATCH_JOB, { batchId }, { runAt: new Date(now().getTime() + batch.pause_seconds * 1000) });
    result = 'more';
  } else if (status !== 'cancelled') {
    await withTx(db, async (tx) => {
      await tx.updateTable('mail_batches').set({ status: 'done', finished_at: at, updated_at: at }).where('id', '=', batchId).execute();
      const b = await tx.selectFrom('mail_batches').select(['sent', 'failed']).where('id', '=', batchId).executeTakeFirstOrThrow();
      await audit(tx, SYSTEM_ACTOR, {
        action: 'send',
        entity: 'mail_batch',
        entityId: batchId,
        detail: `sent ${b.sent}, failed ${b.failed}`,
      });
    });
    result = 'done';
  }
  const fresh = await db.selectFrom('mail_batches').selectAll().where('id', '=', batchId).executeTakeFirstOrThrow();
  await ctx.realtime.publish(batch.user_id, { type: 'mail_batch', data: presentBatch(fresh) }).catch(() => undefined);
  return result;
}

/** Registers the group-send job. */
export function installBatchJob(ctx: AppContext): void {
  ctx.jobs.registerJob<{ batchId: string }>(BATCH_JOB, async (payload) => {
    await runBatchStep(ctx, payload.batchId, () => ctx.jobs.now());
  });
}
