import { sql, type Expression, type SqlBool } from 'kysely';
import type { Auth } from '@server/platform/access/types';
import { scopeFilter, scopeOf } from '@server/platform/access/scope';

/**
 * Which customers a user sees, as SQL over the customers table under the alias `c` (write
 * `selectFrom('customers as c')`). One place for the rule every list, search, count, export,
 * report, 360° page and linked record applies:
 * - the module's data scope over the owner (`c.owner_id`) and the owner's department
 *   (`c.owner_department_id`, kept in step with the owner);
 * - OR a team grant (团队成员, read or write) on the record;
 * - customers in the public pool (owner_id null) are visible to everyone holding the module's view
 *   right, so they can be claimed.
 * `module` is 'customers' for customers themselves and 'contacts' for contacts (seen through their
 * customer under the contacts module's own scope). Soft-deleted rows are not filtered here.
 */
export function customerVisible(auth: Auth, module: 'customers' | 'contacts' = 'customers'): Expression<SqlBool> {
  if (scopeOf(auth, module) === 'none') return sql<SqlBool>`1 = 0`;
  const team = sql<SqlBool>`(c.owner_id is null or c.id in (select customer_id from customer_team where user_id = ${auth.user.id}))`;
  return scopeFilter(auth, module, { owner: 'c.owner_id', department: 'c.owner_department_id' }, team);
}

/**
 * Which customers a user may change: within the customers scope, or a write team grant. Pool
 * customers are changed only through claim / assign (see pool.service.ts).
 */
export function customerEditable(auth: Auth): Expression<SqlBool> {
  if (scopeOf(auth, 'customers') === 'none') return sql<SqlBool>`1 = 0`;
  const team = sql<SqlBool>`c.id in (select customer_id from customer_team where user_id = ${auth.user.id} and access = 'write')`;
  return sql<SqlBool>`(c.owner_id is not null and ${scopeFilter(auth, 'customers', { owner: 'c.owner_id', department: 'c.owner_department_id' }, team)})`;
}

/**
 * Records owned directly by a user (leads, follow-ups, schedules) under `module`'s scope; `alias`
 * is the table alias, whose `owner_id` / `owner_department_id` columns are used.
 */
export function ownedVisible(auth: Auth, module: 'leads' | 'followups', alias: string): Expression<SqlBool> {
  return scopeFilter(auth, module, { owner: `${alias}.owner_id`, department: `${alias}.owner_department_id` });
}
