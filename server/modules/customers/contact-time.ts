import type { Tx } from '@server/db/types';
import { audit, type Actor } from '@server/platform/audit/audit.service';

/**
 * What counts as contact (联系), in one place: a follow-up, and a schedule marked done. They set
 * the customer's (or lead's) last_contact_at, which the visit cycle and the pool's recycle rules
 * read, and a follow-up's next date sets next_follow_up_at. Call these in the mutation's
 * transaction; each writes an audit entry when a value changes. The derived columns do not bump
 * the record's version, so logging a follow-up never makes a colleague's open edit form stale.
 */

/** The record a contact is about: exactly one of the two. */
export type ContactTarget = { customerId: string | null; leadId: string | null };

type Row = { id: string; last_contact_at: string | null; next_follow_up_at: string | null };

async function load(tx: Tx, t: ContactTarget): Promise<{ table: 'customers' | 'leads'; entity: string; row: Row } | null> {
  const table = t.customerId ? 'customers' : t.leadId ? 'leads' : null;
  if (!table) return null;
  const id = (t.customerId ?? t.leadId)!;
  const row = await tx.selectFrom(table).select(['id', 'last_contact_at', 'next_follow_up_at']).where('id', '=', id).executeTakeFirst();
  return row ? { table, entity: table === 'customers' ? 'customer' : 'lead', row } : null;
}

async function write(
  tx: Tx,
  target: { table: 'customers' | 'leads'; entity: string; row: Row },
  next: { last_contact_at: string | null; next_follow_up_at: string | null },
  actor: Actor,
  detail: string,
) {
  const { row } = target;
  if (next.last_contact_at === row.last_contact_at && next.next_follow_up_at === row.next_follow_up_at) return;
  await tx.updateTable(target.table).set(next).where('id', '=', row.id).execute();
  await audit(tx, actor, {
    action: 'contact',
    entity: target.entity,
    entityId: row.id,
    before: { lastContactAt: row.last_contact_at, nextFollowUpAt: row.next_follow_up_at },
    after: { lastContactAt: next.last_contact_at, nextFollowUpAt: next.next_follow_up_at },
    detail,
  });
}

const max = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a > b ? a : b);
const min = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a < b ? a : b);

/** The latest contact that remains: follow-ups' `at` and done schedules' `done_at`. */
async function latestContact(tx: Tx, t: ContactTarget): Promise<string | null> {
  const col = t.customerId ? 'customer_id' : 'lead_id';
  const id = (t.customerId ?? t.leadId)!;
  const f = await tx
    .selectFrom('follow_ups')
    .select((eb) => eb.fn.max('at').as('m'))
    .where(col, '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  const s = await tx
    .selectFrom('schedules')
    .select((eb) => eb.fn.max('done_at').as('m'))
    .where(col, '=', id)
    .where('done', '=', 1)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return max((f?.m as string | null) ?? null, (s?.m as string | null) ?? null);
}

/** The earliest next date (after `now`) of the live follow-ups on the record. */
async function earliestPlanned(tx: Tx, t: ContactTarget, now: string): Promise<string | null> {
  const col = t.customerId ? 'customer_id' : 'lead_id';
  const id = (t.customerId ?? t.leadId)!;
  const r = await tx
    .selectFrom('follow_ups')
    .select((eb) => eb.fn.min('next_at').as('m'))
    .where(col, '=', id)
    .where('deleted_at', 'is', null)
    .where('next_at', '>', now)
    .executeTakeFirst();
  return (r?.m as string | null) ?? null;
}

/**
 * The next follow-up date: the earliest of the follow-ups' future next dates and the date already
 * set (by hand, or earlier), as long as that one is still open: in the future, or past but not yet
 * met by a contact at or after it. `dropped` is a next date that no longer holds (its follow-up
 * was deleted or changed).
 */
function nextFollowUp(existing: string | null, planned: string | null, lastContact: string | null, now: string, dropped?: string | null) {
  const open =
    existing !== null && existing !== dropped && (existing > now || lastContact === null || lastContact < existing) ? existing : null;
  return min(open, planned);
}

/**
 * A contact happened at `at` (a follow-up was logged, a schedule was done): last contact becomes
 * max(existing, at) and the next follow-up date is refreshed (a `nextAt` given with it counts).
 */
export async function recordContact(tx: Tx, t: ContactTarget, at: string, actor: Actor, now: string, why: string): Promise<void> {
  const target = await load(tx, t);
  if (!target) return;
  const last = max(target.row.last_contact_at, at);
  const next = nextFollowUp(target.row.next_follow_up_at, await earliestPlanned(tx, t, now), last, now);
  await write(tx, target, { last_contact_at: last, next_follow_up_at: next }, actor, why);
}

/**
 * A contact went away or changed (follow-up deleted or edited, schedule undone or deleted): last
 * contact is recomputed from what remains, the next date from the remaining plans. `dropped` is
 * the next date the changed follow-up carried before.
 */
export async function recomputeContact(tx: Tx, t: ContactTarget, actor: Actor, now: string, why: string, dropped?: string | null) {
  const target = await load(tx, t);
  if (!target) return;
  const last = await latestContact(tx, t);
  const next = nextFollowUp(target.row.next_follow_up_at, await earliestPlanned(tx, t, now), last, now, dropped);
  await write(tx, target, { last_contact_at: last, next_follow_up_at: next }, actor, why);
}
