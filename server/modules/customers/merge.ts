import { sql, type Selectable } from 'kysely';
import type { CustomersTable, Tx } from '@server/db/types';
import type { MergeResult } from '@common/schemas/reports';
import { MAX_CUSTOMER_PHONES } from '@common/schemas/customers';
import { normalisePhone } from '@common/customers/normalise';
import { nowIso } from '@server/db/ids';
import { removeRecord } from '@server/db/search';
import { AppError, fieldError } from '@server/platform/http/errors';
import { audit, type Actor } from '@server/platform/audit/audit.service';
import { CUSTOMER_ENTITY, reindexCustomer } from './customer-search';
import { recordOwnerHistory } from './ownership';
import { moveCustomerLinks } from './links';
import { assertNotHeld } from './transfer-requests.service';

type Row = Selectable<CustomersTable>;

/** Fields the target takes from the source only where it has none itself. */
const FILL_IF_EMPTY = [
  'short_name',
  'category',
  'stage',
  'importance',
  'source',
  'industry',
  'region_code',
  'address',
  'website',
  'next_follow_up_at',
] as const;

const phoneKey = (p: string) => normalisePhone(p) ?? p.trim();
const later = (a: string | null, b: string | null) => (a && b ? (a > b ? a : b) : (a ?? b));

/**
 * Merges customer `sourceId` into `targetId` (合并重复客户), inside the caller's transaction:
 * - every registered link (links.ts: contacts, follow-ups, schedules, important dates, leads,
 *   open reports, attachments, team, owner history, and later modules' records) moves to the target;
 * - the target gains the source's phones (no duplicates, at most 20) and tags, its notes (appended), its
 *   custom values and standard fields where the target has none, the later last contact / deal time;
 * - the source is soft-deleted and its duplicate keys move to the target, so the old name or phone
 *   still finds the merged customer as a duplicate; the search index follows;
 * - an owner-history row 'merge' on the target and an audit 'merge' on both, with counts per link.
 * Refuses merging a customer into itself (400), either while a transfer in approval holds it (409
 * approval_document_locked), and answers 404 when either is absent or deleted.
 * Permission checks are the caller's.
 */
export async function mergeCustomers(tx: Tx, sourceId: string, targetId: string, actor: Actor, note?: string | null): Promise<MergeResult> {
  if (sourceId === targetId) throw fieldError('sourceId', 'customer_merge_self');
  // a transfer in approval holds either: its request lists them as they are
  await assertNotHeld(tx, [sourceId, targetId]);
  const now = nowIso();
  // one statement takes both rows (row locks on PostgreSQL): a concurrent merge of either waits, then finds it gone
  const locked = await tx
    .updateTable('customers')
    .set({ version: sql<number>`version + 1`, updated_at: now })
    .where('id', 'in', [sourceId, targetId])
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (Number(locked.numUpdatedRows) !== 2) throw new AppError('not_found');
  const rows = await tx.selectFrom('customers').selectAll().where('id', 'in', [sourceId, targetId]).execute();
  const source = rows.find((r) => r.id === sourceId)!;
  const target = rows.find((r) => r.id === targetId)!;

  const patch = mergedFields(source, target);
  await tx
    .updateTable('customers')
    .set({ ...patch, updated_at: now })
    .where('id', '=', targetId)
    .execute();
  await tx.updateTable('customers').set({ deleted_at: now, updated_at: now }).where('id', '=', sourceId).execute();
  const keys = await tx.updateTable('customer_keys').set({ customer_id: targetId }).where('customer_id', '=', sourceId).executeTakeFirst();

  const moved = await moveCustomerLinks(tx, sourceId, targetId);
  moved['customer_keys.customer_id'] = Number(keys.numUpdatedRows);

  await reindexCustomer(tx, targetId);
  await removeRecord(tx, CUSTOMER_ENTITY, sourceId);

  await recordOwnerHistory(tx, { customerId: targetId, from: source.owner_id, to: target.owner_id, reason: 'merge', actor, note });
  const counts = Object.entries(moved)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k}=${n}`)
    .join(', ');
  const detail = [`${source.name} (${sourceId}) → ${target.name} (${targetId})`, counts, note].filter(Boolean).join('; ');
  await audit(tx, actor, {
    action: 'merge',
    entity: 'customer',
    entityId: targetId,
    before: pick(target, Object.keys(patch)),
    after: pick({ ...target, ...patch }, Object.keys(patch)),
    detail,
  });
  await audit(tx, actor, {
    action: 'merge',
    entity: 'customer',
    entityId: sourceId,
    before: { deleted_at: null },
    after: { deleted_at: now, merged_into: targetId },
    detail,
  });
  return { targetId, sourceId, moved };
}

/** What the target becomes: its own values first, the source filling the gaps. */
function mergedFields(source: Row, target: Row): Partial<Row> {
  const patch: Partial<Row> = {};
  const phones = JSON.parse(target.phones) as string[];
  const seen = new Set(phones.map(phoneKey));
  // at most MAX_CUSTOMER_PHONES, so the kept customer can still be saved; the other numbers' keys
  // move to it all the same (they still find it as a duplicate)
  for (const p of JSON.parse(source.phones) as string[]) {
    if (phones.length >= MAX_CUSTOMER_PHONES) break;
    if (!seen.has(phoneKey(p))) {
      seen.add(phoneKey(p));
      phones.push(p);
    }
  }
  if (phones.length !== (JSON.parse(target.phones) as string[]).length) patch.phones = JSON.stringify(phones);

  const tags = JSON.parse(target.tags) as string[];
  const more = (JSON.parse(source.tags) as string[]).filter((t) => !tags.includes(t));
  if (more.length) patch.tags = JSON.stringify([...tags, ...more]);

  if (source.notes?.trim()) {
    const appended = `【${source.name}】\n${source.notes.trim()}`;
    patch.notes = target.notes?.trim() ? `${target.notes.trimEnd()}\n\n${appended}` : appended;
  }

  for (const f of FILL_IF_EMPTY) {
    if ((target[f] === null || target[f] === '') && source[f] !== null && source[f] !== '') patch[f] = source[f];
  }
  if (target.latitude === null && target.longitude === null && source.latitude !== null) {
    patch.latitude = source.latitude;
    patch.longitude = source.longitude;
  }

  const lastContact = later(target.last_contact_at, source.last_contact_at);
  if (lastContact !== target.last_contact_at) patch.last_contact_at = lastContact;
  const lastDeal = later(target.last_deal_at, source.last_deal_at);
  if (lastDeal !== target.last_deal_at) patch.last_deal_at = lastDeal;

  const custom = JSON.parse(target.custom) as Record<string, unknown>;
  let customChanged = false;
  for (const [k, v] of Object.entries(JSON.parse(source.custom) as Record<string, unknown>)) {
    if ((custom[k] === undefined || custom[k] === null || custom[k] === '') && v !== null && v !== '') {
      custom[k] = v;
      customChanged = true;
    }
  }
  if (customChanged) patch.custom = JSON.stringify(custom);
  return patch;
}

function pick(row: Partial<Row>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, row[k as keyof Row] ?? null]));
}
