import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import SQLite from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '@server/app';
import { loadConfig } from '@server/config';
import { ADMIN, Client, createTestApp, loginAs, setupAdmin, type TestApp } from '@server/test/app';

const root = fileURLToPath(new URL('../..', import.meta.url));

type Cli = { code: number; stdout: string; stderr: string };

/**
 * Runs `xietong <args>` in a child process as a user would. The sources run through tsx (what bin/xietong.js
 * does before a build), so a stale dist/ cannot make this test pass or fail.
 */
function cli(env: Record<string, string>, ...args: string[]): Promise<Cli> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'server/main.ts', ...args],
      { cwd: root, env: { ...process.env, LOG_LEVEL: 'warn', ...env }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

let t: TestApp;
let env: Record<string, string>;
let backupDir: string;
let second: FastifyInstance | undefined;

beforeAll(async () => {
  t = await createTestApp();
  env = { DATA_DIR: t.config.dataDir };
  if (t.database.dialect === 'postgres') {
    // the CLI must reach the very database the test app created
    const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(t.database.db);
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.pathname = `/${rows[0].name}`;
    env.DATABASE_URL = url.toString();
  }
  backupDir = fs.mkdtempSync(path.join(t.config.dataDir, 'backups-'));
});

afterAll(async () => {
  await second?.close();
  await t.close();
});

const actions = async (c: Client) =>
  ((await c.get('/api/v1/audit?limit=100')).json().items as { action: string; detail: string | null }[]).map((i) => i.action);
const tokenNames = async (c: Client) => ((await c.get('/api/v1/api-tokens')).json().items as { name: string }[]).map((i) => i.name);

describe('xietong backup / restore', () => {
  it('backs up the live database, and restore brings back exactly that state', async () => {
    const admin = await setupAdmin(t.app);
    expect((await admin.post('/api/v1/api-tokens', { name: 'before-backup' })).statusCode).toBe(201);

    // the server is running while the backup is taken
    const file = path.join(backupDir, 'xietong.backup');
    const b = await cli(env, 'backup', file);
    expect(b.stderr).toBe('');
    expect(b.code).toBe(0);
    expect(b.stdout).toContain(`Backup written to ${file}`);
    expect(b.stdout).toMatch(/secret\.key/);
    expect(fs.statSync(file).size).toBeGreaterThan(0);

    // a second backup to the same file is refused rather than silently overwritten
    const again = await cli(env, 'backup', file);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');

    // changes made after the backup
    expect((await admin.post('/api/v1/api-tokens', { name: 'after-backup' })).statusCode).toBe(201);
    const failed = await new Client(t.app).post('/api/v1/auth/login', { username: ADMIN.username, password: 'wrong-password-1' });
    expect(failed.statusCode).toBe(401);
    expect(await tokenNames(admin)).toEqual(expect.arrayContaining(['before-backup', 'after-backup']));
    expect(await actions(admin)).toContain('login_failed');

    if (t.database.dialect === 'sqlite') {
      // replacing the file under a running server would lose its writes: refused, nothing changed
      const busy = await cli(env, 'restore', file);
      expect(busy.code).toBe(1);
      expect(busy.stderr).toContain('is in use');
      expect(await tokenNames(admin)).toContain('after-backup');
    }

    await t.app.close();
    await t.database.close();
    const r = await cli(env, 'restore', file);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Restored ${file}`);

    second = await buildApp(loadConfig({ ...env, LOG_LEVEL: 'silent', JOBS: 'off' }), { web: false });
    await second.ready();
    const back = await loginAs(second, ADMIN.username, ADMIN.password);
    expect(await tokenNames(back)).toEqual(['before-backup']);
    const after = await actions(back);
    expect(after).toEqual(expect.arrayContaining(['setup', 'create']));
    expect(after).not.toContain('login_failed');
  });

  it('refuses a missing, foreign or corrupt file and leaves the database as it was', async () => {
    const missing = await cli(env, 'restore', path.join(backupDir, 'nope.backup'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Backup file not found');

    const garbage = path.join(backupDir, 'garbage.backup');
    fs.writeFileSync(garbage, 'this is not a database '.repeat(100));
    const bad = await cli(env, 'restore', garbage);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/not a valid SQLite database|not a pg_dump custom-format archive/);

    if (t.database.dialect === 'sqlite') {
      const foreign = path.join(backupDir, 'foreign.db');
      const db = new SQLite(foreign);
      db.exec('create table notes (id integer primary key, body text)');
      db.close();
      const other = await cli(env, 'restore', foreign);
      expect(other.code).toBe(1);
      expect(other.stderr).toContain('is not a Xietong backup');
    }

    const usage = await cli(env, 'restore');
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain('Usage: xietong restore FILE');

    // the restored state from the previous test is untouched
    const c = await loginAs(second!, ADMIN.username, ADMIN.password);
    expect(await tokenNames(c)).toEqual(['before-backup']);
  });
});
