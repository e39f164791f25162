import { sql, type Expression, type SqlBool } from 'kysely';
import type { DbOrTx, Tx } from '@server/db/types';
import type { TransferResult, TransferSubmitted } from '@common/schemas/pool';
import { nowIso } from '@server/db/ids';
import { fieldError } from '@server/platform/http/errors';
import { audit, type Actor } from '@server/platform/audit/audit.service';
import type { Auth } from '@server/platform/access/types';
import { inTransaction } from '@server/platform/notify/transaction';
import type { EngineContext } from '@server/modules/approvals/engine';
import { registerOwnable } from '@server/platform/org/handover';
import { getCustomerSettings } from './customer-settings.service';
import { customerEditable, customerVisible } from './visibility';
import { assertCanOwn, changeOwner, type OwnerChangeReason } from './ownership';
import { activeUser, countingAdd } from './pool.service';
import { assertNotHeld, submitTransferIfRequired } from './transfer-requests.service';

/**
 * 移交: customers change owner together with what the previous owner still has open on them.
 * Contacts hang on the customer and follow by themselves; the previous owner's open schedules
 * (not done) and open follow-ups (a next date still ahead) on those customers move to the new
 * owner. Used by POST /customers/transfer, the bulk action and the user-left handover.
 */

const CHUNK = 500;

