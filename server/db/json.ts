import { SqliteAdapter, sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';

/**
 * Reading keys of a JSON object stored as text (custom field values), in either dialect. The only
 * place with dialect-specific JSON SQL. Keys go into the SQL text (so an expression index could
 * serve them), hence the strict pattern; values are always parameters.
 */

const KEY = /^[a-z][a-z0-9_]*$/;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export function isSqlite(db: AnyDb): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

function checkedKey(key: string): string {
  if (!KEY.test(key)) throw new Error(`Invalid JSON key: ${key}`);
  return key;
}

/** SQLite JSON path of a top-level key: '$."key"' */
const sqlitePath = (key: string) => sql.raw(`'$."${checkedKey(key)}"'`);
/** Postgres key literal: 'key' */
const pgKey = (key: string) => sql.raw(`'${checkedKey(key)}'`);
const jsonb = (column: string) => sql`(${sql.ref(column)}::jsonb)`;

/**
 * The value of `key` as SQL text (strings, dates, ids); NULL when absent or JSON null.
 * SQLite yields numbers and booleans as numbers, Postgres as text: compare strings only.
 */
export function jsonText(db: AnyDb, column: string, key: string): RawBuilder<string | null> {
  return isSqlite(db)
    ? sql<string | null>`json_extract(${sql.ref(column)}, ${sqlitePath(key)})`
    : sql<string | null>`(${jsonb(column)} ->> ${pgKey(key)})`;
}

/** The value of `key` as a number when it is a JSON number, else NULL (never a cast error). */
export function jsonNumber(db: AnyDb, column: string, key: string): RawBuilder<number | null> {
  if (isSqlite(db)) {
    const path = sqlitePath(key);
    return sql<
      number | null
    >`(case when json_type(${sql.ref(column)}, ${path}) in ('integer', 'real') then json_extract(${sql.ref(column)}, ${path}) end)`;
  }
  const k = pgKey(key);
  return sql<number | null>`(case when jsonb_typeof(${jsonb(column)} -> ${k}) = 'number' then (${jsonb(column)} ->> ${k})::numeric end)`;
}

/** `key` holds the JSON boolean `value`. */
export function jsonIsBoolean(db: AnyDb, column: string, key: string, value: boolean): Expression<SqlBool> {
  const literal = sql.raw(value ? `'true'` : `'false'`);
  return isSqlite(db)
    ? sql<SqlBool>`(json_type(${sql.ref(column)}, ${sqlitePath(key)}) = ${literal})`
    : sql<SqlBool>`((${jsonb(column)} -> ${pgKey(key)}) = ${literal}::jsonb)`;
}

/** `key` holds an array with the string `value` among its elements. */
export function jsonArrayContains(db: AnyDb, column: string, key: string, value: string): Expression<SqlBool> {
  return isSqlite(db)
    ? sql<SqlBool>`exists (select 1 from json_each(${sql.ref(column)}, ${sqlitePath(key)}) where value = ${value})`
    : sql<SqlBool>`coalesce((${jsonb(column)} -> ${pgKey(key)}) ? ${value}, false)`;
}

/** `key` is absent, JSON null, an empty string or an empty array. */
export function jsonIsEmpty(db: AnyDb, column: string, key: string): Expression<SqlBool> {
  return sql<SqlBool>`(coalesce(${jsonText(db, column, key)}, '') in ('', '[]'))`;
}

/** Case-insensitive (ASCII) substring match on the text value; `%`, `_` and `\` in `needle` are literal. */
export function jsonTextContains(db: AnyDb, column: string, key: string, needle: string): Expression<SqlBool> {
  const pattern = `%${needle.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<SqlBool>`(lower(${jsonText(db, column, key)}) like ${pattern} escape '\\')`;
}
