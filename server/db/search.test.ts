import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely, SelectQueryBuilder } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@server/test/app';
import { migrateToLatest, type Database } from './index';
import { exactCondition, indexRecord, matchCondition, normaliseForSearch, rankGrams, removeRecord } from './search';

// a stand-in for a module's table, so the condition is tried inside a real list query
type ItemsDb = { search_items: { id: string; name: string; phone: string | null; owner: string } };
type ItemsQuery = SelectQueryBuilder<ItemsDb, 'search_items', { id: string }>;

let database: Database;
let drop: () => Promise<void>;
let items: Kysely<ItemsDb>;

const records: { id: string; name: string; phone: string | null; owner: string }[] = [
  { id: 'c01', name: '深圳市任我行科技有限公司', phone: '0755-8888 6666', owner: 'u1' },
  { id: 'c02', name: '张三贸易商行', phone: null, owner: 'u1' },
  { id: 'c03', name: '广州华南科技有限公司', phone: '020-1234 5678', owner: 'u2' },
  { id: 'c04', name: 'ＡＢＣ（中国）有限公司', phone: null, owner: 'u2' },
  { id: 'c05', name: '北京张三丰文化传媒', phone: null, owner: 'u1' },
];

async function ids(query: string, extra?: (qb: ItemsQuery) => ItemsQuery): Promise<string[]> {
  const cond = matchCondition('customer', 'search_items.id', query, await rankGrams(database.db, 'customer', query));
  if (!cond) return [];
  let qb = items.selectFrom('search_items').select('id').where(cond).orderBy('id');
  if (extra) qb = extra(qb);
  return (await qb.execute()).map((r) => r.id);
}

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xt-search-'));
  ({ database, drop } = await createTestDatabase(dir));
  await migrateToLatest(database.db);
  items = database.db as unknown as Kysely<ItemsDb>;
  await items.schema
    .createTable('search_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('owner', 'text', (c) => c.notNull())
    .execute();
  await database.db.transaction().execute(async (tx) => {
    for (const r of records) {
      await (tx as unknown as Kysely<ItemsDb>).insertInto('search_items').values(r).execute();
      await indexRecord(tx, 'customer', r.id, [r.name, r.phone, undefined, null]);
    }
    // another entity's grams never leak into customer searches
    await indexRecord(tx, 'product', 'p01', ['任我行软件']);
  });
});
afterAll(async () => {
  await database.close();
  await drop();
});

describe('normaliseForSearch', () => {
  it('folds width and case and strips whitespace and punctuation', () => {
    expect(normaliseForSearch('ＡＢＣ（中国）有限公司')).toBe('abc中国有限公司');
    expect(normaliseForSearch(' 0755-8888 6666 ')).toBe('075588886666');
    expect(normaliseForSearch('  ，。！ ')).toBe('');
  });
});

