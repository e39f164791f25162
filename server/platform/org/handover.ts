import { sql } from 'kysely';
import type { Db, DbOrTx, Tx } from '@server/db/types';
import type { HandoverItem } from '@common/schemas/org';
import { nowIso } from '@server/db/ids';
import { AppError, fieldError } from '../http/errors';
import { audit, type Actor } from '../audit/audit.service';
import { subordinatesOf } from '../access/scope';
import { inTransaction } from '../notify/transaction';
import { withTx, type Caller } from './caller';
import { departmentsHeadedBy, updateDepartmentRow } from './departments.repository';
import { updateUserRow } from './users.repository';

/**
 * 离职交接: a record type a user can own, registered by its module (customers, opportunities, …).
 * `transfer` runs inside the handover's transaction and returns how many records moved; it
 * should write its own audit entries for the records it changes. When runHandover opened the
 * transaction it comes from inTransaction, so `transfer` may notify / use afterCommit.
 */
export type Ownable = {
  entity: string;
  /** message catalog key of the type's label, e.g. 'org.handover.subordinates' */
  labelKey: string;
  count(db: DbOrTx, userId: string): Promise<number>;
  transfer(tx: Tx, fromUserId: string, toUserId: string, actor: Actor): Promise<number>;
};

const ownables = new Map<string, Ownable>();

/** Registers (or replaces) a record type that a leaving user's successor can take over. */
export function registerOwnable(o: Ownable): void {
  ownables.set(o.entity, o);
}

export function listOwnables(): Ownable[] {
  return [...ownables.values()];
}

/** What a user owns, per registered record type. */
export async function handoverSummary(db: DbOrTx, userId: string): Promise<HandoverItem[]> {
  const items: HandoverItem[] = [];
  for (const o of ownables.values()) items.push({ entity: o.entity, labelKey: o.labelKey, count: await o.count(db, userId) });
  return items;
}

/**
 * Hands a user's records over to another active user, every selected type (all when `entities`
 * is absent) in one transaction, with one summary audit entry on the source user. Given the root
 * Db it opens that transaction with inTransaction (modules' notifications go out after commit);
 * given a transaction it runs inside it (which then must come from inTransaction for types that
 * notify, e.g. approval tasks).
 */
export async function runHandover(db: DbOrTx, fromUserId: string, toUserId: string, entities: string[] | undefined, caller: Caller) {
  const selected = entities ?? [...ownables.keys()];
  selected.forEach((e, i) => {
    if (!ownables.has(e)) throw fieldError(`entities.${i}`, 'invalid_value');
  });
  const open = <T>(fn: (tx: Tx) => Promise<T>) => (db.isTransaction ? withTx(db, fn) : inTransaction(db as Db, fn));
  return open(async (tx) => {
    const from = await tx.selectFrom('users').select(['id', 'is_admin']).where('id', '=', fromUserId).executeTakeFirst();
    if (!from) throw new AppError('not_found');
    if (from.is_admin === 1 && !caller.isAdmin) throw new AppError('admin_required');
    const to = await tx.selectFrom('users').select(['id', 'status']).where('id', '=', toUserId).executeTakeFirst();
    if (!to || to.status !== 'active' || to.id === fromUserId) throw fieldError('toUserId', 'handover_target');
    const items: { entity: string; moved: number }[] = [];
    for (const entity of selected) {
      items.push({ entity, moved: await ownables.get(entity)!.transfer(tx, fromUserId, toUserId, caller.actor) });
    }
    await audit(tx, caller.actor, {
      action: 'handover',
      entity: 'user',
      entityId: fromUserId,
      detail: JSON.stringify({ to: toUserId, moved: Object.fromEntries(items.map((i) => [i.entity, i.moved])) }),
    });
    return items;
  });
}

// The leaver's direct reports report to the successor. When the successor is one of the leaver's
// own subordinates, the successor first takes the leaver's place (reports to the leaver's
// supervisor), so no reporting loop can form.
registerOwnable({
  entity: 'subordinates',
  labelKey: 'org.handover.subordinates',
  async count(db, userId) {
    const r = await db
      .selectFrom('users')
      .select((e) => e.fn.countAll<number>().as('n'))
      .where('supervisor_id', '=', userId)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },
  async transfer(tx, fromUserId, toUserId, actor) {
    const now = nowIso();
    const leaver = await tx.selectFrom('users').select('supervisor_id').where('id', '=', fromUserId).executeTakeFirstOrThrow();
    const inTree = await tx
      .selectFrom('users')
      .select(['id', 'version', 'supervisor_id'])
      .where('id', '=', toUserId)
      .where(sql<boolean>`id in ${subordinatesOf(fromUserId)}`)
      .executeTakeFirst();
    if (inTree) {
      await updateUserRow(tx, toUserId, inTree.version, { supervisor_id: leaver.supervisor_id }, now);
      await audit(tx, actor, {
        action: 'update',
        entity: 'user',
        entityId: toUserId,
        before: { supervisorId: inTree.supervisor_id },
        after: { supervisorId: leaver.supervisor_id },
        detail: 'handover',
      });
    }
    const reports = await tx
      .selectFrom('users')
      .select(['id', 'version'])
      .where('supervisor_id', '=', fromUserId)
      .where('id', '!=', toUserId)
      .execute();
    for (const r of reports) {
      await updateUserRow(tx, r.id, r.version, { supervisor_id: toUserId }, now);
      await audit(tx, actor, {
        action: 'update',
        entity: 'user',
        entityId: r.id,
        before: { supervisorId: fromUserId },
        after: { supervisorId: toUserId },
        detail: 'handover',
      });
    }
    return reports.length;
  },
});

registerOwnable({
  entity: 'department_head',
  labelKey: 'org.handover.department_head',
  async count(db, userId) {
    return (await departmentsHeadedBy(db, userId)).length;
  },
  async transfer(tx, fromUserId, toUserId, actor) {
    const headed = await departmentsHeadedBy(tx, fromUserId);
    const now = nowIso();
    for (const d of headed) {
      await updateDepartmentRow(tx, d.id, d.version, { head_user_id: toUserId }, now);
      await audit(tx, actor, {
        action: 'update',
        entity: 'department',
        entityId: d.id,
        before: { headUserId: fromUserId },
        after: { headUserId: toUserId },
        detail: 'handover',
      });
    }
    return headed.length;
  },
});
