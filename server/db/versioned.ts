import type { Kysely, Updateable } from 'kysely';
import type { DB, DbOrTx } from './types';

/** Tables with optimistic locking: an id, a version and an updated_at. */
export type VersionedTable = { [K in keyof DB]: DB[K] extends { id: string; version: number; updated_at: string } ? K : never }[keyof DB];

/**
 * Optimistic update: applies `patch` and bumps the version only while the row still has `version`
 * (and, where the table soft-deletes, is not deleted). False means someone else wrote first → 409.
 */
export async function updateVersioned<T extends VersionedTable>(
  db: DbOrTx,
  table: T,
  id: string,
  version: number,
  patch: Updateable<DB[T]>,
  now: string,
): Promise<boolean> {
  // the generic table name defeats Kysely's column inference; the signature above keeps callers typed
  type Row = { id: string; version: number; updated_at: string; deleted_at: string | null };
  const loose = db as unknown as Kysely<{ t: Row }>;
  let q = loose
    .updateTable(table as unknown as 't')
    .set({ ...(patch as object), version: version + 1, updated_at: now })
    .where('id', '=', id)
    .where('version', '=', version);
  if (table !== 'users') q = q.where('deleted_at', 'is', null);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
