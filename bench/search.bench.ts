// `node --import tsx bench/search.bench.ts`: keyword search (server/db/search.ts) over N synthetic
// Chinese company names, on SQLite and (when reachable) PostgreSQL. For 2-, 3- and 5-character
// queries cut from the generated names, one search = rankGrams + the first 50 ids ordered by id +
// the total count (the list page's two queries); p50 / p99 of that, in ms, are printed.
// Environment: BENCH_N (default 200000), BENCH_QUERIES (per length, default 200),
// BENCH_DATABASE_URL (default TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test),
// BENCH_DATABASES (default "sqlite,postgres").
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql, type Kysely } from 'kysely';
import { migrateToLatest, openDatabase, type Database } from '../server/db/index';
import { newId } from '../server/db/ids';
import { indexRecord, matchCondition, rankGrams } from '../server/db/search';
import { rng } from './customers-data';

const N = Number(process.env.BENCH_N ?? 200_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 200);
const PG_URL = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const DATABASES = (process.env.BENCH_DATABASES ?? 'sqlite,postgres').split(',');
const TX_BATCH = 1000;

type BenchDb = { bench_companies: { id: string; name: string } };

const CITIES =
  '北京 上海 天津 重庆 深圳市 广州市 杭州市 南京市 苏州市 成都市 武汉市 西安市 长沙市 郑州市 东莞市 佛山市 宁波市 青岛市 厦门市 合肥市 济南市 福州市 昆明市 无锡市 常州市 沈阳市 大连市 哈尔滨市 石家庄市 南昌市'.split(
    ' ',
  );
const BRAND_CHARS =
  '任我行华为腾讯金山海天明达恒信宏远鑫泰嘉盛博瑞康德永安兴隆合创新源中正大晨光联众成汇通诚美佳立聚贤智能鼎丰润泽宇航星辰瀚云图盈富万家和顺利祥瑞福禄寿春秋东方南北西京华夏龙凤麒麟飞腾远景广达德胜天宝金辉银河长城黄河泰山峰岭江湖海洋蓝天白云青松翠竹红日紫光凯旋捷讯迅驰锐拓展卓越精工匠心';
const INDUSTRIES =
  '科技 网络科技 信息技术 电子 贸易 实业 机械 建筑工程 物流 医疗器械 食品 服装 文化传媒 投资 咨询服务 新材料 环保科技 生物科技 教育科技 餐饮管理 汽车销售 家居 化工 包装 印刷 广告 软件 电气 光电 五金'.split(
    ' ',
  );
const SUFFIXES = ['有限公司', '有限公司', '有限公司', '有限责任公司', '股份有限公司'];

function companyNames(n: number): string[] {
  const r = rng(20261126);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    let brand = '';
    const len = 2 + r(3);
    for (let j = 0; j < len; j++) brand += BRAND_CHARS[r(BRAND_CHARS.length)];
    out.push(CITIES[r(CITIES.length)] + brand + INDUSTRIES[r(INDUSTRIES.length)] + SUFFIXES[r(SUFFIXES.length)]);
  }
  return out;
}

/**
 * Queries of `len` characters cut at random places from random names without their legal suffix
 * (users type the distinctive part; 有限 / 公司, matching every row, are measured on their own).
 */
