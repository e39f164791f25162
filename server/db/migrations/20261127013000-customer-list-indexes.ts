import { sql, type Kysely } from 'kysely';

/**
 * Customer list at scale (1M rows). `customers_scope` answers the scope check of a row found by id
 * (keyword search postings, counts) from the index alone: owner, owner's department and deleted_at
 * beside the id. The sort indexes let a sorted first page walk an index in order and stop after a
 * page instead of sorting every customer in scope; nullable sort columns are sorted as
 * coalesce(column, '') (the same null order on both databases), so their indexes are on that expression.
 */
const SORTS: [string, string][] = [
  ['customers_sort_name', 'name'],
  ['customers_sort_created', 'created_at'],
  ['customers_sort_updated', 'updated_at'],
  ['customers_sort_code', "(coalesce(code, ''))"],
  ['customers_sort_last_contact', "(coalesce(last_contact_at, ''))"],
  ['customers_sort_next_follow_up', "(coalesce(next_follow_up_at, ''))"],
];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('customers_scope').on('customers').columns(['id', 'owner_id', 'owner_department_id', 'deleted_at']).execute();
  for (const [name, expr] of SORTS) await sql`create index ${sql.raw(name)} on customers (${sql.raw(expr)}, id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [name] of SORTS) await db.schema.dropIndex(name).ifExists().execute();
  await db.schema.dropIndex('customers_scope').ifExists().execute();
}