function chunks<T>(list: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/**
 * Moves live customers to `toUserId` inside the caller's transaction, with their open schedules
 * and open follow-ups of the previous owner. Every change is audited and recorded in the owner
 * history with `reason`. Scope and cap checks are the caller's. Customers already owned by the
 * target are left as they are.
 */
export async function transferCustomers(
  tx: Tx,
  ids: string[],
  toUserId: string,
  actor: Actor,
  reason: OwnerChangeReason,
  note?: string | null,
): Promise<TransferResult> {
  const result: TransferResult = { transferred: 0, done: 0, schedules: 0, followUps: 0 };
  const target = await tx.selectFrom('users').select('department_id').where('id', '=', toUserId).executeTakeFirstOrThrow();
  const now = nowIso();
  for (const part of chunks([...new Set(ids)])) {
    const rows = await tx
      .selectFrom('customers')
      .select(['id', 'owner_id'])
      .where('id', 'in', part)
      .where('deleted_at', 'is', null)
      .execute();
    // customer id → the owner it had before this transfer
    const previous = new Map<string, string>();
    for (const r of rows) {
      if (r.owner_id === toUserId) continue;
      if (await changeOwner(tx, r.id, toUserId, reason, actor, note, r.owner_id)) {
        result.transferred++;
        result.done++;
        if (r.owner_id) previous.set(r.id, r.owner_id);
      }
    }
    if (!previous.size) continue;
    const moved = [...previous.keys()];

    const move = { moved, previous, toUserId, departmentId: target.department_id, now, reason, actor };
    // open schedules, and follow-ups whose next step is still ahead, of the previous owners
    result.schedules += await moveOpenRecords(tx, 'schedules', 'schedule', move, sql<SqlBool>`done = 0`);
    result.followUps += await moveOpenRecords(tx, 'follow_ups', 'follow_up', move, sql<SqlBool>`next_at > ${now}`);
  }
  return result;
}

type OpenRecordMove = {
  moved: string[];
  /** customer id → its owner before the transfer */
  previous: Map<string, string>;
  toUserId: string;
  departmentId: string | null;
  now: string;
  reason: string;
  actor: Actor;
};

/** Moves a table's open records of the moved customers that their previous owner held; audited per record. */
async function moveOpenRecords(
  tx: Tx,
  table: 'schedules' | 'follow_ups',
  entity: string,
  m: OpenRecordMove,
  open: Expression<SqlBool>,
): Promise<number> {
  const rows = (
    await tx
      .selectFrom(table)
      .select(['id', 'customer_id', 'owner_id'])
      .where('customer_id', 'in', m.moved)
      .where('deleted_at', 'is', null)
      .where(open)
      .execute()
  ).filter((r) => r.customer_id && m.previous.get(r.customer_id) === r.owner_id);
  for (const ids of chunks(rows.map((r) => r.id))) {
    await tx
      .updateTable(table)
      .set({ owner_id: m.toUserId, owner_department_id: m.departmentId, updated_at: m.now, version: sql<number>`version + 1` })
      .where('id', 'in', ids)
      .execute();
  }
  for (const r of rows) {
    await audit(tx, m.actor, {
      action: m.reason,
      entity,
      entityId: r.id,
      before: { ownerId: r.owner_id },
      after: { ownerId: m.toUserId },
      detail: `customer ${r.customer_id}`,
    });
  }
  return rows.length;
}

/**
 * Caps for a transfer target, counting only customers that are new to it: the user's cap over
 * customers it does not own yet, the department's over customers from other departments.
 */
export async function assertTransferCaps(db: DbOrTx, ids: string[], toUserId: string): Promise<void> {
  const settings = await getCustomerSettings(db);
  if (!settings.caps.perUser && !settings.caps.perDepartment) return;
  const target = await db.selectFrom('users').select('department_id').where('id', '=', toUserId).executeTakeFirst();
  let adding = 0;
  let departmentAdding = 0;
  for (const part of chunks(ids)) {
    const rows = await db
      .selectFrom('customers')
      .select(['id', 'owner_id', 'owner_department_id'])
      .where('id', 'in', part)
      .where('deleted_at', 'is', null)
      .execute();
    const newToUser = rows.filter((r) => r.owner_id !== toUserId).map((r) => r.id);
    const newToDept = rows
      .filter((r) => r.owner_department_id === null || r.owner_department_id !== target?.department_id)
      .map((r) => r.id);
    adding += await countingAdd(db, newToUser, settings);
    departmentAdding += await countingAdd(db, newToDept, settings);
  }
  await assertCanOwn(db, toUserId, adding, settings, departmentAdding);
}

/**
 * POST /customers/transfer: every customer must be one the caller may edit and not held by a
 * transfer in approval, else nothing is written and the first offending id is named (`ids.N`);
 * the target must be an active user and within the caps. When an approval flow applies, the
 * transfer becomes a request (TransferSubmitted) and nothing moves yet. One transaction.
 */
export async function transferForUser(
  ctx: EngineContext,
  auth: Auth,
  body: { ids: string[]; toUserId: string; note?: string | null },
  actor: Actor,
): Promise<TransferResult | TransferSubmitted> {
  return inTransaction(ctx.db, async (tx) => {
    await activeUser(tx, body.toUserId, 'toUserId');
    const editable = new Set<string>();
    const pooled = new Set<string>();
    for (const part of chunks([...new Set(body.ids)])) {
      const rows = await tx
        .selectFrom('customers as c')
        .select(['c.id', 'c.owner_id'])
        .select((e) => e.case().when(customerEditable(auth)).then(1).else(0).end().as('editable'))
        .where('c.id', 'in', part)
        .where('c.deleted_at', 'is', null)
        .where(customerVisible(auth))
        .execute();
      for (const r of rows) {
        if (Number(r.editable) === 1) editable.add(r.id);
        else if (r.owner_id === null) pooled.add(r.id);
      }
    }
    const bad = body.ids.findIndex((id) => !editable.has(id));
    if (bad >= 0) throw fieldError(`ids.${bad}`, pooled.has(body.ids[bad]) ? 'in_pool' : 'out_of_scope');
    await assertNotHeld(tx, body.ids, 'ids');
    await assertTransferCaps(tx, body.ids, body.toUserId);
    const submitted = await submitTransferIfRequired(ctx, tx, { ...body, submitterId: auth.user.id }, actor);
    return submitted ?? transferCustomers(tx, body.ids, body.toUserId, actor, 'transfer', body.note);
  });
}

// 离职交接: the leaver's customers go to the successor, with their open schedules and follow-ups.
// Caps do not apply: a leaver's customers must land somewhere; the admin can reassign later.
registerOwnable({
  entity: 'customers',
  labelKey: 'pool.handover.customers',
  async count(db, userId) {
    const r = await db
      .selectFrom('customers')
      .select((e) => e.fn.countAll<number>().as('n'))
      .where('owner_id', '=', userId)
      .where('deleted_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },
  async transfer(tx, fromUserId, toUserId, actor) {
    let moved = 0;
    // keyset over the leaver's customers; each page leaves the leaver, so the next starts after it
    let after = '';
    for (;;) {
      const page = await tx
        .selectFrom('customers')
        .select('id')
        .where('owner_id', '=', fromUserId)
        .where('deleted_at', 'is', null)
        .where('id', '>', after)
        .orderBy('id')
        .limit(CHUNK)
        .execute();
      if (!page.length) break;
      moved += (
        await transferCustomers(
          tx,
          page.map((p) => p.id),
          toUserId,
          actor,
          'handover',
        )
      ).transferred;
      after = page[page.length - 1].id;
    }
    return moved;
  },
});
