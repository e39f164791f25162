import type { Selectable } from 'kysely';
import type { NotificationItem } from '@common/schemas/platform';
import type { Db, DbOrTx, NotificationsTable, Tx } from '@server/db/types';
import { newId, nowIso } from '@server/db/ids';
import type { RealtimeHub } from '../realtime/realtime.hub';
import { afterCommit } from './transaction';
import { keysetPage } from '@server/db/keyset';

export type NotificationInput = {
  /** what kind of notice, e.g. 'approval.requested'; the client may pick an icon by it */
  type: string;
  /** already in the recipient's words (the sender localises) */
  title: string;
  body?: string | null;
  /** in-app path to open, e.g. '/customers/01h…' */
  link?: string | null;
  data?: unknown;
};

type NotifyContext = { db: Db; realtime: Pick<RealtimeHub, 'publish'> };

/** Another way to deliver stored notices (e.g. by mail): called after they are stored (after commit); must not wait on slow work. */
export type NotifyChannel = (db: Db, items: (NotificationItem & { userId: string })[]) => Promise<void>;
const channels = new Map<string, NotifyChannel>();

/** Adds (or replaces, by name) a delivery channel beside the realtime push. */
export function registerNotifyChannel(name: string, channel: NotifyChannel): void {
  channels.set(name, channel);
}

export function toNotificationItem(r: Selectable<NotificationsTable>): NotificationItem {
  return {
    id: r.id,
    type: r.type,
    title: r.title,
    body: r.body,
    link: r.link,
    data: r.data ? (JSON.parse(r.data) as unknown) : null,
    readAt: r.read_at,
    createdAt: r.created_at,
  };
}

/**
 * Stores a notification for each user and pushes `{ type: 'notification', data }` to their open
 * tabs. Pass `tx` (from `inTransaction`) to make it part of a larger change: the push then
 * waits for the commit. Returns the stored notifications.
 */
export async function notify(ctx: NotifyContext, userIds: string[], input: NotificationInput, tx?: Tx): Promise<NotificationItem[]> {
  const recipients = [...new Set(userIds.filter(Boolean))];
  if (!recipients.length) return [];
  const now = nowIso();
  const rows = recipients.map((userId) => ({
    id: newId(),
    user_id: userId,
    type: input.type,
    title: input.title,
    body: input.body ?? null,
    link: input.link ?? null,
    data: input.data === undefined ? null : JSON.stringify(input.data),
    read_at: null,
    created_at: now,
  }));
  await (tx ?? ctx.db).insertInto('notifications').values(rows).execute();
  const publish = async () => {
    await Promise.all(rows.map((r) => ctx.realtime.publish(r.user_id, { type: 'notification', data: toNotificationItem(r) })));
    for (const channel of channels.values()) {
      // a channel's failure never undoes or fails the in-app notice
      await channel(ctx.db, rows.map((r) => ({ ...toNotificationItem(r), userId: r.user_id }))).catch(() => undefined);
    }
  };
  if (tx) afterCommit(tx, publish);
  else await publish();
  return rows.map(toNotificationItem);
}

/** Unread notifications of one user. */
export async function unreadCount(db: DbOrTx, userId: string): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A user's notifications, newest first, keyset on the time-ordered id. */
export async function listNotifications(db: DbOrTx, userId: string, q: { unread?: boolean; cursor?: string; limit: number }) {
  let query = db.selectFrom('notifications').selectAll().where('user_id', '=', userId);
  if (q.unread === true) query = query.where('read_at', 'is', null);
  if (q.unread === false) query = query.where('read_at', 'is not', null);
  if (q.cursor) query = query.where('id', '<', q.cursor);
  const rows = await query
    .orderBy('id', 'desc')
    .limit(q.limit + 1)
    .execute();
  return { ...keysetPage(rows, q.limit, toNotificationItem), unread: await unreadCount(db, userId) };
}

/** Marks one of the user's notifications read; undefined when it is not theirs (or absent). */
export async function markRead(db: DbOrTx, userId: string, id: string, now = nowIso()): Promise<NotificationItem | undefined> {
  await db
    .updateTable('notifications')
    .set({ read_at: now })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .execute();
  const row = await db.selectFrom('notifications').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return row ? toNotificationItem(row) : undefined;
}

/** Marks every unread notification of the user read; returns how many changed. */
export async function markAllRead(db: DbOrTx, userId: string, now = nowIso()): Promise<number> {
  const res = await db
    .updateTable('notifications')
    .set({ read_at: now })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}
