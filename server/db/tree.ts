import { sql } from 'kysely';

/**
 * `(select id …)` of a row and everything below it in a self-referencing tree, by recursive CTE
 * (the same SQL on SQLite and PostgreSQL). `includeRoot` false leaves the starting row out.
 */
export function treeBelow(table: 'departments' | 'positions' | 'users', parentColumn: string, rootId: string, includeRoot = true) {
  const t = sql.table(table);
  const parent = sql.ref(`c.${parentColumn}`);
  const start = includeRoot
    ? sql`select id from ${t} where id = ${rootId}`
    : sql`select id from ${t} where ${sql.ref(parentColumn)} = ${rootId}`;
  return sql`(with recursive tree(id) as (
      ${start}
      union select c.id from ${t} c join tree on ${parent} = tree.id
    ) select id from tree)`;
}
