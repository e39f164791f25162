import type { Db, DbOrTx, Tx } from '@server/db/types';
import type { OwnerHistoryEntry } from '@common/schemas/pool';
import { DEAL_STAGES } from '@common/schemas/customer-settings';
import { translate, type Locale } from '@common/messages/index';
import { AppError, fieldError } from '@server/platform/http/errors';
import type { Actor } from '@server/platform/audit/audit.service';
import type { Auth } from '@server/platform/access/types';
import { withTx } from '@server/platform/org/caller';
import { getCustomerSettings } from './customer-settings.service';
import { customerEditable, customerVisible } from './visibility';
import { assertCanOwn, changeOwner } from './ownership';
import { assertNotHeld } from './transfer-requests.service';

/**
 * The public pool (公海): owners release customers into it, users claim from it, admins assign
 * from it (or reassign between owners). Every move goes through changeOwner, so it is recorded in
 * the owner history and the audit log; the pool's recycle job is in pool-recycle.ts.
 */

type CustomerState = { id: string; owner_id: string | null; editable: boolean };

/** The live customer as the caller sees it, or 404 (absent, deleted or out of scope). */
async function visibleCustomer(db: DbOrTx, auth: Auth, id: string): Promise<CustomerState> {
  const row = await db
    .selectFrom('customers as c')
    .select(['c.id', 'c.owner_id'])
    .select((e) => e.case().when(customerEditable(auth)).then(1).else(0).end().as('editable'))
    .where('c.id', '=', id)
    .where('c.deleted_at', 'is', null)
    .where(customerVisible(auth))
    .executeTakeFirst();
  if (!row) throw new AppError('not_found');
  return { id: row.id, owner_id: row.owner_id, editable: Number(row.editable) === 1 };
}

/** An active user to give customers to, or a field error on `field`. */
export async function activeUser(db: DbOrTx, userId: string, field: string): Promise<{ id: string; department_id: string | null }> {
  const user = await db.selectFrom('users').select(['id', 'status', 'department_id']).where('id', '=', userId).executeTakeFirst();
  if (!user) throw fieldError(field, 'not_found');
  if (user.status !== 'active') throw fieldError(field, 'inactive');
  return user;
}

/**
 * Releases an owned customer to the pool (放入公海). The caller must be able to edit it;
 * 409 customer_in_pool when it is in the pool already, approval_document_locked while a transfer
 * request in approval holds it.
 */
export async function releaseToPool(tx: Tx, auth: Auth, id: string, actor: Actor, note?: string | null): Promise<void> {
  const c = await visibleCustomer(tx, auth, id);
  if (c.owner_id === null) throw new AppError('customer_in_pool');
  if (!c.editable) throw new AppError('forbidden');
  await assertNotHeld(tx, [id]);
  if (!(await changeOwner(tx, id, null, 'release', actor, note, c.owner_id))) throw new AppError('conflict', { detail: id });
}

/**
 * Claims a pool customer for the caller (领取). Caps apply (409 customer_cap_reached with who and
 * the limit). Of two users claiming at once exactly one wins; the other gets customer_not_in_pool.
 */
export async function claimFromPool(db: Db, auth: Auth, id: string, actor: Actor): Promise<void> {
  await withTx(db, async (tx) => {
    // a customer someone else has just claimed is out of the caller's sight by now; the caller
    // still learns it left the pool (nothing more), which is what a lost race looks like
    const c = await tx
      .selectFrom('customers as c')
      .select(['c.owner_id'])
      .select((e) => e.case().when(customerVisible(auth)).then(1).else(0).end().as('visible'))
      .where('c.id', '=', id)
      .where('c.deleted_at', 'is', null)
      .executeTakeFirst();
    if (!c || (c.owner_id === null && Number(c.visible) !== 1)) throw new AppError('not_found');
    if (c.owner_id !== null) throw new AppError('customer_not_in_pool');
    await assertCanOwn(tx, auth.user.id, await countingAdd(tx, [id]), await getCustomerSettings(tx));
    if (!(await changeOwner(tx, id, auth.user.id, 'claim', actor, null, null))) throw new AppError('customer_not_in_pool');
  });
}

/**
 * An admin gives a customer (from the pool or from its owner) to an active user (分配). Caps
 * apply to that user. Assigning to the current owner changes nothing. Refused while a transfer
 * request in approval holds the customer.
 */
export async function assignCustomer(db: Db, id: string, userId: string, actor: Actor, note?: string | null): Promise<void> {
  await withTx(db, async (tx) => {
    const c = await tx.selectFrom('customers').select('owner_id').where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
    if (!c) throw new AppError('not_found');
    await activeUser(tx, userId, 'userId');
    if (c.owner_id === userId) return;
    await assertNotHeld(tx, [id]);
    await assertCanOwn(tx, userId, await countingAdd(tx, [id]), await getCustomerSettings(tx));
    if (!(await changeOwner(tx, id, userId, 'assign', actor, note, c.owner_id))) throw new AppError('conflict', { detail: id });
  });
}

/**
 * How many of these customers count toward an ownership cap once owned: all of them, or only
 * those without a deal when the settings leave deal customers out of the caps.
 */
export async function countingAdd(db: DbOrTx, ids: string[], settings?: { caps: { countDeals: boolean } }): Promise<number> {
  if (!ids.length) return 0;
  const countDeals = (settings ?? (await getCustomerSettings(db))).caps.countDeals;
  if (countDeals) return ids.length;
  const rows = await db.selectFrom('customers').select(['stage', 'last_deal_at']).where('id', 'in', ids).execute();
  return rows.filter((r) => r.last_deal_at === null && !DEAL_STAGES.includes(r.stage ?? '')).length;
}

/** The note of a recycle row names the rule (`no_contact:30`); shown in the reader's words. */
function noteText(reason: string, note: string | null, locale: Locale): string | null {
  const rule = reason === 'recycle' && note ? /^(no_contact|no_deal):(\d+)$/.exec(note) : null;
  return rule ? translate(locale, `pool.rule.${rule[1]}`, { days: rule[2] }) : note;
}

/** The owner changes of a customer the caller can see, newest first (the latest 1,000). */
export async function ownerHistory(db: DbOrTx, auth: Auth, id: string, locale: Locale): Promise<OwnerHistoryEntry[]> {
  await visibleCustomer(db, auth, id);
  const rows = await db
    .selectFrom('customer_owner_history as h')
    .leftJoin('users as f', 'f.id', 'h.from_user_id')
    .leftJoin('users as t', 't.id', 'h.to_user_id')
    .leftJoin('users as a', 'a.id', 'h.actor_id')
    .select([
      'h.id',
      'h.from_user_id',
      'f.name as from_name',
      'h.to_user_id',
      't.name as to_name',
      'h.reason',
      'h.note',
      'a.name as actor_name',
      'h.at',
    ])
    .where('h.customer_id', '=', id)
    .orderBy('h.at', 'desc')
    .orderBy('h.id', 'desc')
    .limit(1000)
    .execute();
  return rows.map((r) => ({
    fromUserId: r.from_user_id,
    fromName: r.from_name,
    toUserId: r.to_user_id,
    toName: r.to_name,
    reason: r.reason,
    note: noteText(r.reason, r.note, locale),
    actorName: r.actor_name,
    at: r.at,
  }));
}