describe('keyword search', () => {
  it('finds a 3-character Chinese substring inside a company name', async () => {
    expect(await ids('任我行')).toEqual(['c01']);
  });

  it('finds 2-character and 1-character queries', async () => {
    expect(await ids('科技')).toEqual(['c01', 'c03']);
    expect(await ids('张三')).toEqual(['c02', 'c05']);
    expect(await ids('深')).toEqual(['c01']);
    expect(await ids('任我行科技有限公司')).toEqual(['c01']);
  });

  it('matches full-width and mixed-case queries and phone digits', async () => {
    expect(await ids('ＡＢＣ')).toEqual(['c04']);
    expect(await ids('abc')).toEqual(['c04']);
    expect(await ids('aBc中国')).toEqual(['c04']);
    expect(await ids('0755')).toEqual(['c01']);
    expect(await ids('88886666')).toEqual(['c01']);
  });

  it('finds nothing for absent text, and null for an empty query', async () => {
    expect(await ids('李四')).toEqual([]);
    expect(await ids('任我行贸易')).toEqual([]);
    expect(await ids('Z')).toEqual([]);
    expect(matchCondition('customer', 'search_items.id', '  ，')).toBeNull();
    // a long pasted query stays within SQLite's join limit
    expect(await ids('深圳市任我行科技有限公司')).toEqual(['c01']);
    const long = Array.from({ length: 80 }, (_, i) => String.fromCodePoint(0x9a00 + i)).join('');
    await items.insertInto('search_items').values({ id: 'c07', name: long, phone: null, owner: 'u1' }).execute();
    await indexRecord(database.db, 'customer', 'c07', [long]);
    expect(await ids(long)).toEqual(['c07']);
    expect(await ids(long.slice(10, 70))).toEqual(['c07']);
  });

  it('composes with another condition, keyset pagination and a count in one query', async () => {
    expect(await ids('科技', (qb) => qb.where('owner', '=', 'u2'))).toEqual(['c03']);
    expect(await ids('张三', (qb) => qb.where('id', '>', 'c02').limit(1))).toEqual(['c05']);
    const cond = matchCondition('customer', 'search_items.id', '有限公司')!;
    const { n } = await items
      .selectFrom('search_items')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(cond)
      .where('owner', '=', 'u2')
      .executeTakeFirstOrThrow();
    expect(Number(n)).toBe(2);
  });

  it('re-indexing replaces the old grams; removal drops them', async () => {
    await database.db.transaction().execute(async (tx) => {
      await indexRecord(tx, 'customer', 'c02', ['李四五金店']);
      await indexRecord(tx, 'customer', 'c02', ['李四五金店']); // idempotent
    });
    expect(await ids('张三')).toEqual(['c05']);
    expect(await ids('五金')).toEqual(['c02']);
    await removeRecord(database.db, 'customer', 'c02');
    expect(await ids('五金')).toEqual([]);
    const left = await database.db
      .selectFrom('search_grams')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('entity_id', '=', 'c02')
      .executeTakeFirstOrThrow();
    expect(Number(left.n)).toBe(0);
  });

  it('exactCondition rules out bigram co-occurrence false positives', async () => {
    // a record holding 任我 and 我行 apart matches 任我行 by grams alone
    await items.insertInto('search_items').values({ id: 'c06', name: '任我 我行', phone: null, owner: 'u1' }).execute();
    await indexRecord(database.db, 'customer', 'c06', ['任我', '我行']);
    expect(await ids('任我行')).toEqual(['c01', 'c06']);
    const exact = exactCondition(['search_items.name', 'search_items.phone'], '任我行')!;
    expect(await ids('任我行', (qb) => qb.where(exact))).toEqual(['c01']);
    // LIKE wildcards in the query are literal
    expect(exactCondition(['search_items.name'], '  ')).toBeNull();
    const pct = await items
      .selectFrom('search_items')
      .select('id')
      .where(exactCondition(['search_items.name'], '5%')!)
      .execute();
    expect(pct).toEqual([]);
  });

  it('drives the match from the ranked first gram through the primary key', async () => {
    expect(await rankGrams(database.db, 'customer', '深圳市任我行')).toHaveLength(5);
    expect(await rankGrams(database.db, 'customer', '有限中国')).toEqual(['限中', '中国', '有限']);
    const cond = matchCondition('customer', 'search_items.id', '任我行', ['我行', '任我'])!;
    const q = items.selectFrom('search_items').select('id').where(cond).orderBy('id').limit(50).compile();
    const explain = (prefix: string) => database.db.executeQuery<Record<string, string>>({ ...q, sql: `${prefix} ${q.sql}` } as never);
    if (database.dialect === 'sqlite') {
      const text = (await explain('explain query plan')).rows.map((r) => r.detail).join(' | ');
      expect(text).toMatch(/SEARCH g0 USING PRIMARY KEY \(entity=\? AND gram=\?\)/);
      // a point lookup: the primary key, or the record index (which carries the gram as a key column)
      expect(text).toMatch(
        /SEARCH g1 USING (PRIMARY KEY|COVERING INDEX \w+) \(entity=\? AND (gram|entity_id)=\? AND (gram|entity_id)=\?\)/,
      );
    } else {
      expect((await explain('explain')).rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/search_grams_pk/);
    }
  });
});
