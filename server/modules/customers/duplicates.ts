import type { DbOrTx } from '@server/db/types';
import { isUniqueViolation } from '@server/db/errors';
import type { CustomerSettings } from '@common/schemas/customer-settings';
import type { DuplicateCheckResult } from '@common/schemas/customers';
import { nameKeyLooksValid, normaliseCompanyName, phoneKeys } from '@common/customers/normalise';
import { AppError, messageParam } from '@server/platform/http/errors';

/**
 * Ownership protection (归属保护): the duplicate keys of a customer and their claim in
 * customer_keys. The first to enter a customer owns it; a later entry whose normalised name or any
 * phone matches a live customer is refused with the existing owner's name.
 */

/** One duplicate key and the field it comes from, so a refusal can name the field. */
export type CustomerKey = { key: string; field: string };

// normaliseCompanyName caches its region table per list identity: keep one array per distinct list
const prefixLists = new Map<string, readonly string[]>();
function regionPrefixesOf(settings: CustomerSettings): readonly string[] | undefined {
  if (!settings.regionPrefixes.length) return undefined; // the bundled defaults
  const id = settings.regionPrefixes.join('\n');
  let list = prefixLists.get(id);
  if (!list) {
    if (prefixLists.size > 20) prefixLists.clear();
    list = [...settings.regionPrefixes];
    prefixLists.set(id, list);
  }
  return list;
}

/** The name key alone ('n:…'), or null when the name normalises to too little to compare. */
export function nameKey(name: string, settings: CustomerSettings): string | null {
  const key = normaliseCompanyName(name, { regionPrefixes: regionPrefixesOf(settings) });
  return nameKeyLooksValid(key) ? `n:${key}` : null;
}

/** The phone keys ('p:…') of one phone field, which may hold several numbers. */
export function phoneKeysOf(phone: string): string[] {
  return phoneKeys(phone).map((k) => `p:${k}`);
}

/**
 * Every duplicate key of a customer: 'n:' + the normalised name when it looks valid, plus 'p:' +
 * each phone key. A key that appears twice (two spellings of one number) is kept once, under the
 * first field.
 */
export function customerKeys(input: { name: string; phones: readonly string[] }, settings: CustomerSettings): CustomerKey[] {
  const out: CustomerKey[] = [];
  const seen = new Set<string>();
  const add = (key: string, field: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ key, field });
  };
  const n = nameKey(input.name, settings);
  if (n) add(n, 'name');
  input.phones.forEach((p, i) => phoneKeysOf(p).forEach((k) => add(k, `phones.${i}`)));
  return out;
}

type Holder = { key: string; customer_id: string; owner_id: string | null; owner_name: string | null };

async function holdersOf(db: DbOrTx, keys: string[]): Promise<Holder[]> {
  if (!keys.length) return [];
  return db
    .selectFrom('customer_keys as k')
    .leftJoin('customers as c', 'c.id', 'k.customer_id')
    .leftJoin('users as u', 'u.id', 'c.owner_id')
    .select(['k.key', 'k.customer_id', 'c.owner_id', 'u.name as owner_name'])
    .where('k.key', 'in', keys)
    .execute();
}

/** The marker for "in the public pool", localised when the problem is sent (公海 / public pool). */
export const POOL_OWNER = messageParam('customer.owner.pool');

function duplicateError(holders: Holder[], keys: CustomerKey[]): AppError {
  const first = holders[0];
  const owner = first.owner_id ? (first.owner_name ?? '') : POOL_OWNER;
  const fields = keys.filter((k) => holders.some((h) => h.key === k.key)).map((k) => ({ field: k.field, code: 'duplicate' }));
  return new AppError('customer_duplicate', { owner }, fields);
}

/**
 * Claims `keys` for the customer inside its transaction. A key held by another customer refuses
 * the save (409 customer_duplicate naming that customer's owner, or the public pool, with a field
 * error per clashing field). The select names the owner; the primary key settles races: a
 * concurrent claim of the same key makes the insert skip it (Postgres waits for the other
 * transaction), and the holder is then looked up again.
 */
