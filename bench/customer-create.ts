// `node --import tsx bench/customer-create.ts`: what creating one customer costs, on SQLite and
// PostgreSQL: SQL statements per POST /customers (a complete 直销 customer with one contact; begin /
// commit not counted) and milliseconds per create end to end through the app (inject, no network),
// p50 / p95 over BENCH_CREATES creates (default 300) after a warm-up; plus the statements of the
// import path (createCustomer inside the caller's transaction, 20 rows per transaction sharing what
// it reads once, no presented answer).
// BENCH_SQL=1 prints the statements of one create. Environment: BENCH_DATABASES ("sqlite,postgres"),
// BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { KyselyPlugin, RootOperationNode } from 'kysely';
import { buildApp } from '../server/app';
import { loadConfig } from '../server/config';
import { migrateToLatest, openDatabase, type Database } from '../server/db/index';
import { setupAdmin } from '../server/test/app';
import { authOfUser } from '../server/platform/transfers/transfers.runner';
import { actorOfAuth } from '../server/modules/customers/contacts.service';
import { createCustomer } from '../server/modules/customers/customers.service';

const CREATES = Number(process.env.BENCH_CREATES ?? 300);
const PG_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const DATABASES = (process.env.BENCH_DATABASES ?? 'sqlite,postgres').split(',');

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

let serial = 0;
function body() {
  serial += 1;
  const n = String(serial).padStart(6, '0');
  return {
    name: `基准测试${n}号科技有限公司`,
    category: 'direct',
    importance: 'high',
    phone: `0755-88${n}`,
    contacts: [{ name: `联系人${n}`, mobile: `139${String(serial).padStart(8, '0')}`, email: `b${n}@example.cn` }],
  };
}

async function measure(label: string, database: Database, dir: string) {
  await migrateToLatest(database.db);
  const statements: string[] = [];
  const counter: KyselyPlugin = {
    transformQuery: (args) => {
      statements.push((args.node as RootOperationNode).kind);
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  let log: string[] | null = null;
  const sqlLog: KyselyPlugin = {
    transformQuery: (args) => {
      if (log)
        log.push(
          database.db
            .getExecutor()
            .compileQuery(args.node, { queryId: 'bench' } as never)
            .sql.slice(0, 160),
        );
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  const spied = { ...database, db: database.db.withPlugin(counter).withPlugin(sqlLog) };
  const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', JOBS: 'off', LOGIN_RATE_LIMIT: '10000' } as NodeJS.ProcessEnv);
  const app = await buildApp(config, { database: spied, web: false });
  await app.ready();
  try {
    const admin = await setupAdmin(app);
    const create = async () => {
      const res = await admin.post('/api/v1/customers', body());
      if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`);
    };
    for (let i = 0; i < 30; i++) await create();
    if (process.env.BENCH_SQL) {
      log = [];
      await create();
      console.log(log.map((s, i) => `${i + 1}. ${s}`).join('\n'));
      log = null;
    }
    const times: number[] = [];
    const counts: number[] = [];
    for (let i = 0; i < CREATES; i++) {
      statements.length = 0;
      const t0 = performance.now();
      await create();
      times.push(performance.now() - t0);
      counts.push(statements.length);
    }
    // the import path: inside the caller's transaction, as excel-import writes a batch
    const me = (await admin.get('/api/v1/me')).json() as { user?: { id: string }; id?: string };
    const auth = await authOfUser(spied.db, me.user?.id ?? me.id!);
    const actor = actorOfAuth(auth);
    const importCounts: number[] = [];
    const importTimes: number[] = [];
    for (let i = 0; i < 10; i++) {
      await spied.db.transaction().execute(async (tx) => {
        const cache = {};
        for (let j = 0; j < 20; j++) {
          statements.length = 0;
          const t0 = performance.now();
          await createCustomer(tx, body(), auth, { actor, present: false, cache });
          importTimes.push(performance.now() - t0);
          importCounts.push(statements.length);
        }
      });
    }
    const avg = (xs: number[]) => (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(1);
    console.log(
      `${label}: POST /customers ${avg(counts)} statements, p50 ${pct(times, 50).toFixed(2)} ms, p95 ${pct(times, 95).toFixed(2)} ms, mean ${avg(times)} ms` +
        ` | import path ${avg(importCounts)} statements, mean ${avg(importTimes)} ms per row`,
    );
  } finally {
    await app.close();
  }
}

async function main() {
  if (DATABASES.includes('sqlite')) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xt-bench-create-'));
    const database = openDatabase({ dataDir: dir });
    try {
      await measure('SQLite', database, dir);
    } finally {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  if (DATABASES.includes('postgres')) {
    const name = `xt_bench_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = new URL(PG_URL);
    url.pathname = `/${name}`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xt-bench-create-pg-'));
    const database = openDatabase({ databaseUrl: url.toString(), dataDir: dir });
    try {
      await measure('PostgreSQL', database, dir);
    } finally {
      await database.close();
      // the pool's connections close after close() resolves: a forced drop meanwhile errors in them
      for (let i = 0; i < 50; i++) {
        const { rows } = await admin.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
        if (rows[0].n === 0) break;
        await new Promise((res) => setTimeout(res, 100));
      }
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
