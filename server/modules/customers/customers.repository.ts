import { SqliteAdapter, sql, type Expression, type Insertable, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { TeamMember } from '@common/schemas/customers';
import type { CustomersTable, DB, DbOrTx } from '@server/db/types';
import { nowIso } from '@server/db/ids';
import { removeRecord } from '@server/db/search';
import type { Auth } from '@server/platform/access/types';
import { allows } from '@server/platform/access/check';
import { customerEditable, customerVisible } from './visibility';
import type { CustomerRow } from './customers.presenter';
import { CUSTOMER_ENTITY } from './customer-search';

/** Customers (客户档案): every Kysely query of the customer record itself. */

/** The viewer's edit right on `c`: the edit permission and customerEditable. */
export function editableExpr(auth: Auth): Expression<SqlBool> {
  return allows(auth, 'customers', 'edit') ? customerEditable(auth) : sql<SqlBool>`1 = 0`;
}

/** Base query with the names a customer is shown with and the viewer's edit right. */
export function customerRows(db: DbOrTx, auth: Auth) {
  return db
    .selectFrom('customers as c')
    .leftJoin('users as o', 'o.id', 'c.owner_id')
    .leftJoin('departments as d', 'd.id', 'c.owner_department_id')
    .leftJoin('users as cb', 'cb.id', 'c.created_by')
    .selectAll('c')
    .select(['o.name as owner_name', 'd.name as owner_department_name', 'cb.name as created_by_name'])
    .select((e) => e.case().when(editableExpr(auth)).then(1).else(0).end().as('editable'))
    .where('c.deleted_at', 'is', null);
}

/** A live customer the viewer sees (customerVisible), or undefined. */
export async function findVisibleCustomer(db: DbOrTx, auth: Auth, id: string): Promise<CustomerRow | undefined> {
  return customerRows(db, auth).where('c.id', '=', id).where(customerVisible(auth)).executeTakeFirst();
}

/** Whether the customer (live or deleted) lies within the viewer's customer scope. */
export async function customerInScope(db: DbOrTx, auth: Auth, id: string): Promise<boolean> {
  const row = await db.selectFrom('customers as c').select('c.id').where('c.id', '=', id).where(customerVisible(auth)).executeTakeFirst();
  return !!row;
}

export async function findCustomerRow(db: DbOrTx, id: string) {
  return db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertCustomerRow(db: DbOrTx, row: Insertable<CustomersTable>): Promise<void> {
  await db.insertInto('customers').values(row).execute();
}

/** Team members with their names, in the order they were added. */
export async function teamOf(db: DbOrTx, customerId: string): Promise<TeamMember[]> {
  const rows = await db
    .selectFrom('customer_team as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.user_id', 'u.name', 't.access'])
    .where('t.customer_id', '=', customerId)
    .orderBy('t.added_at')
    .orderBy('t.user_id')
    .execute();
  return rows.map((r) => ({ userId: r.user_id, name: r.name, access: r.access }));
}

/** Replaces the team (members already on it keep their added_at). */
export async function replaceTeam(db: DbOrTx, customerId: string, members: { userId: string; access: 'read' | 'write' }[]): Promise<void> {
  const keep = members.map((m) => m.userId);
  let del = db.deleteFrom('customer_team').where('customer_id', '=', customerId);
  if (keep.length) del = del.where('user_id', 'not in', keep);
  await del.execute();
  const now = nowIso();
  for (const m of members) {
    await db
      .insertInto('customer_team')
      .values({ customer_id: customerId, user_id: m.userId, access: m.access, added_at: now })
      .onConflict((oc) => oc.columns(['customer_id', 'user_id']).doUpdateSet({ access: m.access }))
      .execute();
  }
}

/** Users by id with their status (to check owners and team members). */
export async function usersByIds(db: DbOrTx, ids: string[]) {
  if (!ids.length) return [];
  return db.selectFrom('users').select(['id', 'name', 'status', 'department_id']).where('id', 'in', ids).execute();
}

/** What the live contacts of a customer provide toward the required fields. */
export async function contactCompleteness(db: DbOrTx, customerId: string): Promise<{ count: number; mobile: boolean; email: boolean }> {
  const row = await db
    .selectFrom('contacts')
    .select((e) => [
      e.fn.countAll<number | string>().as('n'),
      sql<number | string>`sum(case when mobile is not null and mobile <> '' then 1 else 0 end)`.as('m'),
      sql<number | string>`sum(case when email is not null and email <> '' then 1 else 0 end)`.as('e'),
    ])
    .where('customer_id', '=', customerId)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), mobile: Number(row.m ?? 0) > 0, email: Number(row.e ?? 0) > 0 };
}

/* ---- the list ---- */

export type ListSpec = {
  where: Expression<SqlBool>[];
  /** keyword search: the query's grams, rarest first (rankGrams); the first drives the query */
  grams?: string[];
  sortExpr: RawBuilder<string | number>;
  order: 'asc' | 'desc';
  /** the sort is the id itself (no second key) */
  byId: boolean;
  after?: Expression<SqlBool>;
  limit: number;
};

/** Grams joined per search at most (as matchCondition in server/db/search.ts). */
const MAX_GRAMS = 8;

