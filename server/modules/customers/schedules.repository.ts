import { sql, type Expression, type Insertable, type SqlBool, type Updateable } from 'kysely';
import type { DbOrTx, SchedulesTable } from '@server/db/types';
import { updateVersioned } from '@server/db/versioned';
import type { TimeCursor } from './follow-ups.repository';

/** Queries of schedules (日程). Callers pass the scope conditions (over `s`). */

export type ScheduleRow = SchedulesTable & {
  owner_name: string | null;
  customer_name: string | null;
  lead_name: string | null;
  contact_name: string | null;
  /** 1 when the owner is within the viewer's follow-up scope (may edit) */
  in_scope: number;
};

function selectSchedules(db: DbOrTx, inScope: Expression<SqlBool>) {
  return db
    .selectFrom('schedules as s')
    .leftJoin('users as u', 'u.id', 's.owner_id')
    .leftJoin('customers as sc', 'sc.id', 's.customer_id')
    .leftJoin('leads as sl', 'sl.id', 's.lead_id')
    .leftJoin('contacts as ct', 'ct.id', 's.contact_id')
    .selectAll('s')
    .select([
      'u.name as owner_name',
      'sc.name as customer_name',
      'sl.name as lead_name',
      'ct.name as contact_name',
      sql<number>`case when ${inScope} then 1 else 0 end`.as('in_scope'),
    ])
    .where('s.deleted_at', 'is', null);
}

/** Schedules overlapping [from, to), earliest first (at most `limit`). */
export async function listScheduleRowsInRange(
  db: DbOrTx,
  inScope: Expression<SqlBool>,
  filters: Expression<SqlBool>[],
  from: string,
  to: string,
  limit: number,
): Promise<ScheduleRow[]> {
  let q = selectSchedules(db, inScope)
    .where('s.start_at', '<', to)
    .where(sql<SqlBool>`(s.start_at >= ${from} or (s.end_at is not null and s.end_at > ${from}))`);
  for (const f of filters) q = q.where(f);
  return (await q.orderBy('s.start_at').orderBy('s.id').limit(limit).execute()) as ScheduleRow[];
}

/** One page, latest start first (`limit + 1` rows). */
export async function listScheduleRowsPaged(
  db: DbOrTx,
  inScope: Expression<SqlBool>,
  filters: Expression<SqlBool>[],
  cursor: TimeCursor | null,
  limit: number,
): Promise<ScheduleRow[]> {
  let q = selectSchedules(db, inScope);
  for (const f of filters) q = q.where(f);
  if (cursor) q = q.where(sql<SqlBool>`(s.start_at < ${cursor.at} or (s.start_at = ${cursor.at} and s.id < ${cursor.id}))`);
  return (await q
    .orderBy('s.start_at', 'desc')
    .orderBy('s.id', 'desc')
    .limit(limit + 1)
    .execute()) as ScheduleRow[];
}

export async function findScheduleRow(
  db: DbOrTx,
  id: string,
  inScope: Expression<SqlBool>,
  visible: Expression<SqlBool>,
): Promise<ScheduleRow | undefined> {
  return (await selectSchedules(db, inScope).where('s.id', '=', id).where(visible).executeTakeFirst()) as ScheduleRow | undefined;
}

export async function insertSchedule(db: DbOrTx, row: Insertable<SchedulesTable>): Promise<void> {
  await db.insertInto('schedules').values(row).execute();
}

export function updateScheduleRow(db: DbOrTx, id: string, version: number, patch: Updateable<SchedulesTable>, now: string) {
  return updateVersioned(db, 'schedules', id, version, patch, now);
}

export async function restoreScheduleRow(db: DbOrTx, id: string, now: string): Promise<SchedulesTable | undefined> {
  const r = await db
    .updateTable('schedules')
    .set((eb) => ({ deleted_at: null, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('deleted_at', 'is not', null)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return undefined;
  return db.selectFrom('schedules').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function purgeScheduleRow(db: DbOrTx, id: string): Promise<void> {
  await db.deleteFrom('schedules').where('id', '=', id).where('deleted_at', 'is not', null).execute();
}

/** Max reminder lead time (7 days): only schedules starting before now + this can be due. */
export const MAX_REMIND_MINUTES = 10080;

/** Open schedules whose reminder has not gone out and whose start is near enough for it to be due. */
export async function pendingReminders(db: DbOrTx, horizon: string) {
  return db
    .selectFrom('schedules as s')
    .innerJoin('users as u', 'u.id', 's.owner_id')
    .select(['s.id', 's.owner_id', 's.title', 's.start_at', 's.all_day', 's.remind_minutes', 's.customer_id', 'u.locale', 'u.status'])
    .where('s.reminded_at', 'is', null)
    .where('s.remind_minutes', 'is not', null)
    .where('s.done', '=', 0)
    .where('s.deleted_at', 'is', null)
    .where('s.start_at', '<=', horizon)
    .orderBy('s.start_at')
    .execute();
}

/** Marks a reminder sent; false when another run got there first. */
export async function claimReminder(db: DbOrTx, id: string, now: string): Promise<boolean> {
  const r = await db
    .updateTable('schedules')
    .set({ reminded_at: now })
    .where('id', '=', id)
    .where('reminded_at', 'is', null)
    .where('done', '=', 0)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
