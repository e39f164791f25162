import { sql, type Expression, type Selectable, type SqlBool } from 'kysely';
import type { MailAddress, MailFolder, MailListItem, MessageListQuery } from '@common/schemas/mail';
import type { DbOrTx, MailMessagesTable } from '@server/db/types';
import { exactCondition, matchCondition, rankGrams } from '@server/db/search';
import type { Auth } from '@server/platform/access/types';
import { scopeFilter, scopeOf } from '@server/platform/access/scope';
import { customerVisible } from '@server/modules/customers/visibility';
import { MAIL_MESSAGE_ENTITY } from './store';

/** Stored mail: the owner's folders, a customer's timeline mail within the reader's scope, one message. */

export type MessageRow = Selectable<MailMessagesTable>;

/** Columns of a list row (no bodies). */
const LIST_COLUMNS = [
  'm.id',
  'm.account_id',
  'm.user_id',
  'm.folder',
  'm.subject',
  'm.from_address',
  'm.from_name',
  'm.to_addresses',
  'm.snippet',
  'm.sent_at',
  'm.received_at',
  'm.created_at',
  'm.seen',
  'm.starred',
  'm.has_attachments',
  'm.send_status',
] as const;
export type ListRow = Pick<
  MessageRow,
  | 'id'
  | 'account_id'
  | 'user_id'
  | 'folder'
  | 'subject'
  | 'from_address'
  | 'from_name'
  | 'to_addresses'
  | 'snippet'
  | 'sent_at'
  | 'received_at'
  | 'created_at'
  | 'seen'
  | 'starred'
  | 'has_attachments'
  | 'send_status'
>;

function addresses(json: string): MailAddress[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? (v as MailAddress[]) : [];
  } catch {
    return [];
  }
}
export { addresses as parseAddresses };

export function presentListItem(r: ListRow, customers: { id: string; name: string }[] = []): MailListItem {
  return {
    id: r.id,
    accountId: r.account_id,
    folder: r.folder as MailFolder,
    subject: r.subject,
    from: r.from_address ? { name: r.from_name, address: r.from_address } : null,
    to: addresses(r.to_addresses),
    snippet: r.snippet,
    date: r.sent_at ?? r.received_at ?? r.created_at,
    seen: r.seen === 1,
    starred: r.starred === 1,
    hasAttachments: r.has_attachments === 1,
    sendStatus: (r.send_status as MailListItem['sendStatus']) ?? null,
    customers,
  };
}

/**
 * Mail someone else may read through a customer: linked to a live customer the reader sees, owned by
 * someone within the reader's 'mail' scope, and neither a draft nor in the owner's trash.
 */
export function sharedThroughCustomer(auth: Auth): Expression<SqlBool> {
  if (scopeOf(auth, 'mail') === 'none') return sql<SqlBool>`1 = 0`;
  return sql<SqlBool>`(m.folder not in ('drafts', 'trash') and ${scopeFilter(auth, 'mail', { owner: 'm.user_id' })} and exists (select 1 from mail_links l inner join customers c on c.id = l.customer_id where l.message_id = m.id and c.deleted_at is null and ${customerVisible(auth)}))`;
}

/** A live message the reader may read: their own, or shared through a customer (see above). */
export async function readableMessage(db: DbOrTx, auth: Auth, id: string): Promise<MessageRow | undefined> {
  return db
    .selectFrom('mail_messages as m')
    .selectAll('m')
    .where('m.id', '=', id)
    .where('m.deleted_at', 'is', null)
    .where((eb) => eb.or([eb('m.user_id', '=', auth.user.id), sharedThroughCustomer(auth)]))
    .executeTakeFirst();
}

/** A live message of the reader's own mailbox. */
export async function ownMessage(db: DbOrTx, userId: string, id: string): Promise<MessageRow | undefined> {
  return db
    .selectFrom('mail_messages as m')
    .selectAll('m')
    .where('m.id', '=', id)
    .where('m.user_id', '=', userId)
    .where('m.deleted_at', 'is', null)
    .executeTakeFirst();
}

/** One page (limit + 1 rows) of the reader's own folder, or of a customer's mail, newest first. */
export async function listMessageRows(db: DbOrTx, auth: Auth, q: MessageListQuery): Promise<ListRow[]> {
  let query = db
    .selectFrom('mail_messages as m')
    .select([...LIST_COLUMNS])
    .where('m.deleted_at', 'is', null);
  if (q.customerId) {
    // the customer's timeline (the caller checked the reader sees the customer): driven by its links,
    // own mail and what the 'mail' scope shares, in every folder but drafts and trash
    const customerId = q.customerId;
    query = query
      .where('m.id', 'in', (eb) => eb.selectFrom('mail_links as l').select('l.message_id').where('l.customer_id', '=', customerId))
      .where('m.folder', 'not in', ['drafts', 'trash'])
      .where(sql<SqlBool>`(m.user_id = ${auth.user.id} or ${scopeFilter(auth, 'mail', { owner: 'm.user_id' })})`);
  } else {
    query = query.where('m.user_id', '=', auth.user.id).where('m.folder', '=', q.folder);
  }
  if (q.accountId) query = query.where('m.account_id', '=', q.accountId);
  if (q.unread === true) query = query.where('m.seen', '=', 0);
  if (q.q) {
    const match = matchCondition(MAIL_MESSAGE_ENTITY, 'm.id', q.q, await rankGrams(db, MAIL_MESSAGE_ENTITY, q.q));
    if (match) query = query.where(match);
    if (Array.from(q.q.trim()).length >= 3) {
      const exact = exactCondition(['m.subject', 'm.from_name', 'm.from_address', 'm.to_addresses', 'm.snippet'], q.q);
      if (exact) query = query.where(exact);
    }
  }
  if (q.cursor) query = query.where('m.id', '<', q.cursor);
  return query
    .orderBy('m.id', 'desc')
    .limit(q.limit + 1)
    .execute();
}

/** Customers the messages are linked to, by message, limited to customers the reader sees. */
export async function linkedCustomers(db: DbOrTx, auth: Auth, messageIds: string[]): Promise<Map<string, { id: string; name: string }[]>> {
  const out = new Map<string, { id: string; name: string }[]>();
  if (!messageIds.length) return out;
  const rows = await db
    .selectFrom('mail_links as l')
    .innerJoin('customers as c', 'c.id', 'l.customer_id')
    .select(['l.message_id', 'c.id', 'c.name'])
    .distinct()
    .where('l.message_id', 'in', messageIds)
    .where('c.deleted_at', 'is', null)
    .where(customerVisible(auth))
    .orderBy('c.name')
    .execute();
  for (const r of rows) {
    const list = out.get(r.message_id) ?? [];
    if (!list.some((c) => c.id === r.id)) list.push({ id: r.id, name: r.name });
    out.set(r.message_id, list);
  }
  return out;
}

export async function attachmentsOf(db: DbOrTx, messageId: string) {
  return db.selectFrom('mail_attachments').selectAll().where('message_id', '=', messageId).orderBy('id').execute();
}

/** Unread inbox mail of the user, per account. */
export async function unreadByAccount(db: DbOrTx, userId: string): Promise<{ account_id: string; n: number }[]> {
  const rows = await db
    .selectFrom('mail_messages')
    .select(['account_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('user_id', '=', userId)
    .where('folder', '=', 'inbox')
    .where('seen', '=', 0)
    .where('deleted_at', 'is', null)
    .groupBy('account_id')
    .execute();
  return rows.map((r) => ({ account_id: r.account_id, n: Number(r.n) }));
}