export async function claimKeys(tx: DbOrTx, customerId: string, keys: CustomerKey[], opts: { fresh?: boolean } = {}): Promise<void> {
  if (!keys.length) return;
  let mine = new Set<string>();
  // a customer created in this transaction holds no key yet: insert first, look up holders only on a clash
  // (the refusal rolls its whole transaction back, keys inserted so far with it)
  if (!opts.fresh) {
    const holders = await holdersOf(
      tx,
      keys.map((k) => k.key),
    );
    const others = holders.filter((h) => h.customer_id !== customerId);
    if (others.length) throw duplicateError(others, keys);
    mine = new Set(holders.map((h) => h.key));
  }
  const rows = keys.filter((k) => !mine.has(k.key)).map((k) => ({ key: k.key, customer_id: customerId }));
  if (!rows.length) return;
  let inserted: string[];
  try {
    const res = await tx
      .insertInto('customer_keys')
      .values(rows)
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .execute();
    inserted = res.map((r) => r.key);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('customer_duplicate', { owner: '' }, [{ field: 'name', code: 'duplicate' }]);
    throw err;
  }
  if (inserted.length === rows.length) return;
  const lost = rows.map((r) => r.key).filter((k) => !inserted.includes(k));
  const raced = (await holdersOf(tx, lost)).filter((h) => h.customer_id !== customerId);
  throw raced.length
    ? duplicateError(raced, keys)
    : new AppError('customer_duplicate', { owner: '' }, [
        { field: keys.find((k) => lost.includes(k.key))?.field ?? 'name', code: 'duplicate' },
      ]);
}

/** Releases every key of the customer (delete, before a re-claim on edit, merge). */
export async function releaseKeys(tx: DbOrTx, customerId: string): Promise<void> {
  await tx.deleteFrom('customer_keys').where('customer_id', '=', customerId).execute();
}

/**
 * Moves the customer's keys from `before` (the keys of its stored name and phones) to `after` (those
 * of the new ones): keys of a changed name or a removed phone are dropped, new ones claimed (refusing
 * duplicates as claimKeys does). Every other key stays — in particular those a merge brought in, so
 * the merged customer's name and phones keep finding the kept one.
 */
export async function swapKeys(tx: DbOrTx, customerId: string, before: CustomerKey[], after: CustomerKey[]): Promise<void> {
  const next = new Set(after.map((k) => k.key));
  const dropped = before.map((k) => k.key).filter((k) => !next.has(k));
  if (dropped.length) await tx.deleteFrom('customer_keys').where('customer_id', '=', customerId).where('key', 'in', dropped).execute();
  const known = new Set(before.map((k) => k.key));
  await claimKeys(
    tx,
    customerId,
    after.filter((k) => !known.has(k.key)),
  );
}

/**
 * The duplicate-check page (查重): whether a customer with this name or phone exists and who owns
 * it, and nothing more — no id, no name, no other field, whatever the caller's scope.
 */
export async function duplicateCheck(
  db: DbOrTx,
  q: { name?: string; phone?: string },
  settings: CustomerSettings,
): Promise<DuplicateCheckResult> {
  const byKey = new Map<string, 'name' | 'phone'>();
  const n = q.name ? nameKey(q.name, settings) : null;
  if (n) byKey.set(n, 'name');
  if (q.phone) for (const k of phoneKeysOf(q.phone)) byKey.set(k, 'phone');
  const holders = await holdersOf(db, [...byKey.keys()]);
  const seen = new Set<string>();
  const matches: DuplicateCheckResult['matches'] = [];
  for (const h of holders) {
    const by = byKey.get(h.key)!;
    // one match per customer and criterion (two numbers of one customer are one phone match)
    const id = `${by}:${h.customer_id}`;
    if (seen.has(id)) continue;
    seen.add(id);
    matches.push({ by, ownerName: h.owner_id ? h.owner_name : null, inPool: !h.owner_id });
  }
  matches.sort((a, b) => (a.by === b.by ? 0 : a.by === 'name' ? -1 : 1));
  return { matches };
}
