import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase, type Database } from '@server/db/index';
import { createJobService } from './jobs.service';

/**
 * Two server processes on one database, each with its own connection pool, racing over the same
 * queue: every job must run exactly once. PostgreSQL (row locks, SKIP LOCKED) when
 * TEST_DATABASE_URL is set; otherwise two connections to one SQLite file (conditional UPDATE).
 */
const base = process.env.TEST_DATABASE_URL;
const dbName = `xt_jobs_race_${randomBytes(6).toString('hex')}`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xt-jobs-race-'));
let a: Database;
let b: Database;

async function admin<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) {
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

/** pool.end() resolves before the server has seen every connection close; a forced drop meanwhile errors in them */
async function connectionsGone() {
  for (let i = 0; i < 50; i++) {
    const [{ n }] = await admin<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [dbName]);
    if (n === 0) return;
    await new Promise((res) => setTimeout(res, 100));
  }
}

beforeAll(async () => {
  if (base) {
    await admin(`create database ${dbName}`);
    const url = new URL(base);
    url.pathname = `/${dbName}`;
    a = openDatabase({ databaseUrl: url.toString(), dataDir, poolSize: 4 });
    b = openDatabase({ databaseUrl: url.toString(), dataDir, poolSize: 4 });
  } else {
    a = openDatabase({ dataDir });
    b = openDatabase({ dataDir });
  }
  await migrateToLatest(a.db);
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  if (base) {
    await connectionsGone();
    await admin(`drop database if exists ${dbName} with (force)`);
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe(`two runners on one ${base ? 'PostgreSQL' : 'SQLite'} database`, () => {
  it('run each of 200 jobs exactly once', async () => {
    const runners = [a, b].map((d) => createJobService({ db: d.db, dialect: d.dialect, pollMs: 5, concurrency: 8 }));
    await a.db.transaction().execute(async (tx) => {
      for (let i = 0; i < 200; i++) await runners[0].enqueue(tx, 'race', { i });
    });

    const runs = new Map<string, string[]>();
    for (const r of runners) {
      r.registerJob<{ i: number }>('race', async (_p, job) => {
        runs.set(job.id, [...(runs.get(job.id) ?? []), r.runnerId]);
        // a little work, so claims interleave
        await new Promise((res) => setTimeout(res, Math.random() * 4));
      });
    }
    runners.forEach((r) => r.start());
    const deadline = Date.now() + 30_000;
    const done = async () =>
      Number(
        (
          await a.db
            .selectFrom('jobs')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('status', '=', 'done')
            .executeTakeFirstOrThrow()
        ).n,
      );
    while ((await done()) < 200 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 20));
    await Promise.all(runners.map((r) => r.stop()));

    expect(await done()).toBe(200);
    expect(runs.size).toBe(200);
    expect([...runs.values()].filter((by) => by.length !== 1)).toEqual([]);
    const attempts = await a.db.selectFrom('jobs').select('attempts').distinct().execute();
    expect(attempts).toEqual([{ attempts: 1 }]);
    // both processes took part in the race
    const perRunner = runners.map((r) => [...runs.values()].filter((by) => by[0] === r.runnerId).length);
    expect(perRunner.every((n) => n > 0)).toBe(true);
  });
});
