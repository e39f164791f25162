import { updateVersioned } from '@server/db/versioned';
import { sql, type Expression, type SqlBool } from 'kysely';
import type { DbOrTx, UsersTable } from '@server/db/types';
import type { UserListQuery } from '@common/schemas/org';
import { subordinatesOf } from '../access/scope';

export type UserRow = Omit<UsersTable, 'password_hash' | 'locked_until'> & {
  department_name: string | null;
  position_name: string | null;
  supervisor_name: string | null;
};

function selectUsers(db: DbOrTx) {
  return db
    .selectFrom('users as u')
    .leftJoin('departments as d', 'd.id', 'u.department_id')
    .leftJoin('positions as p', 'p.id', 'u.position_id')
    .leftJoin('users as s', 's.id', 'u.supervisor_id')
    .select([
      'u.id',
      'u.username',
      'u.name',
      'u.email',
      'u.mobile',
      'u.department_id',
      'u.position_id',
      'u.supervisor_id',
      'u.status',
      'u.is_admin',
      'u.must_change_password',
      'u.locale',
      'u.version',
      'u.created_at',
      'u.updated_at',
      'u.left_at',
      'd.name as department_name',
      'p.name as position_name',
      's.name as supervisor_name',
    ]);
}

/** `%q%` with LIKE wildcards in q taken literally. */
function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
function like(column: string, q: string): Expression<SqlBool> {
  return sql<SqlBool>`${sql.ref(column)} like ${likePattern(q)} escape '\\'`;
}

export type SearchOptions = {
  /** search mobile/email only when the viewer may see them, so a hidden value cannot be probed */
  mobile: boolean;
  email: boolean;
};

/** One page of users (keyset on id) and the total matching the filters. */
export async function listUserRows(
  db: DbOrTx,
  q: UserListQuery,
  search: SearchOptions,
  scope: Expression<SqlBool>,
): Promise<{ rows: UserRow[]; total: number }> {
  const filters: Expression<SqlBool>[] = [scope];
  if (q.departmentId) filters.push(sql<SqlBool>`u.department_id = ${q.departmentId}`);
  if (q.positionId) filters.push(sql<SqlBool>`u.position_id = ${q.positionId}`);
  if (q.status) filters.push(sql<SqlBool>`u.status = ${q.status}`);
  if (q.q) {
    // usernames and emails are stored lower-case; names and mobiles are matched as typed
    const any = [like('u.name', q.q), like('u.username', q.q.toLowerCase())];
    if (search.mobile) any.push(like('u.mobile', q.q));
    if (search.email) any.push(like('u.email', q.q.toLowerCase()));
    filters.push(sql<SqlBool>`(${sql.join(any, sql` or `)})`);
  }
  const where = filters.length ? sql<SqlBool>`${sql.join(filters, sql` and `)}` : sql<SqlBool>`1 = 1`;
  let page = selectUsers(db).where(where);
  if (q.cursor) page = page.where('u.id', '>', q.cursor);
  const rows = await page
    .orderBy('u.id')
    .limit(q.limit + 1)
    .execute();
  const count = await db
    .selectFrom('users as u')
    .select((e) => e.fn.countAll<number>().as('n'))
    .where(where)
    .executeTakeFirstOrThrow();
  return { rows, total: Number(count.n) };
}

/** One user, limited to `scope` (the caller's data scope) when given: out of scope reads as absent. */
export async function findUserRow(db: DbOrTx, id: string, scope?: Expression<SqlBool>): Promise<UserRow | undefined> {
  let q = selectUsers(db).where('u.id', '=', id);
  if (scope) q = q.where(scope);
  return q.executeTakeFirst();
}

/**
 * A user whose username or email equals `value` (other than `exceptId`). Both columns are
 * checked because sign-in accepts either, so one must never be another user's other.
 */
export async function findLoginClash(db: DbOrTx, value: string, exceptId?: string): Promise<boolean> {
  let q = db
    .selectFrom('users')
    .select('id')
    .where((eb) => eb.or([eb('username', '=', value), eb('email', '=', value)]));
  if (exceptId) q = q.where('id', '!=', exceptId);
  return !!(await q.executeTakeFirst());
}

export async function insertUser(db: DbOrTx, row: UsersTable): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

type UserPatch = Partial<
  Pick<
    UsersTable,
    | 'name'
    | 'email'
    | 'mobile'
    | 'department_id'
    | 'position_id'
    | 'supervisor_id'
    | 'is_admin'
    | 'status'
    | 'left_at'
    | 'password_hash'
    | 'must_change_password'
    | 'locked_until'
  >
>;

/** Optimistic update: false when the version no longer matches. */
export async function updateUserRow(db: DbOrTx, id: string, version: number, patch: UserPatch, now: string): Promise<boolean> {
  return updateVersioned(db, 'users', id, version, patch, now);
}

/** Ends every session of a user at once (their next request gets 401). */
export async function deleteSessionsOf(db: DbOrTx, userId: string): Promise<number> {
  const r = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** True when making `supervisorId` the supervisor of `userId` would close a loop in the chain. */
export async function wouldCycle(db: DbOrTx, userId: string, supervisorId: string): Promise<boolean> {
  if (userId === supervisorId) return true;
  const r = await db
    .selectFrom('users')
    .select('id')
    .where('id', '=', supervisorId)
    .where(sql<boolean>`id in ${subordinatesOf(userId)}`)
    .executeTakeFirst();
  return !!r;
}

/** Active admins other than `exceptId`: the last one may not lose the flag or be disabled. */
export async function otherActiveAdmins(db: DbOrTx, exceptId: string): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((e) => e.fn.countAll<number>().as('n'))
    .where('is_admin', '=', 1)
    .where('status', '=', 'active')
    .where('id', '!=', exceptId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Users for pickers (active only unless `all`), matched on name or username. */
export async function userOptionRows(db: DbOrTx, q: string | undefined, limit: number, all = false) {
  let query = db
    .selectFrom('users as u')
    .leftJoin('departments as d', 'd.id', 'u.department_id')
    .select(['u.id', 'u.name', 'u.username', 'd.name as department_name']);
  if (!all) query = query.where('u.status', '=', 'active');
  if (q) query = query.where((eb) => eb.or([like('u.name', q), like('u.username', q.toLowerCase())]));
  return query.orderBy('u.name').orderBy('u.id').limit(limit).execute();
}
