import { pickLocale, translate } from '@common/messages/index';
import { nowIso } from '@server/db/ids';
import { audit, SYSTEM_ACTOR } from '@server/platform/audit/audit.service';
import type { AppContext } from '@server/platform/http/context';
import { afterCommit, inTransaction } from '@server/platform/notify/transaction';

/**
 * A send is recorded as 'sending' before the SMTP attempt and marked sent/failed after it; a crash
 * in between leaves it 'sending' for ever. The every-minute mail scan hands such messages, older
 * than this, to the user as failed (it may or may not have left) so 编辑后重发 can send them again.
 */
export const STUCK_SENDING_MS = 10 * 60_000;
/** messages marked per scan at most (the rest next minute) */
const SWEEP_LIMIT = 500;

type Ctx = Pick<AppContext, 'db' | 'realtime'>;

/** Marks messages stuck in 'sending' since before `now - STUCK_SENDING_MS` as failed; returns how many. */
export async function failStuckSends(ctx: Ctx, now: Date): Promise<number> {
  const before = nowIso(new Date(now.getTime() - STUCK_SENDING_MS));
  const stuck = await ctx.db
    .selectFrom('mail_messages as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.id', 'm.user_id', 'm.account_id', 'm.subject', 'u.locale'])
    .where('m.send_status', '=', 'sending')
    .where('m.updated_at', '<', before)
    .where('m.deleted_at', 'is', null)
    .limit(SWEEP_LIMIT)
    .execute();
  let n = 0;
  for (const m of stuck) {
    const error = translate(pickLocale(m.locale), 'mailsend.stuck', { minutes: STUCK_SENDING_MS / 60_000 });
    await inTransaction(ctx.db, async (tx) => {
      const at = nowIso(now);
      // only if still stuck: a late answer from the SMTP attempt wins
      const r = await tx
        .updateTable('mail_messages')
        .set({ send_status: 'failed', send_error: error, updated_at: at })
        .where('id', '=', m.id)
        .where('send_status', '=', 'sending')
        .where('updated_at', '<', before)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) return;
      n++;
      // a group send's recipient claimed for this message is settled too (the run does not wait for it)
      await tx
        .updateTable('mail_batch_recipients')
        .set({ status: 'failed', error })
        .where('message_id', '=', m.id)
        .where('status', '=', 'pending')
        .execute();
      await audit(tx, SYSTEM_ACTOR, {
        action: 'send_failed',
        entity: 'mail_message',
        entityId: m.id,
        after: { subject: m.subject, status: 'failed' },
        detail: 'stuck in sending',
      });
      afterCommit(tx, () => ctx.realtime.publish(m.user_id, { type: 'mail', data: { accountId: m.account_id, folder: 'sent' } }));
    });
  }
  return n;
}
