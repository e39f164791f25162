import type { DbOrTx, Tx } from '@server/db/types';
import type { CustomerTransferRequest, TransferRequestResult, TransferSkipReason, TransferSubmitted } from '@common/schemas/pool';
import { DEFAULT_LOCALE, translate } from '@common/messages/index';
import { newId, nowIso } from '@server/db/ids';
import { AppError } from '@server/platform/http/errors';
import { audit, type Actor } from '@server/platform/audit/audit.service';
import type { Auth } from '@server/platform/access/types';
import { registerApprovable, type ApprovalEventContext, type ApprovalOutcome } from '@server/modules/approvals/registry';
import { selectFlow, submitDocument, type EngineContext } from '@server/modules/approvals/engine';
import { registerCustomerLink } from './links';
import { customerVisible } from './visibility';
import { transferCustomers } from './transfer.service';

/**
 * 移交审批: a customer transfer that an approval flow must pass first. The request (document type
 * 'customer_transfer') lists the customers with the owner each had; while it is pending or returned
 * they are held (no second transfer, release, assign, merge or delete — see assertNotHeld). Once
 * approved, the customers whose owner is still the one recorded move to the target; the others are
 * skipped and listed in the stored result.
 */

export const TRANSFER_TYPE = 'customer_transfer';
/** request statuses that hold their customers */
const HOLDING = ['pending', 'returned'];
const CHUNK = 500;

