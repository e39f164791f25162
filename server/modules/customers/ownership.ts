import { sql } from 'kysely';
import type { DbOrTx, Tx } from '@server/db/types';
import { DEAL_STAGES, type CustomerSettings } from '@common/schemas/customer-settings';
import { newId, nowIso } from '@server/db/ids';
import { AppError } from '@server/platform/http/errors';
import { audit, type Actor } from '@server/platform/audit/audit.service';

/** Why an owner changed (归属变更), as recorded in customer_owner_history and shown on the customer. */
export type OwnerChangeReason = 'create' | 'claim' | 'release' | 'assign' | 'transfer' | 'recycle' | 'handover' | 'merge' | 'convert';

/** Appends one owner-history row (from, to, why, who, when). */
export async function recordOwnerHistory(
  tx: DbOrTx,
  e: { customerId: string; from: string | null; to: string | null; reason: OwnerChangeReason; actor: Actor; note?: string | null },
): Promise<void> {
  await tx
    .insertInto('customer_owner_history')
    .values({
      id: newId(),
      customer_id: e.customerId,
      from_user_id: e.from,
      to_user_id: e.to,
      reason: e.reason,
      note: e.note ?? null,
      actor_id: e.actor.id,
      at: nowIso(),
    })
    .execute();
}

/**
 * Moves a live customer to `toUserId` (null: into the public pool). Keeps owner_department_id in
 * step with the new owner, stamps pooled_at, clears a pending recycle warning, bumps the version,
 * and records history and audit. Permission and cap checks are the caller's (assertCanOwn).
 * Returns false when the customer is absent, already has that owner, or its owner changed
 * concurrently (nothing written then).
 */
export async function changeOwner(
  tx: Tx,
  customerId: string,
  toUserId: string | null,
  reason: OwnerChangeReason,
  actor: Actor,
  note?: string | null,
  /** the owner the caller's checks were made against (null: the pool); when given, nothing changes unless it still is */
  expectedOwner?: string | null,
): Promise<boolean> {
  const row = await tx
    .selectFrom('customers')
    .select(['owner_id', 'owner_department_id'])
    .where('id', '=', customerId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row || row.owner_id === toUserId) return false;
  if (expectedOwner !== undefined && row.owner_id !== expectedOwner) return false;
  const dept = toUserId
    ? ((await tx.selectFrom('users').select('department_id').where('id', '=', toUserId).executeTakeFirst())?.department_id ?? null)
    : null;
  const now = nowIso();
  // compare-and-set on the owner read: of two concurrent changes (two users claiming the same pool
  // customer) exactly one applies; the other updates nothing and returns false. Under Postgres'
  // read committed each statement sees the latest commit, hence `expectedOwner` for callers that
  // decided on an earlier read.
  const updated = await tx
    .updateTable('customers')
    .set({
      owner_id: toUserId,
      owner_department_id: dept,
      pooled_at: toUserId ? null : now,
      recycle_warned_at: null,
      updated_at: now,
      version: sql<number>`version + 1`,
    })
    .where('id', '=', customerId)
    .where((e) => (row.owner_id === null ? e('owner_id', 'is', null) : e('owner_id', '=', row.owner_id)))
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) return false;
  await recordOwnerHistory(tx, { customerId, from: row.owner_id, to: toUserId, reason, actor, note });
  await audit(tx, actor, {
    action: reason,
    entity: 'customer',
    entityId: customerId,
    before: { ownerId: row.owner_id, ownerDepartmentId: row.owner_department_id },
    after: { ownerId: toUserId, ownerDepartmentId: dept },
    detail: note ?? null,
  });
  return true;
}

/** How many live customers count toward a cap for this owner / department. */
async function ownedCount(db: DbOrTx, column: 'owner_id' | 'owner_department_id', id: string, countDeals: boolean): Promise<number> {
  let q = db
    .selectFrom('customers')
    .select((e) => e.fn.countAll<number>().as('n'))
    .where(column, '=', id)
    .where('deleted_at', 'is', null);
  if (!countDeals) {
    q = q.where((e) => e.and([e.or([e('stage', 'is', null), e('stage', 'not in', DEAL_STAGES)]), e('last_deal_at', 'is', null)]));
  }
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/**
 * Refuses (409 customer_cap_reached, naming who and the limit) when `userId` taking `adding` more
 * customers would exceed the per-user or per-department cap of the customer settings. Customers
 * that already count for the user (e.g. a transfer within the department) are the caller's to
 * leave out of `adding`.
 */
export async function assertCanOwn(
  db: DbOrTx,
  userId: string,
  adding: number,
  settings: CustomerSettings,
  /** customers new to the user's department (default `adding`; less when some move within it) */
  departmentAdding = adding,
): Promise<void> {
  const { perUser, perDepartment, countDeals } = settings.caps;
  if ((adding <= 0 && departmentAdding <= 0) || (!perUser && !perDepartment)) return;
  const user = await db.selectFrom('users').select(['name', 'department_id']).where('id', '=', userId).executeTakeFirst();
  if (!user) return;
  if (perUser && adding > 0) {
    const count = await ownedCount(db, 'owner_id', userId, countDeals);
    if (count + adding > perUser) throw new AppError('customer_cap_reached', { who: user.name, limit: perUser, count });
  }
  if (perDepartment && departmentAdding > 0 && user.department_id) {
    const count = await ownedCount(db, 'owner_department_id', user.department_id, countDeals);
    if (count + departmentAdding > perDepartment) {
      const dept = await db.selectFrom('departments').select('name').where('id', '=', user.department_id).executeTakeFirst();
      throw new AppError('customer_cap_reached', { who: dept?.name ?? '', limit: perDepartment, count });
    }
  }
}
