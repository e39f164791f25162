// `npm run bench:api`: request rates of the real app under concurrent load, on SQLite and (when reachable)
// PostgreSQL, next to a floor: a bare Fastify route doing one SQLite primary-key read.
// The server runs in this process, the load generator (autocannon) in a child process: one core each.
// Environment: BENCH_DURATION (s, default 10), BENCH_CONNECTIONS (default 32),
// BENCH_DATABASE_URL (default TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test),
// BENCH_DATABASES (default "sqlite,postgres").
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/app';
import { loadConfig } from '../server/config';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const HOST = '127.0.0.1';
const PORTS = { floor: 18300, sqlite: 18301, postgres: 18302 };
const PG_URL = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const DATABASES = (process.env.BENCH_DATABASES ?? 'sqlite,postgres').split(',');
const TARGETS: Record<string, number> = { 'sqlite GET /api/v1/me': 10_000, 'postgres GET /api/v1/me': 4_000 };
/** the floor the targets were set against; on a slower machine the targets scale with the measured floor */
const TARGET_FLOOR = 29_000;
const PASSWORD = 'Bench-Passw0rd-2026';

type Load = { requestsPerSecond: number; total: number; p50: number; p99: number; non2xx: number; errors: number; timeouts: number };
/** cpuMicros: server CPU time per request (this process), a figure that holds up on a busy machine. */
type Row = Load & { name: string; cpuMicros: number };

/** One autocannon run in a child process. */
function load(url: string, headers: Record<string, string> = {}, duration = DURATION): Promise<Load> {
  return new Promise((resolve, reject) => {
    const options = JSON.stringify({ url, headers, connections: CONNECTIONS, duration });
    const child = fork(fileURLToPath(new URL('./load.js', import.meta.url)), [options], { execArgv: [] });
    let result: Load | undefined;
    child.once('message', (m) => (result = m as Load));
    child.once('error', reject);
    child.once('exit', (code) => (result ? resolve(result) : reject(new Error(`load generator exited with ${code}`))));
  });
}

/** A short warm-up (JIT, statement caches, pools), then the measured run. */
async function measure(name: string, url: string, headers: Record<string, string> = {}): Promise<Row> {
  const check = await fetch(url, { headers });
  if (check.status !== 200) throw new Error(`${name}: expected 200 before the run, got ${check.status} ${await check.text()}`);
  await load(url, headers, 2);
  const cpu = process.cpuUsage();
  const r = await load(url, headers);
  const used = process.cpuUsage(cpu);
  const row = { name, ...r, cpuMicros: (used.user + used.system) / Math.max(1, r.total) };
  console.log(`  measured ${name}: ${fmt(r.requestsPerSecond)} req/s, ${row.cpuMicros.toFixed(0)} µs server CPU per request`);
  return row;
}

/** The floor: what Fastify plus one SQLite primary-key read costs on this machine, nothing else. */
async function floorServer(dir: string) {
  const db = new SQLite(path.join(dir, 'floor.db'));
  db.pragma('journal_mode = WAL');
  db.exec('create table users (id text primary key, username text not null, name text not null)');
  const insert = db.prepare('insert into users values (?, ?, ?)');
  for (let i = 0; i < 1000; i++) insert.run(`u${i}`, `user${i}`, `用户${i}`);
  const get = db.prepare('select id, username, name from users where id = ?');
  const app = Fastify({ logger: false });
  app.get('/floor', async () => get.get('u500'));
  await app.listen({ port: PORTS.floor, host: HOST });
  return { url: `http://${HOST}:${PORTS.floor}/floor`, close: async () => (await app.close(), db.close()) };
}

