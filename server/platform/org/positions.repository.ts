import { updateVersioned } from '@server/db/versioned';
import { treeBelow } from '@server/db/tree';
import { sql } from 'kysely';
import type { DbOrTx, PositionsTable } from '@server/db/types';

export type PositionRow = PositionsTable & { user_count: number };

function selectPositions(db: DbOrTx) {
  return db
    .selectFrom('positions as p')
    .selectAll('p')
    .select((eb) => [
      eb
        .selectFrom('users as u')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('u.position_id', '=', 'p.id')
        .as('user_count'),
    ])
    .where('p.deleted_at', 'is', null);
}

export async function listPositionRows(db: DbOrTx): Promise<PositionRow[]> {
  const rows = await selectPositions(db).orderBy('p.id').execute();
  return rows.map((r) => ({ ...r, user_count: Number(r.user_count ?? 0) }));
}

export async function findPositionRow(db: DbOrTx, id: string): Promise<PositionRow | undefined> {
  const r = await selectPositions(db).where('p.id', '=', id).executeTakeFirst();
  return r && { ...r, user_count: Number(r.user_count ?? 0) };
}

export async function insertPosition(db: DbOrTx, row: PositionsTable): Promise<void> {
  await db.insertInto('positions').values(row).execute();
}

/** Optimistic update: false when the version no longer matches (or the row is gone). */
export async function updatePositionRow(
  db: DbOrTx,
  id: string,
  version: number,
  patch: Partial<Pick<PositionsTable, 'name' | 'parent_id' | 'description' | 'permissions' | 'deleted_at'>>,
  now: string,
): Promise<boolean> {
  return updateVersioned(db, 'positions', id, version, patch, now);
}

/** True when `candidateId` is `positionId` itself or a position below it. */
export async function isInPositionTree(db: DbOrTx, positionId: string, candidateId: string): Promise<boolean> {
  const r = await db
    .selectFrom('positions')
    .select('id')
    .where('id', '=', candidateId)
    .where(sql<boolean>`id in ${treeBelow('positions', 'parent_id', positionId)}`)
    .executeTakeFirst();
  return !!r;
}

/** Users (any status) holding a position. */
export async function positionHolders(db: DbOrTx, id: string): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((e) => e.fn.countAll<number>().as('n'))
    .where('position_id', '=', id)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
