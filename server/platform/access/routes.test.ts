import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, HTTPMethods, RouteOptions } from 'fastify';
import { ACTIONS, findModule } from '@common/permissions';
import { Client, createTestApp, loginAs, setupAdmin, type TestApp } from '@server/test/app';
import { concreteUrl, createPosition, createUser, routeTable, type RouteEntry } from '@server/test/factories';
import type { AccessRule } from './types';

/**
 * Walks the whole route table, so routes that modules add later are covered without editing this
 * file: every route declares a valid access rule, and nothing but a public route answers a caller
 * who has not signed in.
 */

function isValidRule(rule: unknown): rule is AccessRule {
  if (rule === 'public' || rule === 'user' || rule === 'admin') return true;
  if (!rule || typeof rule !== 'object') return false;
  const r = rule as { module?: unknown; action?: unknown };
  return typeof r.module === 'string' && (ACTIONS as readonly unknown[]).includes(r.action);
}

/** Routes whose `config.access` is missing or not one of the known rule shapes. */
function routesWithoutAccess(entries: RouteEntry[]): string[] {
  return entries.filter((e) => !isValidRule(e.route.config?.access)).map((e) => `${e.method} ${e.url}`);
}

async function call(app: FastifyInstance, method: string, url: string, headers: Record<string, string>) {
  return app.inject({
    method: method as HTTPMethods,
    url: concreteUrl(url),
    headers: { 'x-requested-with': 'XMLHttpRequest', ...headers },
  });
}

let t: TestApp;
const collected: RouteOptions[] = [];
let entries: RouteEntry[];
let admin: Client;
let nobody: Client;

beforeAll(async () => {
  t = await createTestApp({}, { onRoute: (r) => collected.push(r) });
  entries = routeTable(collected);
  admin = await setupAdmin(t.app);
  // a signed-in user with no position: no functional permission at all
  const plain = await createUser(t.database.db, {
    username: 'plain.user',
    positionId: await createPosition(t.database.db, { name: '无权限' }),
  });
  nobody = await loginAs(t.app, plain.username, plain.password);
});
afterAll(() => t.close());

describe('route table', () => {
  it('has the platform routes (the walk sees the real table)', () => {
    const urls = entries.map((e) => `${e.method} ${e.url}`);
    expect(urls).toEqual(expect.arrayContaining(['GET /api/v1/health', 'POST /api/v1/auth/login', 'GET /api/v1/me', 'GET /api/v1/audit']));
    expect(entries.length).toBeGreaterThan(15);
  });

  it('gives every route an explicit access rule', () => {
    expect(routesWithoutAccess(entries)).toEqual([]);
  });

  it('names only modules and actions that the permission registry declares', () => {
    const bad = entries
      .map((e) => ({ e, rule: e.route.config?.access }))
      .filter(({ rule }) => rule && typeof rule === 'object')
      .filter(({ rule }) => {
        const r = rule as { module: string; action: (typeof ACTIONS)[number] };
        const mod = findModule(r.module);
        return !mod || !mod.actions.includes(r.action);
      })
      .map(({ e }) => `${e.method} ${e.url}`);
    expect(bad).toEqual([]);
  });

  it('answers 401 to a caller without a session on every non-public route', async () => {
    const wrong: string[] = [];
    for (const e of entries.filter((x) => x.route.config?.access !== 'public')) {
      const res = await call(t.app, e.method, e.url, {});
      if (res.statusCode !== 401) wrong.push(`${e.method} ${e.url} → ${res.statusCode}`);
      else if (e.method !== 'HEAD') expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect(wrong).toEqual([]);
  });

  it('answers 401 to a forged session cookie and an unknown bearer token', async () => {
    const wrong: string[] = [];
    for (const e of entries.filter((x) => x.route.config?.access !== 'public')) {
      for (const headers of [{ cookie: 'xt_session=forged-session-token' }, { authorization: 'Bearer xt_not-a-real-token' }] as Record<
        string,
        string
      >[]) {
        const res = await call(t.app, e.method, e.url, headers);
        if (res.statusCode !== 401) wrong.push(`${e.method} ${e.url} ${Object.keys(headers)[0]} → ${res.statusCode}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('refuses admin-only and permission routes (403) to a signed-in user without those rights', async () => {
    const wrong: string[] = [];
    for (const e of entries) {
      const rule = e.route.config?.access;
      if (rule === 'public' || rule === 'user') continue;
      const res = await call(t.app, e.method, e.url, { cookie: nobody.cookie ?? '' });
      if (res.statusCode !== 403) wrong.push(`${e.method} ${e.url} → ${res.statusCode}`);
      else if (e.method !== 'HEAD') expect(res.json().code).toBe(rule === 'admin' ? 'admin_required' : 'forbidden');
    }
    expect(wrong).toEqual([]);
  });

  it('never answers 500 to a signed-in admin calling any GET route with sample params', async () => {
    const wrong: string[] = [];
    for (const e of entries.filter((x) => x.method === 'GET' && !x.route.websocket)) {
      const res = await call(t.app, e.method, e.url, { cookie: admin.cookie ?? '' });
      if (res.statusCode >= 500) wrong.push(`${e.method} ${e.url} → ${res.statusCode} ${res.body.slice(0, 200)}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('a route that forgets its access rule', () => {
  let bad: TestApp;
  const badRoutes: RouteOptions[] = [];
  beforeAll(async () => {
    bad = await createTestApp(
      {},
      {
        onRoute: (r) => badRoutes.push(r),
        plugins: [async (api) => void api.get('/fixture/forgotten', async () => ({ leaked: true }))],
      },
    );
  });
  afterAll(() => bad.close());

  it('is named by the walk', () => {
    expect(routesWithoutAccess(routeTable(badRoutes))).toEqual(['GET /api/v1/fixture/forgotten', 'HEAD /api/v1/fixture/forgotten']);
  });

  it('is refused at run time even for the admin', async () => {
    const a = await setupAdmin(bad.app);
    const res = await a.get('/api/v1/fixture/forgotten');
    expect(res.statusCode).toBe(403);
    expect(res.body).not.toContain('leaked');
  });
});