async function post(base: string, url: string, body: unknown, cookie?: string) {
  const res = await fetch(base + url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-requested-with': 'XMLHttpRequest', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`POST ${url}: ${res.status} ${await res.text()}`);
  return res;
}

/** The real app on a fresh database: set-up, sign-in, and a little data for the lists. */
async function appServer(kind: 'sqlite' | 'postgres', dataDir: string, databaseUrl?: string) {
  const env: Record<string, string> = { DATA_DIR: dataDir, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', LOGIN_RATE_LIMIT: '100000' };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  const app: FastifyInstance = await buildApp(loadConfig(env), { web: false });
  await app.listen({ port: PORTS[kind], host: HOST });
  const base = `http://${HOST}:${PORTS[kind]}`;
  await post(base, '/api/v1/setup', {
    companyName: '基准测试有限公司',
    timezone: 'Asia/Shanghai',
    admin: { name: '管理员', username: 'bench', password: PASSWORD },
  });
  const login = await post(base, '/api/v1/auth/login', { username: 'bench', password: PASSWORD });
  const session = login.headers.getSetCookie().find((c) => c.startsWith('xt_session='));
  if (!session) throw new Error('login set no session cookie');
  const cookie = session.split(';')[0];
  for (let i = 0; i < 20; i++) await post(base, '/api/v1/api-tokens', { name: `集成 ${i + 1}` }, cookie);
  return { base, cookie, close: () => app.close() };
}

async function benchApp(kind: 'sqlite' | 'postgres', dataDir: string, databaseUrl?: string): Promise<Row[]> {
  console.log(`\n${kind}: building the app on a fresh database`);
  const s = await appServer(kind, dataDir, databaseUrl);
  try {
    const headers = { cookie: s.cookie };
    const rows: Row[] = [];
    for (const url of ['/api/v1/me', '/api/v1/api-tokens', '/api/v1/audit?limit=20']) {
      rows.push(await measure(`${kind} GET ${url}`, s.base + url, headers));
    }
    return rows;
  } finally {
    await s.close();
  }
}

/** A fresh database on the PostgreSQL server, or undefined when none answers. */
async function freshPostgres(): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch (err) {
    console.log(`\nPostgreSQL not reachable at ${new URL(PG_URL).host} (${(err as Error).message}): skipped.`);
    return undefined;
  }
  const name = `xt_bench_${randomBytes(5).toString('hex')}`;
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function print(rows: Row[], floor: Row) {
  const widths = [38, 9, 7, 7, 9, 9, 18];
  const line = (cols: string[]) => console.log(cols.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' '));
  console.log(`\nResults (${CONNECTIONS} connections, ${DURATION} s each, ${os.cpus().length} cores, load generator on the same machine)`);
  console.log(
    `load average now: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (figures are only comparable on an otherwise idle machine)\n`,
  );
  line(['endpoint', 'req/s', 'p50 ms', 'p99 ms', 'vs floor', 'CPU µs/req', 'target']);
  for (const r of [floor, ...rows]) {
    const target = TARGETS[r.name];
    const ratioTarget = target === undefined ? 0 : target / TARGET_FLOOR;
    const verdict =
      target === undefined
        ? ''
        : `≥ ${fmt(target)} ${r.requestsPerSecond >= target ? 'MET' : 'MISSED'}; ≥ ${ratioTarget.toFixed(2)}× floor ${r.requestsPerSecond / floor.requestsPerSecond >= ratioTarget ? 'MET' : 'MISSED'}`;
    const ratio = r === floor ? '1.00' : (r.requestsPerSecond / floor.requestsPerSecond).toFixed(2);
    line([r.name, fmt(r.requestsPerSecond), String(r.p50), String(r.p99), ratio, r.cpuMicros.toFixed(0), verdict]);
    if (r.non2xx || r.errors || r.timeouts) console.log(`  !! ${r.name}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
  }
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xt-bench-'));
  try {
    console.log('floor: bare Fastify route, one SQLite primary-key read');
    const f = await floorServer(dir);
    let floor: Row;
    try {
      floor = await measure('floor (Fastify + SQLite PK read)', f.url);
    } finally {
      await f.close();
    }
    const rows = DATABASES.includes('sqlite') ? await benchApp('sqlite', path.join(dir, 'sqlite')) : [];
    const database = DATABASES.includes('postgres') ? await freshPostgres() : undefined;
    if (database) {
      try {
        rows.push(...(await benchApp('postgres', path.join(dir, 'postgres'), database.url)));
      } finally {
        await database.drop();
      }
    }
    print(rows, floor);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
