import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import { CUSTOMER_FILTER_FIELDS, CUSTOMER_SORTS, listFilter, type CustomerFilterField, type ListFilter } from '@common/schemas/customers';
import type { CustomerSettings } from '@common/schemas/customer-settings';
import type { DbOrTx } from '@server/db/types';
import { nowIso } from '@server/db/ids';
import { fieldError } from '@server/platform/http/errors';
import { customFilterCondition } from '@server/platform/fields/fields.service';
import { z } from 'zod';
import { addDays, startOfDay } from './visit-cycle';
import type { CustomerSensitive } from './customers.presenter';

/**
 * SQL pieces of the customer list over `customers as c`: the `filters` of a saved view (standard
 * fields and `custom.<key>`), the sort expressions and the keyset cursor. Values are always bound.
 */

export type CustomerSort = (typeof CUSTOMER_SORTS)[number];
type Order = 'asc' | 'desc';

const bad = () => fieldError('filters', 'invalid_value');

type FieldKind = 'text' | 'key' | 'region' | 'time' | 'bool' | 'list';
const FIELDS: Record<CustomerFilterField, { column: string; kind: FieldKind }> = {
  kind: { column: 'c.kind', kind: 'key' },
  name: { column: 'c.name', kind: 'text' },
  shortName: { column: 'c.short_name', kind: 'text' },
  code: { column: 'c.code', kind: 'text' },
  category: { column: 'c.category', kind: 'key' },
  stage: { column: 'c.stage', kind: 'key' },
  importance: { column: 'c.importance', kind: 'key' },
  source: { column: 'c.source', kind: 'key' },
  industry: { column: 'c.industry', kind: 'key' },
  regionCode: { column: 'c.region_code', kind: 'region' },
  address: { column: 'c.address', kind: 'text' },
  phones: { column: 'c.phones', kind: 'list' },
  website: { column: 'c.website', kind: 'text' },
  tags: { column: 'c.tags', kind: 'list' },
  ownerId: { column: 'c.owner_id', kind: 'key' },
  ownerDepartmentId: { column: 'c.owner_department_id', kind: 'key' },
  inPool: { column: 'c.owner_id', kind: 'bool' },
  pooledAt: { column: 'c.pooled_at', kind: 'time' },
  locked: { column: 'c.locked', kind: 'bool' },
  lastContactAt: { column: 'c.last_contact_at', kind: 'time' },
  nextFollowUpAt: { column: 'c.next_follow_up_at', kind: 'time' },
  lastDealAt: { column: 'c.last_deal_at', kind: 'time' },
  notes: { column: 'c.notes', kind: 'text' },
  createdBy: { column: 'c.created_by', kind: 'key' },
  createdAt: { column: 'c.created_at', kind: 'time' },
  updatedAt: { column: 'c.updated_at', kind: 'time' },
};

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/** `lower(col) like %value%`, escaped. */
export function containsCondition(column: string, value: string): Expression<SqlBool> {
  return sql<SqlBool>`lower(${sql.ref(column)}) like ${`%${likeEscape(value.toLowerCase())}%`} escape '\\'`;
}

function oneString(v: unknown): string {
  if (typeof v === 'string' && v.length <= 200) return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  throw bad();
}

function stringList(v: unknown): string[] {
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0 || list.length > 100) throw bad();
  return list.map(oneString);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = z.iso.datetime({ offset: true });

/**
 * A time bound: an ISO date-time as is (normalised to UTC), or a calendar date taken in the company
 * time zone — `lte 2026-11-27` includes the whole of that day, `gt` starts after it.
 */
function timeBound(v: unknown, op: 'eq' | 'gt' | 'gte' | 'lt' | 'lte', timeZone: string): string {
  const s = oneString(v);
  if (DATE.test(s)) {
    const endOfDay = op === 'gt' || op === 'lte';
    return nowIso(startOfDay(endOfDay ? addDays(s, 1) : s, timeZone));
  }
  if (!DATETIME.safeParse(s).success) throw bad();
  return nowIso(new Date(s));
}

