import { sql } from 'kysely';
import type { Tx } from '@server/db/types';
import type { BulkBody, BulkFailure, BulkResult, BulkTransferSubmitted } from '@common/schemas/pool';
import { translate, type Locale, type Params } from '@common/messages/index';
import { nowIso } from '@server/db/ids';
import { AppError, fieldError } from '@server/platform/http/errors';
import { audit, type Actor } from '@server/platform/audit/audit.service';
import type { Auth } from '@server/platform/access/types';
import { withTx } from '@server/platform/org/caller';
import { inTransaction } from '@server/platform/notify/transaction';
import type { EngineContext } from '@server/modules/approvals/engine';
import { customerEditable, customerVisible } from './visibility';
import { activeUser, releaseToPool } from './pool.service';
import { assertTransferCaps, transferCustomers } from './transfer.service';
import { deleteCustomer } from './customers.service';
import { assertNotHeld, heldCustomers, openTransferRequest, planTransfer } from './transfer-requests.service';

/**
 * Bulk actions on a selection of customers (批量放入公海 / 打标签 / 删除 / 移交). Each customer is
 * done in its own transaction, so one that fails (out of scope, stale, over a cap) does not hold
 * back the rest; the answer lists what failed and why, in the caller's language.
 */

const MAX_TAGS = 30;

/** The caller may change this customer (not in the pool, within the edit scope), or an AppError. */
async function editableRow(tx: Tx, auth: Auth, id: string) {
  const row = await tx
    .selectFrom('customers as c')
    .select(['c.id', 'c.owner_id', 'c.tags', 'c.version'])
    .select((e) => e.case().when(customerEditable(auth)).then(1).else(0).end().as('editable'))
    .where('c.id', '=', id)
    .where('c.deleted_at', 'is', null)
    .where(customerVisible(auth))
    .executeTakeFirst();
  if (!row) throw new AppError('not_found');
  if (row.owner_id === null) throw new AppError('customer_in_pool');
  if (Number(row.editable) !== 1) throw new AppError('forbidden');
  return row;
}

function parseTags(json: string): string[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}

/** Adds or removes tags on one customer; the version is bumped and the change audited. */
async function retag(tx: Tx, auth: Auth, id: string, tags: string[], add: boolean, actor: Actor): Promise<void> {
  const row = await editableRow(tx, auth, id);
  const before = parseTags(row.tags);
  const after = add ? [...new Set([...before, ...tags])] : before.filter((t) => !tags.includes(t));
  if (after.length > MAX_TAGS) throw fieldError('tags', 'too_big', { max: MAX_TAGS });
  if (after.length === before.length && after.every((t, i) => t === before[i])) return;
  const r = await tx
    .updateTable('customers')
    .set({ tags: JSON.stringify(after), updated_at: nowIso(), version: sql<number>`version + 1` })
    .where('id', '=', id)
    .where('version', '=', row.version)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) throw new AppError('stale_version');
  await audit(tx, actor, {
    action: 'update',
    entity: 'customer',
    entityId: id,
    before: { tags: before },
    after: { tags: after },
    detail: 'bulk',
  });
}

/** An AppError as a failure line: its code and message in `locale`. */
export function failureOf(id: string, err: AppError, locale: Locale): BulkFailure {
  const localise = (params: Params): Params =>
    Object.fromEntries(
      Object.entries(params).map(([k, v]) => [k, typeof v === 'string' && v.startsWith('@@') ? translate(locale, v.slice(2)) : v]),
    );
  if (err.code === 'validation' && err.fieldErrors.length) {
    return {
      id,
      code: err.fieldErrors[0].code.replace(/^validation\./, ''),
      message: err.fieldErrors
        .map((f) =>
          translate(locale, f.code.startsWith('validation.') ? f.code : `validation.${f.code}`, {
            field: f.field,
            ...localise(f.params ?? {}),
          }),
        )
        .join('；'),
    };
  }
  return { id, code: err.code, message: translate(locale, `error.${err.code}`, localise(err.params)) };
}

