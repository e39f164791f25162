import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { DbOrTx } from './types';

/**
 * Keyword search that finds Chinese substrings of every length, the same on SQLite and PostgreSQL.
 *
 * Chinese has no word boundaries and the most common queries are two characters (张三, 科技), which
 * trigram indexes (FTS5 `trigram`, `pg_trgm`) cannot serve. So each record's searchable texts are
 * normalised and every character bigram, plus every single character, is stored in `search_grams`
 * with the primary key (entity, gram, entity_id): one index seek per gram yields the matching ids
 * in id order. A query of n ≥ 2 characters needs every one of its bigrams; one character needs itself.
 *
 * Exactness: for queries of three or more characters, bigram co-occurrence can give false positives
 * (a record holding "ab" and "bc" apart matches "abc"). Callers AND `exactCondition` on their own
 * columns when that matters; see its caveats.
 */

/** Lower-cased NFKC (full-width → half-width), with whitespace, punctuation and symbols removed. */
export function normaliseForSearch(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]/gu, '');
}

/** Every single character and every bigram of one normalised text (by code point). */
function gramsOf(normalised: string, into: Set<string>): void {
  const chars = Array.from(normalised);
  for (let i = 0; i < chars.length; i++) {
    into.add(chars[i]);
    if (i + 1 < chars.length) into.add(chars[i] + chars[i + 1]);
  }
}

/** The grams a query must all find: its distinct bigrams, or the character itself for one character. */
export function queryGrams(query: string): string[] {
  const chars = Array.from(normaliseForSearch(query));
  if (chars.length === 1) return chars;
  const grams = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) grams.add(chars[i] + chars[i + 1]);
  return [...grams];
}

/** The distinct grams `indexRecord` stores for these texts (bulk loaders write them directly). */
export function gramsOfTexts(texts: (string | null | undefined)[]): string[] {
  const grams = new Set<string>();
  for (const t of texts) if (t) gramsOf(normaliseForSearch(t), grams);
  return [...grams];
}

// 3 parameters per row: well under SQLite's 32,766 and Postgres' 65,535 bound parameters
const INSERT_BATCH = 500;

/**
 * Replaces a record's grams with those of `texts` (null / empty texts skipped; grams never span
 * two texts). Call inside the transaction that writes the record so the index never lags it.
 * `fresh`: the record was created in this transaction, so it has no grams to remove yet.
 */
export async function indexRecord(
  db: DbOrTx,
  entity: string,
  entityId: string,
  texts: (string | null | undefined)[],
  opts: { fresh?: boolean } = {},
): Promise<void> {
  if (!opts.fresh) await removeRecord(db, entity, entityId);
  const rows = gramsOfTexts(texts).map((gram) => ({ entity, entity_id: entityId, gram }));
  for (let i = 0; i < rows.length; i += INSERT_BATCH) {
    await db
      .insertInto('search_grams')
      .values(rows.slice(i, i + INSERT_BATCH))
      .execute();
  }
}

/** Drops a record from the index (on hard delete; soft-deleted records are filtered by the caller). */
export async function removeRecord(db: DbOrTx, entity: string, entityId: string): Promise<void> {
  await db.deleteFrom('search_grams').where('entity', '=', entity).where('entity_id', '=', entityId).execute();
}

/**
 * Postings are counted up to a cap; while the rarest grams are tied at it, the tied ones are
 * counted again up to the next cap, so that a rare-ish gram (a few thousand rows) is not driven by a
 * common one (tens of thousands): three common grams can still meet in a few hundred records, and
 * driving such a match by the commonest one reads all its postings (0.4–0.7 s at a million
 * customers, measured with the customers bench). Escalating only while tied keeps the usual query
 * to one or two rounds of a few thousand index entries; the last cap stays at 20,000 because three
 * rounds of 50,000 cost as much as the scan they avoid.
 */
const RANK_CAPS = [1000, 8000, 20_000];

async function cappedCounts(db: DbOrTx, entity: string, grams: string[], cap: number): Promise<number[]> {
  const counts = grams.map((g, i) =>
    sql<number>`(select count(*) from (select 1 as one from search_grams where entity = ${entity} and gram = ${g} limit ${cap}) ${sql.raw(`t${i}`)})`.as(
      `n${i}`,
    ),
  );
  const row = (await db.selectNoFrom(counts).executeTakeFirstOrThrow()) as Record<string, number | string>;
  return grams.map((_, i) => Number(row[`n${i}`]));
}