function asBool(v: unknown): boolean {
  if (v === true || v === 'true' || v === 1 || v === '1') return true;
  if (v === false || v === 'false' || v === 0 || v === '0') return false;
  throw bad();
}

const OPS = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/** One standard-field filter as SQL. */
function standardCondition(field: CustomerFilterField, f: ListFilter, timeZone: string): Expression<SqlBool> {
  const { column, kind } = FIELDS[field];
  const col = sql.ref(column);
  const isEmpty = kind === 'list' ? sql<SqlBool>`(${col} is null or ${col} = '[]')` : sql<SqlBool>`(${col} is null or ${col} = '')`;
  if (f.op === 'empty' && kind !== 'bool') return isEmpty;
  if (f.op === 'notEmpty' && kind !== 'bool') return sql<SqlBool>`not ${isEmpty}`;
  switch (kind) {
    case 'bool': {
      if (f.op !== 'eq' && f.op !== 'ne') throw bad();
      const want = asBool(f.value) === (f.op === 'eq');
      if (field === 'inPool') return want ? sql<SqlBool>`c.owner_id is null` : sql<SqlBool>`c.owner_id is not null`;
      return sql<SqlBool>`${col} = ${want ? 1 : 0}`;
    }
    case 'list': {
      if (f.op !== 'contains') throw bad();
      // stored as a JSON array of strings: a tag matches whole ('"VIP"'), a phone by its digits
      const value = oneString(f.value);
      return field === 'tags'
        ? sql<SqlBool>`${col} like ${`%${likeEscape(JSON.stringify(value))}%`} escape '\\'`
        : containsCondition(column, value);
    }
    case 'region': {
      // a province or city includes every division below it
      const prefix = (v: unknown) => {
        const s = oneString(v);
        if (!/^\d{2}(\d{2}){0,2}$/.test(s)) throw bad();
        return sql<SqlBool>`${col} like ${`${s}%`}`;
      };
      if (f.op === 'eq') return prefix(f.value);
      if (f.op === 'ne') return sql<SqlBool>`(${col} is null or not ${prefix(f.value)})`;
      if (f.op === 'in') return sql<SqlBool>`(${sql.join(stringList(f.value).map(prefix), sql` or `)})`;
      throw bad();
    }
    case 'time': {
      if (f.op === 'eq') {
        // a date means that whole day
        const s = oneString(f.value);
        if (!DATE.test(s)) return sql<SqlBool>`${col} = ${timeBound(s, 'eq', timeZone)}`;
        return sql<SqlBool>`(${col} >= ${timeBound(s, 'gte', timeZone)} and ${col} <= ${timeBound(s, 'lte', timeZone)})`;
      }
      if (f.op === 'gt' || f.op === 'gte' || f.op === 'lt' || f.op === 'lte') {
        const op = f.op === 'lte' && DATE.test(oneString(f.value)) ? '<' : OPS[f.op];
        return sql<SqlBool>`${col} ${sql.raw(op)} ${timeBound(f.value, f.op, timeZone)}`;
      }
      throw bad();
    }
    case 'text':
    case 'key': {
      if (f.op === 'eq') return sql<SqlBool>`${col} = ${oneString(f.value)}`;
      if (f.op === 'ne') return sql<SqlBool>`(${col} is null or ${col} <> ${oneString(f.value)})`;
      if (f.op === 'in') return sql<SqlBool>`${col} in (${sql.join(stringList(f.value))})`;
      if (f.op === 'contains' && kind === 'text') return containsCondition(column, oneString(f.value));
      throw bad();
    }
  }
}

const filtersSchema = z.array(listFilter).max(30);

/**
 * The `filters` parameter (a JSON array of `{ field, op, value }`) as SQL conditions. A field hidden
 * from the viewer cannot be filtered on (its value would leak through the matches).
 */
