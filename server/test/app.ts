import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp, type BuildOptions } from '@server/app';
import { loadConfig, type Config } from '@server/config';
import { openDatabase, type Database } from '@server/db/index';
import { randomBytes } from 'node:crypto';

export type TestApp = {
  app: FastifyInstance;
  database: Database;
  config: Config;
  close(): Promise<void>;
};

/** A fresh database for one test file: SQLite in a temp dir, or a new Postgres database when TEST_DATABASE_URL is set. */
export async function createTestDatabase(dataDir: string): Promise<{ database: Database; drop(): Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) {
    const database = openDatabase({ dataDir });
    return { database, drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
  }
  const name = `xt_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = openDatabase({ databaseUrl: url.toString(), dataDir, poolSize: 5 });
  return {
    database,
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      // pool.end() resolves before the server has seen every connection close; a forced drop meanwhile errors in them
      for (let i = 0; i < 50; i++) {
        const { rows } = await c.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
        if (rows[0].n === 0) break;
        await new Promise((res) => setTimeout(res, 100));
      }
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Test-only build options: fixture plugins under /api/v1 and a route-table observer. */
export type TestAppOptions = Pick<BuildOptions, 'plugins' | 'onRoute' | 'web'>;

/** Builds the real app on a fresh database (migrated), without the web bundle or background jobs. */
export async function createTestApp(overrides: Partial<Config> = {}, opts: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xt-test-'));
  const { database, drop } = await createTestDatabase(dataDir);
  const config = loadConfig(
    { DATA_DIR: dataDir, LOG_LEVEL: 'silent', JOBS: 'off', LOGIN_RATE_LIMIT: '10000' } as NodeJS.ProcessEnv,
    overrides,
  );
  const app = await buildApp(config, { database, web: false, ...opts });
  await app.ready();
  return {
    app,
    database,
    config,
    close: async () => {
      await app.close();
      await database.close();
      await drop();
    },
  };
}

/** A browser-like client: keeps the session cookie and sends the CSRF header on every request. */
export class Client {
  cookie?: string;
  constructor(
    readonly app: FastifyInstance,
    readonly headers: Record<string, string> = {},
  ) {}

  async request(
    method: InjectOptions['method'],
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({
      method,
      url,
      payload: body === undefined ? undefined : (body as InjectOptions['payload']),
      headers: { 'x-requested-with': 'XMLHttpRequest', ...(this.cookie ? { cookie: this.cookie } : {}), ...this.headers, ...headers },
    });
    const set = res.cookies.find((c) => c.name === 'xt_session');
    if (set) this.cookie = set.value ? `xt_session=${set.value}` : undefined;
    return res;
  }
  get = (url: string, headers?: Record<string, string>) => this.request('GET', url, undefined, headers);
  post = (url: string, body?: unknown, headers?: Record<string, string>) => this.request('POST', url, body ?? {}, headers);
  put = (url: string, body?: unknown) => this.request('PUT', url, body ?? {});
  patch = (url: string, body?: unknown) => this.request('PATCH', url, body ?? {});
  delete = (url: string) => this.request('DELETE', url);
}

export const ADMIN = { username: 'admin', password: 'Admin12345', name: '系统管理员' };

/** Runs the first-run set-up and returns the signed-in admin client. */
export async function setupAdmin(app: FastifyInstance): Promise<Client> {
  const c = new Client(app);
  const res = await c.post('/api/v1/setup', { companyName: '深圳市协同科技有限公司', timezone: 'Asia/Shanghai', admin: ADMIN });
  if (res.statusCode !== 201) throw new Error(`setup failed: ${res.statusCode} ${res.body}`);
  return c;
}

/** Signs in and returns a client holding the session. */
export async function loginAs(app: FastifyInstance, username: string, password: string): Promise<Client> {
  const c = new Client(app);
  const res = await c.post('/api/v1/auth/login', { username, password });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  return c;
}
