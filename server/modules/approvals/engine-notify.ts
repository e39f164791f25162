import { pickLocale, translate, type Locale, type Params } from '@common/messages/index';
import type { Db, DbOrTx, Tx } from '@server/db/types';
import type { RealtimeHub } from '@server/platform/realtime/realtime.hub';
import { notify } from '@server/platform/notify/notify.service';
import { afterCommit } from '@server/platform/notify/transaction';
import type { ApprovableDef } from './registry';

/**
 * What the engine tells people: in-app notifications in each recipient's language, and the
 * `approval` realtime event (after commit) that makes open pages refetch.
 */

type NotifyCtx = { db: Db; realtime: Pick<RealtimeHub, 'publish'> };

export const APPROVAL_EVENT = 'approval';

/** The type's name in `locale`: its message key, or the custom form's own name. */
export function typeLabel(def: Pick<ApprovableDef, 'labelKey' | 'label' | 'type'> | undefined, locale: Locale, type: string): string {
  if (def?.labelKey) return translate(locale, def.labelKey);
  return def?.label ?? type;
}

export type Notice = {
  type: string;
  /** message keys; params may depend on the recipient's language */
  titleKey: string;
  bodyKey?: string;
  params: (locale: Locale) => Params;
  link: string;
  data?: unknown;
};

/** Stores one notification per recipient, worded in their language; pushed after commit. */
export async function notifyLocalised(ctx: NotifyCtx, tx: Tx, userIds: string[], notice: Notice): Promise<void> {
  const ids = [...new Set(userIds.filter(Boolean))];
  if (!ids.length) return;
  const users = await tx.selectFrom('users').select(['id', 'locale']).where('id', 'in', ids).execute();
  const byLocale = new Map<Locale, string[]>();
  for (const u of users) {
    const locale = pickLocale(u.locale);
    byLocale.set(locale, [...(byLocale.get(locale) ?? []), u.id]);
  }
  for (const [locale, recipients] of byLocale) {
    const params = notice.params(locale);
    await notify(
      ctx,
      recipients,
      {
        type: notice.type,
        title: translate(locale, notice.titleKey, params),
        body: notice.bodyKey ? translate(locale, notice.bodyKey, params) : null,
        link: notice.link,
        data: notice.data,
      },
      tx,
    );
  }
}

const published = new WeakMap<Tx, Set<string>>();

/** Everyone with a stake in the instance: submitter, every approver with a task, cc users. */
export async function participants(db: DbOrTx, instanceId: string): Promise<string[]> {
  const [inst, tasks, cc] = await Promise.all([
    db.selectFrom('approval_instances').select('submitter_id').where('id', '=', instanceId).executeTakeFirst(),
    db.selectFrom('approval_tasks').select('approver_id').where('instance_id', '=', instanceId).execute(),
    db.selectFrom('approval_cc').select('user_id').where('instance_id', '=', instanceId).execute(),
  ]);
  return [...new Set([...(inst ? [inst.submitter_id] : []), ...tasks.map((t) => t.approver_id), ...cc.map((c) => c.user_id)])];
}

/**
 * After commit, publishes `{ type: 'approval', data: { id, status, type, documentId } }` to every
 * participant, once per transaction and instance, with the state as committed.
 */
export function publishAfterCommit(ctx: NotifyCtx, tx: Tx, instanceId: string): void {
  let done = published.get(tx);
  if (!done) {
    done = new Set();
    published.set(tx, done);
  }
  if (done.has(instanceId)) return;
  done.add(instanceId);
  afterCommit(tx, async () => {
    const inst = await ctx.db
      .selectFrom('approval_instances')
      .select(['id', 'status', 'type', 'document_id'])
      .where('id', '=', instanceId)
      .executeTakeFirst();
    if (!inst) return;
    const event = { type: APPROVAL_EVENT, data: { id: inst.id, status: inst.status, type: inst.type, documentId: inst.document_id } };
    await Promise.all((await participants(ctx.db, instanceId)).map((u) => ctx.realtime.publish(u, event)));
  });
}
