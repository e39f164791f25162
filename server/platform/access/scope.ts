import { sql, type Expression, type SqlBool } from 'kysely';
import type { Scope } from '@common/permissions';
import { treeBelow } from '@server/db/tree';
import type { Auth } from './types';

export type ScopeColumns = {
  /** column holding the owning user's id, e.g. 'customers.owner_id' */
  owner: string;
  /** column holding the owning department's id; when absent the owner's current department is used */
  department?: string;
};

/** The data scope a user has on a module; admins see everything. */
export function scopeOf(auth: Auth, module: string): Scope | 'none' {
  if (auth.user.isAdmin) return 'all';
  const grant = auth.caps.permissions.modules[module];
  if (!grant || !grant.actions.includes('view')) return 'none';
  return grant.scope;
}

/** ids of everyone whose supervisor chain leads to `userId` (not including the user). */
export function subordinatesOf(userId: string) {
  return treeBelow('users', 'supervisor_id', userId, false);
}

/** ids of a department and every department below it. */
export function departmentTreeOf(departmentId: string) {
  return treeBelow('departments', 'parent_id', departmentId);
}

/**
 * The SQL condition that limits a module's records to what the user may see. It is applied inside
 * the query (never by filtering results), so lists stay fast and counts stay right. `grants` is an
 * optional extra condition OR-ed in, e.g. team membership on the record.
 */
export function scopeFilter(auth: Auth, module: string, cols: ScopeColumns, grants?: Expression<SqlBool>): Expression<SqlBool> {
  const scope = scopeOf(auth, module);
  const owner = sql.ref(cols.owner);
  const me = auth.user.id;
  const dept = auth.user.departmentId;
  const deptExpr = cols.department ? sql.ref(cols.department) : sql`(select department_id from users where users.id = ${owner})`;
  let base: Expression<SqlBool>;
  switch (scope) {
    case 'all':
      return sql<SqlBool>`1 = 1`;
    case 'none':
      base = sql<SqlBool>`1 = 0`;
      break;
    case 'self':
      base = sql<SqlBool>`${owner} = ${me}`;
      break;
    case 'subordinates':
      base = sql<SqlBool>`(${owner} = ${me} or ${owner} in ${subordinatesOf(me)})`;
      break;
    case 'department':
      base = dept ? sql<SqlBool>`(${owner} = ${me} or ${deptExpr} = ${dept})` : sql<SqlBool>`${owner} = ${me}`;
      break;
    case 'department_tree':
      base = dept ? sql<SqlBool>`(${owner} = ${me} or ${deptExpr} in ${departmentTreeOf(dept)})` : sql<SqlBool>`${owner} = ${me}`;
      break;
  }
  return grants ? sql<SqlBool>`(${base} or ${grants})` : base;
}
