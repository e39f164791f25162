import { sql, type Expression, type Insertable, type SqlBool, type Updateable } from 'kysely';
import type { DbOrTx, FollowUpsTable } from '@server/db/types';
import { updateVersioned } from '@server/db/versioned';

/** Queries of follow-ups (跟单) and their attachments. Callers pass the scope condition (over `f`). */

export type FollowUpRow = FollowUpsTable & {
  owner_name: string | null;
  customer_name: string | null;
  lead_name: string | null;
  contact_name: string | null;
};

function selectFollowUps(db: DbOrTx) {
  return db
    .selectFrom('follow_ups as f')
    .leftJoin('users as u', 'u.id', 'f.owner_id')
    .leftJoin('customers as fc', 'fc.id', 'f.customer_id')
    .leftJoin('leads as fl', 'fl.id', 'f.lead_id')
    .leftJoin('contacts as ct', 'ct.id', 'f.contact_id')
    .selectAll('f')
    .select(['u.name as owner_name', 'fc.name as customer_name', 'fl.name as lead_name', 'ct.name as contact_name'])
    .where('f.deleted_at', 'is', null);
}

/** Keyset position in a newest-first list: the contact time, then the id. */
export type TimeCursor = { at: string; id: string };

/** One page, newest contact first (`limit + 1` rows: the caller keeps `limit`). */
export async function listFollowUpRows(
  db: DbOrTx,
  filters: Expression<SqlBool>[],
  cursor: TimeCursor | null,
  limit: number,
): Promise<FollowUpRow[]> {
  let q = selectFollowUps(db);
  for (const f of filters) q = q.where(f);
  if (cursor) q = q.where(sql<SqlBool>`(f.at < ${cursor.at} or (f.at = ${cursor.at} and f.id < ${cursor.id}))`);
  return (await q
    .orderBy('f.at', 'desc')
    .orderBy('f.id', 'desc')
    .limit(limit + 1)
    .execute()) as FollowUpRow[];
}

/** One live follow-up within `visible`, or undefined. */
export async function findFollowUpRow(db: DbOrTx, id: string, visible: Expression<SqlBool>): Promise<FollowUpRow | undefined> {
  return (await selectFollowUps(db).where('f.id', '=', id).where(visible).executeTakeFirst()) as FollowUpRow | undefined;
}

export async function insertFollowUp(db: DbOrTx, row: Insertable<FollowUpsTable>): Promise<void> {
  await db.insertInto('follow_ups').values(row).execute();
}

export function updateFollowUpRow(db: DbOrTx, id: string, version: number, patch: Updateable<FollowUpsTable>, now: string) {
  return updateVersioned(db, 'follow_ups', id, version, patch, now);
}

/** Clears deleted_at (recycle-bin restore); false when the row is not deleted. */
export async function restoreFollowUpRow(db: DbOrTx, id: string, now: string): Promise<FollowUpsTable | undefined> {
  const r = await db
    .updateTable('follow_ups')
    .set((eb) => ({ deleted_at: null, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('deleted_at', 'is not', null)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return undefined;
  return db.selectFrom('follow_ups').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function purgeFollowUpRow(db: DbOrTx, id: string, now: string): Promise<void> {
  await db.deleteFrom('follow_ups').where('id', '=', id).where('deleted_at', 'is not', null).execute();
  await db
    .updateTable('files')
    .set({ deleted_at: now })
    .where('entity', '=', 'follow_up')
    .where('entity_id', '=', id)
    .where('deleted_at', 'is', null)
    .execute();
}

/* ---- attachments: rows of `files` (uploaded elsewhere) linked by entity 'follow_up' ---- */

export type AttachmentRow = { id: string; name: string; mime: string; size: number; entity_id: string | null };

/** Live attachments of the given follow-ups. */
export async function attachmentsOf(db: DbOrTx, followUpIds: string[]): Promise<AttachmentRow[]> {
  if (!followUpIds.length) return [];
  return db
    .selectFrom('files')
    .select(['id', 'name', 'mime', 'size', 'entity_id'])
    .where('entity', '=', 'follow_up')
    .where('entity_id', 'in', followUpIds)
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .execute();
}

/**
 * Which of `ids` may be attached to follow-up `followUpId`: files already on it, or files the
 * uploader has not attached to anything yet.
 */
export async function attachableFiles(db: DbOrTx, ids: string[], uploaderId: string, followUpId: string): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await db
    .selectFrom('files')
    .select('id')
    .where('id', 'in', ids)
    .where('deleted_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb.and([eb('entity', '=', 'follow_up'), eb('entity_id', '=', followUpId)]),
        eb.and([eb('owner_id', '=', uploaderId), eb('entity', 'is', null)]),
      ]),
    )
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** Links files to a follow-up; files it held that are not in `keep` are removed (deleted_at). */
export async function setAttachments(db: DbOrTx, followUpId: string, keep: string[], now: string): Promise<void> {
  let gone = db
    .updateTable('files')
    .set({ deleted_at: now })
    .where('entity', '=', 'follow_up')
    .where('entity_id', '=', followUpId)
    .where('deleted_at', 'is', null);
  if (keep.length) gone = gone.where('id', 'not in', keep);
  await gone.execute();
  if (keep.length) {
    await db.updateTable('files').set({ entity: 'follow_up', entity_id: followUpId }).where('id', 'in', keep).execute();
  }
}