export async function filterConditions(
  db: DbOrTx,
  json: string,
  ctx: { hidden: readonly CustomerSensitive[]; timeZone: string },
): Promise<Expression<SqlBool>[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw bad();
  }
  const r = filtersSchema.safeParse(parsed);
  if (!r.success) throw bad();
  const out: Expression<SqlBool>[] = [];
  for (const f of r.data) {
    if (f.field.startsWith('custom.')) {
      out.push(await customFilterCondition(db, 'customer', 'c.custom', f));
      continue;
    }
    if (!(CUSTOMER_FILTER_FIELDS as readonly string[]).includes(f.field)) throw bad();
    const field = f.field as CustomerFilterField;
    if ((ctx.hidden as readonly string[]).includes(field)) throw fieldError('filters', 'readonly');
    out.push(standardCondition(field, f, ctx.timeZone));
  }
  return out;
}

/* ---- sort and keyset cursor ---- */

function rankBy(column: string, keys: string[]): RawBuilder<number> {
  if (!keys.length) return sql<number>`0`;
  const whens = keys.map((k, i) => sql`when ${sql.lit(k)} then ${sql.lit(i)}`);
  return sql<number>`(case ${sql.ref(column)} ${sql.join(whens, sql` `)} else ${sql.lit(keys.length)} end)`;
}

/**
 * The sort value of each sort key. Nullable columns sort as '' (first ascending, last descending,
 * the same on both databases); stage and importance by their order in the settings, not by key.
 */
export function sortExpression(sort: CustomerSort, settings: CustomerSettings): RawBuilder<string | number> {
  switch (sort) {
    case 'id':
      return sql`c.id`;
    case 'name':
      return sql`c.name`;
    case 'code':
      return sql`coalesce(c.code, '')`;
    case 'createdAt':
      return sql`c.created_at`;
    case 'updatedAt':
      return sql`c.updated_at`;
    case 'lastContactAt':
      return sql`coalesce(c.last_contact_at, '')`;
    case 'nextFollowUpAt':
      return sql`coalesce(c.next_follow_up_at, '')`;
    case 'stage':
      return rankBy(
        'c.stage',
        settings.stages.map((s) => s.key),
      );
    case 'importance':
      return rankBy(
        'c.importance',
        settings.importances.map((s) => s.key),
      );
  }
}

type CursorValue = string | number;

/** An opaque cursor: base64url of [sort, order, last sort value, last id]. */
export function encodeCursor(sort: CustomerSort, order: Order, value: CursorValue, id: string): string {
  return Buffer.from(JSON.stringify([sort, order, value, id])).toString('base64url');
}

/** The position after which the next page starts; a cursor of another sort or order is refused. */
export function decodeCursor(cursor: string, sort: CustomerSort, order: Order): { value: CursorValue; id: string } {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(v) &&
      v.length === 4 &&
      v[0] === sort &&
      v[1] === order &&
      (typeof v[2] === 'string' || typeof v[2] === 'number') &&
      typeof v[3] === 'string'
    ) {
      return { value: v[2], id: v[3] };
    }
  } catch {
    // fall through
  }
  throw fieldError('cursor', 'invalid');
}

/** Rows strictly after the cursor in (sort value, id) order. */
export function afterCursor(
  sort: CustomerSort,
  expr: RawBuilder<string | number>,
  order: Order,
  at: { value: CursorValue; id: string },
  idColumn = 'c.id',
): Expression<SqlBool> {
  const cmp = sql.raw(order === 'asc' ? '>' : '<');
  const id = sql.ref(idColumn);
  if (sort === 'id') return sql<SqlBool>`${id} ${cmp} ${at.id}`;
  // a row value: both databases seek the (sort expression, id) index to it
  return sql<SqlBool>`(${expr}, ${id}) ${cmp} (${at.value}, ${at.id})`;
}