function chunks<T>(list: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** The customers among `ids` that a pending or returned transfer request holds. */
export async function heldCustomers(db: DbOrTx, ids: string[]): Promise<Set<string>> {
  const held = new Set<string>();
  for (const part of chunks([...new Set(ids)])) {
    const rows = await db
      .selectFrom('customer_transfer_request_items as i')
      .innerJoin('customer_transfer_requests as r', 'r.id', 'i.request_id')
      .select('i.customer_id')
      .where('i.customer_id', 'in', part)
      .where('r.status', 'in', HOLDING)
      .execute();
    for (const r of rows) held.add(r.customer_id);
  }
  return held;
}

/**
 * Refuses (409 approval_document_locked) when a pending or returned transfer request holds one of
 * these customers. With `field` (e.g. 'ids') the first held one is named `ids.N`.
 */
export async function assertNotHeld(db: DbOrTx, customerIds: string[], field?: string): Promise<void> {
  if (!customerIds.length) return;
  const held = await heldCustomers(db, customerIds);
  if (!held.size) return;
  const index = customerIds.findIndex((id) => held.has(id));
  throw new AppError('approval_document_locked', {}, field ? [{ field: `${field}.${index}`, code: 'approval_document_locked' }] : []);
}

/** The flow fields of a transfer: what entry conditions and branches may test. */
async function flowValues(
  db: DbOrTx,
  r: { toUserId: string; submitterId: string; note: string | null; fromOwners: (string | null)[] },
): Promise<Record<string, unknown>> {
  const users = await db.selectFrom('users').select(['id', 'department_id']).where('id', 'in', [r.toUserId, r.submitterId]).execute();
  const dept = (id: string) => users.find((u) => u.id === id)?.department_id ?? null;
  const owners = new Set(r.fromOwners);
  const [single] = [...owners];
  return {
    customerCount: r.fromOwners.length,
    toUser: r.toUserId,
    toDepartment: dept(r.toUserId),
    crossDepartment: dept(r.toUserId) !== dept(r.submitterId),
    fromOwner: owners.size === 1 && single ? single : null,
    note: r.note,
  };
}

type TransferInput = { ids: string[]; toUserId: string; note?: string | null; submitterId: string };

/** A transfer that needs approval: the customers that would move (with their owners) and the flow fields. */
export type TransferPlan = { input: TransferInput; moving: string[]; owners: Map<string, string | null> };

/**
 * Whether a flow applies to this transfer (selectFlow over its fields). Customers the target owns
 * already are left out; null when none would move or no flow applies (the transfer happens at once).
 */
export async function planTransfer(db: DbOrTx, input: TransferInput): Promise<TransferPlan | null> {
  const owners = new Map<string, string | null>();
  for (const part of chunks([...new Set(input.ids)])) {
    const rows = await db
      .selectFrom('customers')
      .select(['id', 'owner_id'])
      .where('id', 'in', part)
      .where('deleted_at', 'is', null)
      .execute();
    for (const r of rows) owners.set(r.id, r.owner_id);
  }
  const moving = [...new Set(input.ids)].filter((id) => owners.has(id) && owners.get(id) !== input.toUserId);
  if (!moving.length) return null;
  const values = await flowValues(db, {
    toUserId: input.toUserId,
    submitterId: input.submitterId,
    note: input.note ?? null,
    fromOwners: moving.map((id) => owners.get(id) ?? null),
  });
  return (await selectFlow(db, TRANSFER_TYPE, values, input.submitterId)) ? { input, moving, owners } : null;
}

/**
 * Writes the request with its customers and starts its approval, inside the caller's transaction
 * (from inTransaction: the engine's notifications go out after commit). Scope, target, hold and
 * caps are the caller's to check first.
 */
export async function openTransferRequest(ctx: EngineContext, tx: Tx, plan: TransferPlan, actor: Actor): Promise<TransferSubmitted> {
  const { input, moving, owners } = plan;
  const note = input.note ?? null;
  const id = newId();
  const now = nowIso();
  await tx
    .insertInto('customer_transfer_requests')
    .values({
      id,
      submitter_id: input.submitterId,
      to_user_id: input.toUserId,
      note,
      status: 'pending',
      instance_id: null,
      result: null,
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  for (const part of chunks(moving)) {
    await tx
      .insertInto('customer_transfer_request_items')
      .values(part.map((customerId) => ({ request_id: id, customer_id: customerId, from_user_id: owners.get(customerId) ?? null })))
      .execute();
  }
  await audit(tx, actor, {
    action: 'create',
    entity: 'customer_transfer_request',
    entityId: id,
    after: { toUserId: input.toUserId, customerIds: moving, note },
  });
  const submitted = await submitDocument(ctx, tx, { type: TRANSFER_TYPE, documentId: id, submitterId: input.submitterId }, actor);
  // onStatus has run by now (status, and the result when every point was skipped)
  const row = await tx.selectFrom('customer_transfer_requests').select('result').where('id', '=', id).executeTakeFirstOrThrow();
  await tx.updateTable('customer_transfer_requests').set({ instance_id: submitted.instanceId }).where('id', '=', id).execute();
  return {
    status: submitted.status,
    requestId: id,
    approvalId: submitted.instanceId,
    result: row.result ? (JSON.parse(row.result) as TransferRequestResult) : null,
  };
}

/** planTransfer then openTransferRequest: null when the transfer needs no approval. */
export async function submitTransferIfRequired(
  ctx: EngineContext,
  tx: Tx,
  input: TransferInput,
  actor: Actor,
): Promise<TransferSubmitted | null> {
  const plan = await planTransfer(tx, input);
  return plan ? openTransferRequest(ctx, tx, plan, actor) : null;
}

// ---------------------------------------------------------------- the approvable document

async function requestRow(db: DbOrTx, id: string) {
  const r = await db.selectFrom('customer_transfer_requests').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw new AppError('not_found');
  return r;
}

async function loadRequest(db: DbOrTx, id: string) {
  const r = await requestRow(db, id);
  const items = await db
    .selectFrom('customer_transfer_request_items as i')
    .leftJoin('customers as c', 'c.id', 'i.customer_id')
    .select(['i.customer_id', 'i.from_user_id', 'c.name'])
    .where('i.request_id', '=', id)
    .orderBy('i.customer_id')
    .execute();
  const to = await db.selectFrom('users').select('name').where('id', '=', r.to_user_id).executeTakeFirst();
  const first = items[0];
  // the title is stored with the instance: the company's language, not the viewer's
  const title = translate(DEFAULT_LOCALE, items.length > 1 ? 'transferrequests.title.many' : 'transferrequests.title.one', {
    first: first?.name ?? '—',
    count: items.length,
    to: to?.name ?? '—',
  });
  return {
    title,
    values: await flowValues(db, {
      toUserId: r.to_user_id,
      submitterId: r.submitter_id,
      note: r.note,
      fromOwners: items.map((i) => i.from_user_id),
    }),
    link: first ? `/customers/${first.customer_id}` : null,
  };
}

/** The submitter, the target, or anyone who can see one of the customers. */
async function canViewRequest(db: DbOrTx, auth: Auth, id: string): Promise<boolean> {
  const r = await db
    .selectFrom('customer_transfer_requests')
    .select(['submitter_id', 'to_user_id'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!r) return false;
  if (r.submitter_id === auth.user.id || r.to_user_id === auth.user.id) return true;
  const seen = await db
    .selectFrom('customer_transfer_request_items as i')
    .innerJoin('customers as c', 'c.id', 'i.customer_id')
    .select('c.id')
    .where('i.request_id', '=', id)
    .where(customerVisible(auth))
    .limit(1)
    .executeTakeFirst();
  return !!seen;
}

/** Carries out an approved request: the customers still with the recorded owner move; the rest are skipped. */
async function carryOut(tx: Tx, r: { id: string; to_user_id: string; note: string | null }, actor: Actor): Promise<TransferRequestResult> {
  const items = await tx
    .selectFrom('customer_transfer_request_items as i')
    .leftJoin('customers as c', 'c.id', 'i.customer_id')
    .select(['i.customer_id', 'i.from_user_id', 'c.owner_id', 'c.deleted_at', 'c.name'])
    .where('i.request_id', '=', r.id)
    .orderBy('i.customer_id')
    .execute();
  const target = await tx.selectFrom('users').select('status').where('id', '=', r.to_user_id).executeTakeFirst();
  const skipped: TransferRequestResult['skipped'] = [];
  const eligible: string[] = [];
  for (const i of items) {
    let reason: TransferSkipReason | null = null;
    if (target?.status !== 'active') reason = 'target_inactive';
    else if (!i.name || i.deleted_at) reason = 'deleted';
    else if (i.owner_id !== i.from_user_id) reason = 'owner_changed';
    if (reason) skipped.push({ id: i.customer_id, name: i.name ?? '', reason });
    else eligible.push(i.customer_id);
  }
  const moved = eligible.length
    ? await transferCustomers(tx, eligible, r.to_user_id, actor, 'transfer', r.note)
    : { transferred: 0, done: 0, schedules: 0, followUps: 0 };
  return { ...moved, skipped };
}

/** Follows the approval: carries out the transfer once approved; the hold ends with approve / reject / withdraw. */
async function onStatus(ctx: ApprovalEventContext, status: ApprovalOutcome): Promise<void> {
  const { tx } = ctx;
  const r = await requestRow(tx, ctx.documentId);
  const result = status === 'approved' ? await carryOut(tx, r, ctx.actor) : null;
  await tx
    .updateTable('customer_transfer_requests')
    .set({
      status,
      instance_id: ctx.instanceId,
      ...(result ? { result: JSON.stringify(result) } : {}),
      updated_at: nowIso(),
      version: r.version + 1,
    })
    .where('id', '=', r.id)
    .execute();
  await audit(tx, ctx.actor, {
    action: status,
    entity: 'customer_transfer_request',
    entityId: r.id,
    before: { status: r.status },
    after: { status, ...(result ? { result } : {}) },
  });
}

registerApprovable({
  type: TRANSFER_TYPE,
  labelKey: 'transferrequests.type',
  module: 'customers',
  fields: [
    { key: 'customerCount', kind: 'number' as const },
    { key: 'toUser', kind: 'user' as const },
    { key: 'toDepartment', kind: 'department' as const },
    { key: 'crossDepartment', kind: 'boolean' as const },
    { key: 'fromOwner', kind: 'user' as const },
    { key: 'note', kind: 'text' as const },
  ].map((f) => ({ ...f, label: `transferrequests.field.${f.key}`, labelKey: `transferrequests.field.${f.key}` })),
  load: loadRequest,
  canView: canViewRequest,
  onStatus,
});

// ---------------------------------------------------------------- merging customers

/**
 * A merged-away customer's transfer requests follow the kept one (its page lists them). Merging is
 * refused while a request holds either, so these are finished requests; one that listed both keeps
 * the kept customer's row (the key is request + customer).
 */
registerCustomerLink({
  table: 'customer_transfer_request_items',
  column: 'customer_id',
  kind: 'custom',
  move: async (tx, fromId, toId) => {
    const both = tx.selectFrom('customer_transfer_request_items').select('request_id').where('customer_id', '=', toId);
    const dropped = await tx
      .deleteFrom('customer_transfer_request_items')
      .where('customer_id', '=', fromId)
      .where('request_id', 'in', both)
      .executeTakeFirst();
    const moved = await tx
      .updateTable('customer_transfer_request_items')
      .set({ customer_id: toId })
      .where('customer_id', '=', fromId)
      .executeTakeFirst();
    return Number(dropped.numDeletedRows) + Number(moved.numUpdatedRows);
  },
});

// ---------------------------------------------------------------- the customer's page

/**
 * The transfer requests touching a customer the caller can see (else 404), newest first: the
 * latest 100, with their status and approval id.
 */
export async function customerTransferRequests(db: DbOrTx, auth: Auth, customerId: string): Promise<CustomerTransferRequest[]> {
  const visible = await db
    .selectFrom('customers as c')
    .select('c.id')
    .where('c.id', '=', customerId)
    .where('c.deleted_at', 'is', null)
    .where(customerVisible(auth))
    .executeTakeFirst();
  if (!visible) throw new AppError('not_found');
  const rows = await db
    .selectFrom('customer_transfer_request_items as i')
    .innerJoin('customer_transfer_requests as r', 'r.id', 'i.request_id')
    .leftJoin('users as s', 's.id', 'r.submitter_id')
    .leftJoin('users as t', 't.id', 'r.to_user_id')
    .leftJoin('users as f', 'f.id', 'i.from_user_id')
    .select([
      'r.id',
      'r.status',
      'r.instance_id',
      'r.submitter_id',
      's.name as submitter_name',
      'r.to_user_id',
      't.name as to_name',
      'i.from_user_id',
      'f.name as from_name',
      'r.note',
      'r.result',
      'r.created_at',
      'r.updated_at',
    ])
    .select((e) =>
      e
        .selectFrom('customer_transfer_request_items as n')
        .select((n) => n.fn.countAll<number>().as('n'))
        .whereRef('n.request_id', '=', 'r.id')
        .as('customer_count'),
    )
    .where('i.customer_id', '=', customerId)
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(100)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    status: r.status as CustomerTransferRequest['status'],
    approvalId: r.instance_id,
    submitterId: r.submitter_id,
    submitterName: r.submitter_name,
    toUserId: r.to_user_id,
    toName: r.to_name,
    fromUserId: r.from_user_id,
    fromName: r.from_name,
    customerCount: Number(r.customer_count ?? 0),
    note: r.note,
    result: r.result ? (JSON.parse(r.result) as TransferRequestResult) : null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}
