import type { Selectable } from 'kysely';
import type { ContactsTable, DbOrTx } from '@server/db/types';

/** Contact rows as the presenter reads them: the contact, its customer's name and its superior's name. */
export type ContactRow = Selectable<ContactsTable> & { customer_name: string; reports_to_name: string | null };

/** Base query: live contacts of live customers, aliased `k` (contact) and `c` (customer, for visibility). */
export function contactsQuery(db: DbOrTx) {
  return db
    .selectFrom('contacts as k')
    .innerJoin('customers as c', 'c.id', 'k.customer_id')
    .leftJoin('contacts as r', (j) => j.onRef('r.id', '=', 'k.reports_to_id').on('r.deleted_at', 'is', null))
    .where('k.deleted_at', 'is', null)
    .where('c.deleted_at', 'is', null);
}

export function selectContact<Q extends ReturnType<typeof contactsQuery>>(q: Q) {
  return q.selectAll('k').select(['c.name as customer_name', 'r.name as reports_to_name']);
}

/** One live contact row (no visibility), for writes inside a transaction. */
export async function findLiveContact(db: DbOrTx, id: string) {
  return db.selectFrom('contacts').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
}

/** The oldest live contact of a customer other than `exceptId`. */
export async function oldestContact(db: DbOrTx, customerId: string, exceptId?: string) {
  let q = db.selectFrom('contacts').select('id').where('customer_id', '=', customerId).where('deleted_at', 'is', null);
  if (exceptId) q = q.where('id', '!=', exceptId);
  return q.orderBy('id').limit(1).executeTakeFirst();
}

/** Makes `id` the only primary contact of its customer. */
export async function setPrimary(db: DbOrTx, customerId: string, id: string): Promise<void> {
  await db
    .updateTable('contacts')
    .set({ is_primary: 0 })
    .where('customer_id', '=', customerId)
    .where('id', '!=', id)
    .where('is_primary', '=', 1)
    .execute();
  await db.updateTable('contacts').set({ is_primary: 1 }).where('id', '=', id).execute();
}

/** Ensures a customer with live contacts has exactly one live primary (the oldest when none is). */
export async function ensurePrimary(db: DbOrTx, customerId: string): Promise<void> {
  const primaries = await db
    .selectFrom('contacts')
    .select('id')
    .where('customer_id', '=', customerId)
    .where('deleted_at', 'is', null)
    .where('is_primary', '=', 1)
    .orderBy('id')
    .execute();
  if (primaries.length === 1) return;
  const keep = primaries[0] ?? (await oldestContact(db, customerId));
  if (keep) await setPrimary(db, customerId, keep.id);
}
