import type { DbOrTx } from '@server/db/types';
import { indexRecord, removeRecord } from '@server/db/search';

/** Search entity of customers in search_grams. */
export const CUSTOMER_ENTITY = 'customer';

/**
 * Rebuilds a customer's keyword index from its name, short name, code, phones and the names of its
 * live contacts. Call inside every transaction that changes one of those (customer create / edit /
 * restore, contact create / rename / move / delete, merge), so search never lags the data.
 */
/**
 * Indexes a customer created in this transaction from the values the caller just wrote (no reads,
 * nothing to remove): the same texts reindexCustomer would take.
 */
export async function indexNewCustomer(
  db: DbOrTx,
  customerId: string,
  c: { name: string; short_name: string | null; code: string | null; phones: string[]; contactNames: string[] },
): Promise<void> {
  await indexRecord(db, CUSTOMER_ENTITY, customerId, [c.name, c.short_name, c.code, ...c.phones, ...c.contactNames], { fresh: true });
}

export async function reindexCustomer(db: DbOrTx, customerId: string): Promise<void> {
  const c = await db
    .selectFrom('customers')
    .select(['name', 'short_name', 'code', 'phones', 'deleted_at'])
    .where('id', '=', customerId)
    .executeTakeFirst();
  if (!c || c.deleted_at) {
    await removeRecord(db, CUSTOMER_ENTITY, customerId);
    return;
  }
  const contacts = await db
    .selectFrom('contacts')
    .select('name')
    .where('customer_id', '=', customerId)
    .where('deleted_at', 'is', null)
    .execute();
  const phones = JSON.parse(c.phones) as string[];
  await indexRecord(db, CUSTOMER_ENTITY, customerId, [c.name, c.short_name, c.code, ...phones, ...contacts.map((x) => x.name)]);
}
