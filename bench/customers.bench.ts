// `npm run bench:customers`: the customer central database at scale, on SQLite and PostgreSQL.
// Generates BENCH_CUSTOMERS (default 1,000,000) customers with 2 contacts and 5 follow-ups each,
// 500 users in 60 departments, then serves the real app over HTTP and prints p50 / p95 of: the first
// list page under a department + sub-departments scope with a filter (and the raw SQL time of the
// same query), keyword search by Chinese substrings (2 characters and longer), the 360° page, the
// duplicate check, and creating a customer — with the targets beside them.
// Environment: BENCH_CUSTOMERS, BENCH_REQUESTS (per measure, default 200), BENCH_DATABASES
// ("sqlite,postgres"), BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), BENCH_KEEP=1 keeps the data,
// BENCH_REUSE=<kept SQLite directory> measures again without generating.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrateToLatest, openDatabase, type Database } from '../server/db/index';
import { hashPassword } from '../server/platform/auth/password';
import { generatePostgres, generateSqlite, BENCH_PASSWORD, type Generated, type Sizes } from './customers-data';
import { measureApi } from './customers-measure';

const SIZES: Sizes = {
  customers: Number(process.env.BENCH_CUSTOMERS ?? 1_000_000),
  contactsPer: 2,
  followUpsPer: 5,
  users: 500,
  departments: 60,
};
const PG_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const DATABASES = (process.env.BENCH_DATABASES ?? 'sqlite,postgres').split(',');
const log = (s: string) => console.log(s);

async function sqliteRun(hash: string) {
  // BENCH_REUSE=<dir kept by BENCH_KEEP=1>: measure again without generating
  const reuse = process.env.BENCH_REUSE;
  const dir = reuse ?? fs.mkdtempSync(path.join(os.tmpdir(), 'xt-bench-customers-'));
  const file = path.join(dir, 'xietong.db');
  const meta = path.join(dir, 'bench-data.json');
  let data: Generated;
  if (reuse) {
    data = JSON.parse(fs.readFileSync(meta, 'utf8')) as Generated;
    const again = openDatabase({ dataDir: dir, sqliteFile: file });
    await migrateToLatest(again.db);
    await again.close();
  } else {
    const migrated = openDatabase({ dataDir: dir, sqliteFile: file });
    await migrateToLatest(migrated.db);
    await migrated.close();
    const started = performance.now();
    data = await generateSqlite(file, SIZES, hash, log);
    fs.writeFileSync(meta, JSON.stringify(data));
    log(`sqlite: generated in ${((performance.now() - started) / 1000).toFixed(0)} s (${(fs.statSync(file).size / 1e9).toFixed(2)} GB)`);
  }
  const database = openDatabase({ dataDir: dir, sqliteFile: file });
  try {
    await measureApi('sqlite', database, dir, data);
  } finally {
    await database.close();
    if (!process.env.BENCH_KEEP && !reuse) fs.rmSync(dir, { recursive: true, force: true });
    else log(`kept ${dir} (measure again with BENCH_REUSE=${dir} BENCH_DATABASES=sqlite)`);
  }
}

async function postgresRun(hash: string) {
  const admin = new pg.Client({ connectionString: PG_URL });
  try {
    await admin.connect();
  } catch (err) {
    log(`PostgreSQL not reachable (${(err as Error).message}); skipped`);
    return;
  }
  const name = `xt_bench_${randomBytes(5).toString('hex')}`;
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xt-bench-customers-pg-'));
  let database: Database | undefined;
  try {
    const migrated = openDatabase({ databaseUrl: url.toString(), dataDir: dir });
    await migrateToLatest(migrated.db);
    await migrated.close();
    const started = performance.now();
    const data: Generated = await generatePostgres(url.toString(), SIZES, hash, log);
    log(`postgres: generated in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    database = openDatabase({ databaseUrl: url.toString(), dataDir: dir });
    await measureApi('postgres', database, dir, data);
  } finally {
    await database?.close();
    fs.rmSync(dir, { recursive: true, force: true });
    if (!process.env.BENCH_KEEP) {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    } else log(`kept database ${name}`);
  }
}

const hash = await hashPassword(BENCH_PASSWORD);
log(
  `customers bench: ${SIZES.customers} customers, ${SIZES.customers * SIZES.contactsPer} contacts, ${SIZES.customers * SIZES.followUpsPer} follow-ups, ${SIZES.users} users in ${SIZES.departments} departments`,
);
if (DATABASES.includes('sqlite')) await sqliteRun(hash);
if (DATABASES.includes('postgres')) await postgresRun(hash);
