import type { DbOrTx } from '@server/db/types';
import { registerCustomerLink } from '@server/modules/customers/links';

/**
 * Mail ↔ customers: every from / to / cc address of a stored message that is a live contact's email
 * links the message to that contact's customer (mail_links), which is how mail appears on the
 * customer's timeline. Merging two customers moves the links (registered below).
 */

// merges re-point mail_links.customer_id; duplicates being merged often share a contact's address,
// so a message may be linked to both by the same address: that row of the merged one is dropped
// first, or the move would break the (message, customer, address) key
registerCustomerLink({
  table: 'mail_links',
  column: 'customer_id',
  kind: 'custom',
  move: async (tx, fromId, toId) => {
    await tx
      .deleteFrom('mail_links')
      .where('customer_id', '=', fromId)
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('mail_links as t')
            .select('t.message_id')
            .whereRef('t.message_id', '=', 'mail_links.message_id')
            .whereRef('t.address', '=', 'mail_links.address')
            .where('t.customer_id', '=', toId),
        ),
      )
      .execute();
    const res = await tx.updateTable('mail_links').set({ customer_id: toId }).where('customer_id', '=', fromId).executeTakeFirst();
    return Number(res.numUpdatedRows);
  },
});

/** Addresses lower-cased and deduplicated (contact emails are stored lower-cased). */
export function normaliseAddresses(addresses: (string | null | undefined)[]): string[] {
  return [...new Set(addresses.filter((a): a is string => !!a).map((a) => a.trim().toLowerCase()))].filter(Boolean);
}

/**
 * Links messages to the customers of live contacts whose email is among each message's addresses
 * (own addresses are left out by the caller): one lookup and one insert for the whole batch.
 * Idempotent: an existing link is kept. Returns the links written, by message.
 */
export async function linkMessages(
  tx: DbOrTx,
  items: { messageId: string; addresses: string[] }[],
  at: string,
): Promise<Map<string, string[]>> {
  const byMessage = new Map<string, string[]>();
  const all = normaliseAddresses(items.flatMap((i) => i.addresses));
  if (!all.length) return byMessage;
  const contacts: { id: string; customer_id: string; email: string | null }[] = [];
  for (let i = 0; i < all.length; i += 500) {
    contacts.push(
      ...(await tx
        .selectFrom('contacts as ct')
        .innerJoin('customers as c', 'c.id', 'ct.customer_id')
        .select(['ct.id', 'ct.customer_id', 'ct.email'])
        .where('ct.email', 'in', all.slice(i, i + 500))
        .where('ct.deleted_at', 'is', null)
        .where('c.deleted_at', 'is', null)
        .execute()),
    );
  }
  if (!contacts.length) return byMessage;
  const rows = items.flatMap((item) => {
    const mine = new Set(normaliseAddresses(item.addresses));
    return contacts
      .filter((ct) => ct.email && mine.has(ct.email))
      .map((ct) => ({ message_id: item.messageId, customer_id: ct.customer_id, contact_id: ct.id, address: ct.email!, at }));
  });
  for (let i = 0; i < rows.length; i += 500) {
    await tx
      .insertInto('mail_links')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.columns(['message_id', 'customer_id', 'address']).doNothing())
      .execute();
  }
  for (const r of rows) byMessage.set(r.message_id, [...new Set([...(byMessage.get(r.message_id) ?? []), r.customer_id])]);
  return byMessage;
}

/** Links one message (sent mail, group sending): see linkMessages. Returns the customers linked. */
export async function linkMessage(tx: DbOrTx, messageId: string, addresses: string[], at: string): Promise<string[]> {
  return (await linkMessages(tx, [{ messageId, addresses }], at)).get(messageId) ?? [];
}