function sampleQueries(names: string[], len: number, count: number): string[] {
  const r = rng(len * 7919);
  const out: string[] = [];
  while (out.length < count) {
    const name = Array.from(names[r(names.length)].replace(/(股份)?有限(责任)?公司$/, ''));
    if (name.length < len) continue;
    const start = r(name.length - len + 1);
    out.push(name.slice(start, start + len).join(''));
  }
  return out;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function openPg(): Promise<{ database: Database; drop(): Promise<void> } | undefined> {
  const admin = new pg.Client({ connectionString: PG_URL });
  try {
    await admin.connect();
  } catch (err) {
    console.log(`PostgreSQL not reachable at ${PG_URL.replace(/:[^:@/]*@/, ':***@')}: ${(err as Error).message}; skipped`);
    return undefined;
  }
  const name = `xt_bench_${randomBytes(6).toString('hex')}`;
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  const database = openDatabase({ databaseUrl: url.toString(), dataDir: os.tmpdir(), poolSize: 8 });
  return {
    database,
    drop: async () => {
      await database.close();
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

async function run(label: string, database: Database, names: string[]) {
  const db = database.db;
  const bench = db as unknown as Kysely<BenchDb>;
  await migrateToLatest(db);
  await bench.schema
    .createTable('bench_companies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .execute();

  // index in batched transactions; Postgres gets a few in parallel (one connection each)
  const started = performance.now();
  const batches: number[] = [];
  for (let i = 0; i < names.length; i += TX_BATCH) batches.push(i);
  const workers = database.dialect === 'postgres' ? 6 : 1;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let b = batches.shift(); b !== undefined; b = batches.shift()) {
        await db.transaction().execute(async (tx) => {
          const rows = names.slice(b, b + TX_BATCH).map((name) => ({ id: newId(), name }));
          await (tx as unknown as Kysely<BenchDb>).insertInto('bench_companies').values(rows).execute();
          for (const row of rows) await indexRecord(tx, 'company', row.id, [row.name]);
        });
      }
    }),
  );
  const indexSeconds = (performance.now() - started) / 1000;
  // statistics and the visibility map (index-only scans), as autovacuum leaves them after a bulk load
  if (database.dialect === 'postgres') await sql`vacuum analyze`.execute(db);
  const { grams } = await db
    .selectFrom('search_grams')
    .select((eb) => eb.fn.countAll<number>().as('grams'))
    .executeTakeFirstOrThrow();
  console.log(
    `${label}: indexed ${names.length} names in ${indexSeconds.toFixed(1)} s (${Math.round(names.length / indexSeconds)}/s), ${grams} gram rows`,
  );

  const search = async (q: string) => {
    const cond = matchCondition('company', 'bench_companies.id', q, await rankGrams(db, 'company', q))!;
    const page = await bench.selectFrom('bench_companies').select('id').where(cond).orderBy('id').limit(50).execute();
    const { n } = await bench
      .selectFrom('bench_companies')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(cond)
      .executeTakeFirstOrThrow();
    return { page: page.length, total: Number(n) };
  };

  const sets: [string, string[]][] = [
    ['2 chars', sampleQueries(names, 2, QUERIES)],
    ['3 chars', sampleQueries(names, 3, QUERIES)],
    ['5 chars', sampleQueries(names, 5, QUERIES)],
    ['科技 (common)', Array(20).fill('科技')],
    ['有限 (every row)', Array(10).fill('有限')],
  ];
  for (const [, qs] of sets.slice(0, 3)) for (const q of qs.slice(0, 20)) await search(q); // warm-up
  for (const [name, qs] of sets) {
    const times: number[] = [];
    const totals: number[] = [];
    for (const q of qs) {
      const t = performance.now();
      const { total } = await search(q);
      times.push(performance.now() - t);
      totals.push(total);
    }
    console.log(
      `${label} ${name.padEnd(16)} p50 ${pct(times, 50).toFixed(2).padStart(7)} ms  p99 ${pct(times, 99).toFixed(2).padStart(7)} ms` +
        `  matches p50 ${pct(totals, 50)} max ${Math.max(...totals)}  (${qs.length} queries, e.g. ${qs[0]})`,
    );
  }
}

const names = companyNames(N);
console.log(`${N} synthetic company names, e.g. ${names.slice(0, 3).join(' / ')}`);
if (DATABASES.includes('sqlite')) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xt-search-bench-'));
  const database = openDatabase({ dataDir: dir });
  try {
    await run('sqlite', database, names);
    const size =
      fs.statSync(path.join(dir, 'xietong.db')).size +
      (fs.statSync(path.join(dir, 'xietong.db-wal'), { throwIfNoEntry: false })?.size ?? 0);
    console.log(`sqlite: database file ${(size / 1e6).toFixed(0)} MB`);
  } finally {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
if (DATABASES.includes('postgres')) {
  const p = await openPg();
  if (p) {
    try {
      await run('postgres', p.database, names);
    } finally {
      await p.drop();
    }
  }
}