/**
 * A bulk transfer that an approval flow must pass: the customers that pass the checks (editable,
 * not held, not the target's already) become one transfer request, the rest are failures. Null
 * when no flow applies (the customers then move one by one as usual); a plain BulkResult when the
 * target's caps cannot take them (nothing submitted).
 */
async function requestBulkTransfer(
  ctx: EngineContext,
  auth: Auth,
  body: BulkBody,
  actor: Actor,
  locale: Locale,
): Promise<BulkTransferSubmitted | BulkResult | null> {
  const toUserId = body.toUserId!;
  return inTransaction(ctx.db, async (tx) => {
    const ids = [...new Set(body.ids)];
    const rows = new Map<string, { owner_id: string | null; editable: number | string }>();
    for (let i = 0; i < ids.length; i += 500) {
      const found = await tx
        .selectFrom('customers as c')
        .select(['c.id', 'c.owner_id'])
        .select((e) => e.case().when(customerEditable(auth)).then(1).else(0).end().as('editable'))
        .where('c.id', 'in', ids.slice(i, i + 500))
        .where('c.deleted_at', 'is', null)
        .where(customerVisible(auth))
        .execute();
      for (const r of found) rows.set(r.id, r);
    }
    const held = await heldCustomers(tx, ids);
    const failed: BulkFailure[] = [];
    const passing: string[] = [];
    for (const id of ids) {
      const r = rows.get(id);
      const code = !r
        ? 'not_found'
        : r.owner_id === null
          ? 'customer_in_pool'
          : Number(r.editable) !== 1
            ? 'forbidden'
            : held.has(id)
              ? 'approval_document_locked'
              : null;
      if (code) failed.push(failureOf(id, new AppError(code), locale));
      else passing.push(id);
    }
    const plan = await planTransfer(tx, { ids: passing, toUserId, note: body.note, submitterId: auth.user.id });
    if (!plan) return null;
    try {
      await assertTransferCaps(tx, plan.moving, toUserId);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return { done: 0, failed: [...failed, ...plan.moving.map((id) => failureOf(id, err, locale))] };
    }
    return { ...(await openTransferRequest(ctx, tx, plan, actor)), failed };
  });
}

/**
 * Runs a bulk action. The caller's permission for the action is the route's to check; the target
 * of a transfer must be an active user (else the whole request is refused). A transfer an approval
 * flow applies to answers BulkTransferSubmitted (see requestBulkTransfer).
 */
export async function runBulk(
  ctx: EngineContext,
  auth: Auth,
  body: BulkBody,
  actor: Actor,
  locale: Locale,
  onUnexpected?: (err: unknown, id: string) => void,
): Promise<BulkResult | BulkTransferSubmitted> {
  const { db } = ctx;
  if (body.action === 'transfer') {
    await activeUser(db, body.toUserId!, 'toUserId');
    const requested = await requestBulkTransfer(ctx, auth, body, actor, locale);
    if (requested) return requested;
  }
  const one = async (tx: Tx, id: string): Promise<void> => {
    switch (body.action) {
      case 'release':
        return releaseToPool(tx, auth, id, actor, body.note);
      case 'tag':
      case 'untag':
        return retag(tx, auth, id, body.tags!, body.action === 'tag', actor);
      case 'delete':
        await deleteCustomer(tx, id, undefined, auth, actor);
        return;
      case 'transfer': {
        const row = await editableRow(tx, auth, id);
        if (row.owner_id === body.toUserId) return;
        await assertNotHeld(tx, [id]);
        await assertTransferCaps(tx, [id], body.toUserId!);
        await transferCustomers(tx, [id], body.toUserId!, actor, 'transfer', body.note);
        return;
      }
    }
  };
  const result: BulkResult = { done: 0, failed: [] };
  for (const id of [...new Set(body.ids)]) {
    try {
      await withTx(db, (tx) => one(tx, id));
      result.done++;
    } catch (err) {
      if (err instanceof AppError) {
        result.failed.push(failureOf(id, err, locale));
      } else {
        onUnexpected?.(err, id);
        result.failed.push({ id, code: 'internal', message: translate(locale, 'error.internal') });
      }
    }
  }
  return result;
}
