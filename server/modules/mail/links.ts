import type { DbOrTx } from '@server/db/types';
import { registerCustomerLink } from '@server/modules/customers/links';

/**
 * Mail ↔ customers: every from / to / cc address of a stored message that is a live contact's email
 * links the message to that contact's customer (mail_links), which is how mail appears on the
 * customer's timeline. Merging two customers moves the links (registered below).
 */

// merges re-point mail_links.customer_id like every other customer reference
registerCustomerLink({ table: 'mail_links', column: 'customer_id', kind: 'move' });

/** Addresses lower-cased and deduplicated (contact emails are stored lower-cased). */
export function normaliseAddresses(addresses: (string | null | undefined)[]): string[] {
  return [...new Set(addresses.filter((a): a is string => !!a).map((a) => a.trim().toLowerCase()))].filter(Boolean);
}

/**
 * Links one message to the customers of live contacts whose email is among `addresses` (own
 * addresses are passed out by the caller). Idempotent: an existing link is kept. Returns the
 * customers linked.
 */
export async function linkMessage(tx: DbOrTx, messageId: string, addresses: string[], at: string): Promise<string[]> {
  const list = normaliseAddresses(addresses);
  if (!list.length) return [];
  const contacts = await tx
    .selectFrom('contacts as ct')
    .innerJoin('customers as c', 'c.id', 'ct.customer_id')
    .select(['ct.id', 'ct.customer_id', 'ct.email'])
    .where('ct.email', 'in', list)
    .where('ct.deleted_at', 'is', null)
    .where('c.deleted_at', 'is', null)
    .execute();
  if (!contacts.length) return [];
  await tx
    .insertInto('mail_links')
    .values(contacts.map((ct) => ({ message_id: messageId, customer_id: ct.customer_id, contact_id: ct.id, address: ct.email!, at })))
    .onConflict((oc) => oc.columns(['message_id', 'customer_id', 'address']).doNothing())
    .execute();
  return [...new Set(contacts.map((ct) => ct.customer_id))];
}