/**
 * Customers (alias `c`), live and visible, with the conditions. With a keyword search the rarest
 * gram's postings (`g0`, primary key (entity, gram, entity_id)) drive the query in id order and each
 * posting's customer is checked by a primary-key lookup, so a first page of a common word stops after
 * a page of matches, and a word common elsewhere but rare in the viewer's scope costs its postings,
 * not the scope. SQLite keeps the order of a CROSS JOIN; PostgreSQL would rather merge-join the
 * postings with the whole scope, so there the customer is a LATERAL lookup per posting.
 */
function scoped(db: DbOrTx, auth: Auth, where: Expression<SqlBool>[], grams?: string[]) {
  const live = <Q extends SelectQueryBuilder<DB & { c: CustomersTable }, 'c', object>>(q: Q): Q => {
    let out = q.where('c.deleted_at', 'is', null).where(customerVisible(auth));
    for (const w of where) out = out.where(w);
    return out as Q;
  };
  if (!grams?.length) {
    // the same shape as a search, without g0 (never referenced then)
    return live(db.selectFrom('customers as c')) as unknown as ReturnType<typeof searchShape>;
  }
  const [first, ...rest] = grams.slice(0, MAX_GRAMS);
  let q: ReturnType<typeof searchShape>;
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    q = live(searchShape(db).whereRef('c.id', '=', 'g0.entity_id'));
  } else {
    q = db.selectFrom('search_grams as g0').innerJoinLateral(
      (eb) =>
        live(eb.selectFrom('customers as c').selectAll('c').whereRef('c.id', '=', 'g0.entity_id'))
          .limit(1)
          .as('c'),
      (join) => join.onTrue(),
    ) as unknown as ReturnType<typeof searchShape>;
  }
  q = q.where('g0.entity', '=', CUSTOMER_ENTITY).where('g0.gram', '=', first);
  rest.forEach((gram, i) => {
    const g = sql.raw(`g${i + 1}`);
    q = q.where(
      sql<SqlBool>`exists (select 1 from search_grams ${g} where ${g}.entity = ${CUSTOMER_ENTITY} and ${g}.gram = ${gram} and ${g}.entity_id = g0.entity_id)`,
    );
  });
  return q;
}

function searchShape(db: DbOrTx) {
  return db.selectFrom('search_grams as g0').crossJoin('customers as c');
}

/** One page (limit + 1 rows) with owner, department and creator names joined: one query. */
export async function listCustomerRows(db: DbOrTx, auth: Auth, spec: ListSpec): Promise<(CustomerRow & { sort_value: string | number })[]> {
  let q = scoped(db, auth, spec.after ? [...spec.where, spec.after] : spec.where, spec.grams)
    .leftJoin('users as o', 'o.id', 'c.owner_id')
    .leftJoin('departments as d', 'd.id', 'c.owner_department_id')
    .leftJoin('users as cb', 'cb.id', 'c.created_by')
    .selectAll('c')
    .select(['o.name as owner_name', 'd.name as owner_department_name', 'cb.name as created_by_name'])
    .select((e) => e.case().when(editableExpr(auth)).then(1).else(0).end().as('editable'))
    .select(spec.sortExpr.as('sort_value'));
  // searching by id: the driving postings are already in id order
  q = spec.byId && spec.grams?.length ? q.orderBy(sql`g0.entity_id`, spec.order) : q.orderBy(spec.sortExpr, spec.order);
  if (!spec.byId) q = q.orderBy('c.id', spec.order);
  return q.limit(spec.limit + 1).execute();
}

/** How many match, counted up to `cap` + 1 rows so a huge match stays fast. */
export async function countCustomers(db: DbOrTx, auth: Auth, where: Expression<SqlBool>[], cap: number, grams?: string[]): Promise<number> {
  const inner = scoped(db, auth, where, grams)
    .select(sql<number>`1`.as('one'))
    .limit(cap + 1);
  const row = await db
    .selectFrom(inner.as('t'))
    .select((e) => e.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/* ---- delete / purge ---- */

/**
 * Removes a customer for good with everything that hangs off it: contacts (and their index rows),
 * important dates, follow-ups, schedules, team, duplicate keys, owner history, search rows.
 */
export async function purgeCustomerRows(db: DbOrTx, id: string): Promise<void> {
  const contacts = await db.selectFrom('contacts').select('id').where('customer_id', '=', id).execute();
  for (const c of contacts) await removeRecord(db, 'contact', c.id);
  await db.deleteFrom('contacts').where('customer_id', '=', id).execute();
  await db.deleteFrom('important_dates').where('customer_id', '=', id).execute();
  await db.deleteFrom('follow_ups').where('customer_id', '=', id).execute();
  await db.deleteFrom('schedules').where('customer_id', '=', id).execute();
  await db.deleteFrom('customer_team').where('customer_id', '=', id).execute();
  await db.deleteFrom('customer_keys').where('customer_id', '=', id).execute();
  await db.deleteFrom('customer_owner_history').where('customer_id', '=', id).execute();
  await removeRecord(db, CUSTOMER_ENTITY, id);
  await db.deleteFrom('customers').where('id', '=', id).execute();
}
