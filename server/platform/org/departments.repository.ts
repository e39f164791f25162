import { updateVersioned } from '@server/db/versioned';
import { sql } from 'kysely';
import type { DbOrTx, DepartmentsTable } from '@server/db/types';
import { departmentTreeOf } from '../access/scope';

export type DepartmentRow = DepartmentsTable & { head_name: string | null; user_count: number };

function selectDepartments(db: DbOrTx) {
  return db
    .selectFrom('departments as d')
    .leftJoin('users as h', 'h.id', 'd.head_user_id')
    .selectAll('d')
    .select((eb) => [
      'h.name as head_name',
      eb
        .selectFrom('users as u')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('u.department_id', '=', 'd.id')
        .as('user_count'),
    ])
    .where('d.deleted_at', 'is', null);
}

/** Every live department (disabled included), ordered for display. */
export async function listDepartmentRows(db: DbOrTx): Promise<DepartmentRow[]> {
  const rows = await selectDepartments(db).orderBy('d.sort_order').orderBy('d.id').execute();
  return rows.map((r) => ({ ...r, user_count: Number(r.user_count ?? 0) }));
}

export async function findDepartmentRow(db: DbOrTx, id: string): Promise<DepartmentRow | undefined> {
  const r = await selectDepartments(db).where('d.id', '=', id).executeTakeFirst();
  return r && { ...r, user_count: Number(r.user_count ?? 0) };
}

export async function insertDepartment(db: DbOrTx, row: DepartmentsTable): Promise<void> {
  await db.insertInto('departments').values(row).execute();
}

/** Optimistic update: returns false when the version no longer matches (or the row is gone). */
export async function updateDepartmentRow(
  db: DbOrTx,
  id: string,
  version: number,
  patch: Partial<Pick<DepartmentsTable, 'name' | 'parent_id' | 'head_user_id' | 'sort_order' | 'disabled' | 'deleted_at'>>,
  now: string,
): Promise<boolean> {
  return updateVersioned(db, 'departments', id, version, patch, now);
}

/** True when `candidateId` is `departmentId` itself or lies anywhere below it. */
export async function isInDepartmentTree(db: DbOrTx, departmentId: string, candidateId: string): Promise<boolean> {
  const r = await db
    .selectFrom('departments')
    .select('id')
    .where('id', '=', candidateId)
    .where(sql<boolean>`id in ${departmentTreeOf(departmentId)}`)
    .executeTakeFirst();
  return !!r;
}

/** What keeps a department from being deleted: its users (any status) and live sub-departments. */
export async function departmentDependents(db: DbOrTx, id: string): Promise<{ users: number; children: number }> {
  const users = await db
    .selectFrom('users')
    .select((e) => e.fn.countAll<number>().as('n'))
    .where('department_id', '=', id)
    .executeTakeFirstOrThrow();
  const children = await db
    .selectFrom('departments')
    .select((e) => e.fn.countAll<number>().as('n'))
    .where('parent_id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return { users: Number(users.n), children: Number(children.n) };
}

/** Departments headed by a user (live ones only). */
export async function departmentsHeadedBy(db: DbOrTx, userId: string) {
  return db
    .selectFrom('departments')
    .select(['id', 'name', 'version'])
    .where('head_user_id', '=', userId)
    .where('deleted_at', 'is', null)
    .execute();
}
