import { sql, type Expression, type SqlBool } from 'kysely';
import type { CustomerListQuery, CustomerPage } from '@common/schemas/customers';
import type { DbOrTx } from '@server/db/types';
import { exactCondition, normaliseForSearch, rankGrams } from '@server/db/search';
import type { Auth } from '@server/platform/access/types';
import { departmentTreeOf } from '@server/platform/access/scope';
import { listFieldDefs } from '@server/platform/fields/fields.service';
import { getCompany } from '@server/platform/settings/settings.service';
import { CUSTOMER_ENTITY } from './customer-search';
import { getCustomerSettings } from './customer-settings.service';
import { overdueCustomerFilter } from './visit-cycle';
import { hiddenCustomerFields, presentCustomer } from './customers.presenter';
import { countCustomers, listCustomerRows } from './customers.repository';
import { afterCursor, decodeCursor, encodeCursor, filterConditions, sortExpression } from './customers.query';

/**
 * Matches are counted up to this many; past it the list says "1000+" (totalCapped). A capped count
 * costs about the rows it must read to find that many matches — independent of the table size, but
 * 10,000 of them with a filter took tens of milliseconds at 300k customers, a tenth of that at 1,000.
 */
export const COUNT_CAP = 1000;

/**
 * The conditions of a list query besides scope and keyset, and the keyword's grams (rarest first)
 * for the repository to drive the search with. Shared with the export (which checks a view with it).
 */
export async function customerListConditions(
  db: DbOrTx,
  auth: Auth,
  q: CustomerListQuery,
  now = new Date(),
): Promise<{ where: Expression<SqlBool>[]; grams?: string[] }> {
  const where: Expression<SqlBool>[] = [];
  const me = auth.user.id;
  switch (q.view ?? 'all') {
    case 'all':
      // the public pool has its own list
      where.push(sql<SqlBool>`c.owner_id is not null`);
      break;
    case 'mine':
      where.push(sql<SqlBool>`c.owner_id = ${me}`);
      break;
    case 'team':
      where.push(sql<SqlBool>`c.id in (select customer_id from customer_team where user_id = ${me})`);
      break;
    case 'pool':
      where.push(sql<SqlBool>`c.owner_id is null`);
      break;
  }
  if (q.kind) where.push(sql<SqlBool>`c.kind = ${q.kind}`);
  if (q.ownerId) where.push(sql<SqlBool>`c.owner_id = ${q.ownerId}`);
  if (q.departmentId) where.push(sql<SqlBool>`c.owner_department_id in ${departmentTreeOf(q.departmentId)}`);
  if (q.category) where.push(sql<SqlBool>`c.category = ${q.category}`);
  if (q.stage) where.push(sql<SqlBool>`c.stage = ${q.stage}`);
  if (q.importance) where.push(sql<SqlBool>`c.importance = ${q.importance}`);
  if (q.tag) where.push(sql<SqlBool>`c.tags like ${`%${JSON.stringify(q.tag).replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`} escape '\\'`);
  if (q.overdue) {
    const overdue = await overdueCustomerFilter(db, now);
    where.push(q.overdue === 'true' ? overdue : sql<SqlBool>`not ${overdue}`);
  }
  const hidden = hiddenCustomerFields(auth);
  if (q.filters) where.push(...(await filterConditions(db, q.filters, { hidden, timeZone: (await getCompany(db)).timezone })));
  let grams: string[] | undefined;
  if (q.q) {
    grams = await rankGrams(db, CUSTOMER_ENTITY, q.q);
    // hidden phones must not be found by their digits: a number then has to be in a visible field
    if (grams.length && hidden.includes('phones') && /^\d+$/.test(normaliseForSearch(q.q))) {
      where.push(exactCondition(['c.name', 'c.short_name', 'c.code'], q.q) ?? sql<SqlBool>`1 = 0`);
    }
  }
  return { where, grams: grams?.length ? grams : undefined };
}

/**
 * GET /customers: one page of the customers the viewer sees, filtered, sorted, keyset-paged by
 * (sort value, id), with a capped count. Scope and soft delete are part of the same SQL.
 */
export async function listCustomers(db: DbOrTx, auth: Auth, q: CustomerListQuery, now = new Date()): Promise<CustomerPage> {
  const settings = await getCustomerSettings(db);
  const { where, grams } = await customerListConditions(db, auth, q, now);
  const sort = q.sort ?? 'id';
  const order = q.order ?? 'desc';
  const sortExpr = sortExpression(sort, settings);
  const idColumn = grams && sort === 'id' ? 'g0.entity_id' : 'c.id';
  const after = q.cursor ? afterCursor(sort, sortExpr, order, decodeCursor(q.cursor, sort, order), idColumn) : undefined;
  const [rows, count, defs] = await Promise.all([
    listCustomerRows(db, auth, { where, grams, sortExpr, order, byId: sort === 'id', after, limit: q.limit }),
    countCustomers(db, auth, where, COUNT_CAP, grams),
    listFieldDefs(db, 'customer'),
  ]);
  const hidden = hiddenCustomerFields(auth);
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => presentCustomer(r, { hidden, defs })),
    nextCursor: rows.length > q.limit && last ? encodeCursor(sort, order, last.sort_value, last.id) : null,
    total: Math.min(count, COUNT_CAP),
    totalCapped: count > COUNT_CAP,
  };
}