/**
 * The query's grams, rarest first, by counting each gram's postings up to a cap (one to three
 * queries of index seeks). Pass the result to `matchCondition` so the rarest gram drives the match:
 * SQLite keeps the written join order, and otherwise a common gram such as 有限 or 公司 would drive.
 */
export async function rankGrams(db: DbOrTx, entity: string, query: string): Promise<string[]> {
  const grams = queryGrams(query);
  if (grams.length < 2) return grams;
  const n = await cappedCounts(db, entity, grams, RANK_CAPS[0]);
  for (let round = 1; round < RANK_CAPS.length; round++) {
    const cap = RANK_CAPS[round - 1];
    const tied = grams.filter((_, i) => n[i] >= cap);
    if (tied.length < 2 || Math.min(...n) < cap) break;
    const wide = await cappedCounts(db, entity, tied, RANK_CAPS[round]);
    tied.forEach((g, j) => (n[grams.indexOf(g)] = wide[j]));
  }
  return grams
    .map((g, i) => ({ g, n: n[i] }))
    .sort((x, y) => x.n - y.n)
    .map((x) => x.g);
}

/** Grams joined per match at most; a longer query checks its first (with ranking, rarest) ones. */
const MAX_JOINED_GRAMS = 8;

/**
 * An SQL condition, to AND into a list query, that holds when the record `idColumn` (e.g.
 * 'customers.id') has every gram of `query`. Returns null for a query that normalises to nothing.
 * `rankedGrams` (from `rankGrams`) puts the rarest gram first; without it the query's order is used.
 * Past MAX_JOINED_GRAMS (8) grams only the first 8 are required: AND `exactCondition` for long queries.
 *
 * Shape: `id in (select g0.entity_id from search_grams g0 cross join search_grams g1 … where
 * g0.entity = ? and g0.gram = ? and g1.entity = ? and g1.gram = ? and g1.entity_id = g0.entity_id …)`:
 * g0 is read by a primary-key range (ids in order), every further gram is a primary-key point lookup.
 * SQLite keeps the cross join order; PostgreSQL plans the joins from its statistics.
 */
export function matchCondition(entity: string, idColumn: string, query: string, rankedGrams?: string[]): Expression<SqlBool> | null {
  const all = rankedGrams?.length ? rankedGrams : queryGrams(query);
  if (all.length === 0) return null;
  // a pasted paragraph would join dozens of tables (SQLite allows 64): the rarest few decide anyway
  const grams = all.slice(0, MAX_JOINED_GRAMS);
  const alias = (i: number) => sql.raw(`g${i}`);
  const from: RawBuilder<unknown>[] = [];
  const where: RawBuilder<unknown>[] = [];
  grams.forEach((gram, i) => {
    from.push(sql`search_grams ${alias(i)}`);
    where.push(sql`${alias(i)}.entity = ${entity}`, sql`${alias(i)}.gram = ${gram}`);
    if (i > 0) where.push(sql`${alias(i)}.entity_id = ${alias(0)}.entity_id`);
  });
  return sql<SqlBool>`${sql.ref(idColumn)} in (select ${alias(0)}.entity_id from ${sql.join(from, sql` cross join `)} where ${sql.join(where, sql` and `)})`;
}

/**
 * The exact substring check to AND beside `matchCondition` for queries of three or more characters:
 * `(lower(c1) like ? escape '\' or lower(c2) like ? …)` with the lower-cased, trimmed query.
 * Caveats: it compares the stored text, not the normalised one, so a query that only matches after
 * normalisation (full-width letters, a phone typed without its dash) fails it, and SQLite's lower()
 * folds ASCII only. Use it where the columns hold the text the user typed the query from.
 */
export function exactCondition(columns: string[], query: string): Expression<SqlBool> | null {
  const q = query.trim().toLowerCase();
  if (!q || columns.length === 0) return null;
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const ors = columns.map((c) => sql`lower(${sql.ref(c)}) like ${pattern} escape '\\'`);
  return sql<SqlBool>`(${sql.join(ors, sql` or `)})`;
}
