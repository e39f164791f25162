import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { nowIso, newId } from '@server/db/ids';
import { Client, createTestApp, loginAs, setupAdmin, type TestApp } from '@server/test/app';
import { createPosition, createUser, permissions, setPositionPermissions } from '@server/test/factories';

/** Security baseline: lockout, login rate limit, API tokens, CSRF, headers, cookies, no leaks in errors. */

const INTERNAL_SECRET = 'pg://internal:hunter2@db.internal/secret-table';

/** Fixture routes: an admin-only route and routes that fail the way real bugs do. */
async function fixtureRoutes(api: FastifyInstance) {
  api.get('/fixture/admin-only', { config: { access: 'admin' } }, async () => ({ ok: true }));
  api.get('/fixture/throws', { config: { access: 'public' } }, async () => {
    throw new Error(`connection to ${INTERNAL_SECRET} failed`);
  });
  api.get('/fixture/type-error', { config: { access: 'public' } }, async () => {
    const missing = undefined as unknown as { deep: { value: string } };
    return { value: missing.deep.value };
  });
  api.get('/fixture/bad-sql', { config: { access: 'public' } }, async () => {
    await api.ctx.db
      .selectFrom('no_such_secret_table' as 'users')
      .selectAll()
      .execute();
    return { ok: true };
  });
}

let t: TestApp;
let admin: Client;
beforeAll(async () => {
  t = await createTestApp({}, { plugins: [fixtureRoutes] });
  admin = await setupAdmin(t.app);
});
afterAll(() => t.close());

const login = (app: FastifyInstance, username: string, password: string, extra: Record<string, unknown> = {}, remoteAddress?: string) =>
  app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password, ...extra },
    headers: { 'x-requested-with': 'XMLHttpRequest' },
    remoteAddress,
  });

async function auditActions(userId: string): Promise<string[]> {
  const rows = await t.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', userId).orderBy('id').execute();
  return rows.map((r) => r.action);
}

describe('the database under test', () => {
  it('is the dialect the environment asks for', async () => {
    const res = await t.app.inject({ url: '/api/v1/health' });
    expect(res.json().database).toBe(process.env.TEST_DATABASE_URL ? 'postgres' : 'sqlite');
  });
});

describe('account lockout', () => {
  it('locks after five wrong passwords: 423 with minutes, the right password refused, a lock audited', async () => {
    const u = await createUser(t.database.db, { username: 'lock.me', email: 'lock.me@example.cn' });
    for (let i = 0; i < 5; i++) {
      const res = await login(t.app, u.username, 'WrongPass1');
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('invalid_credentials');
    }
    const locked = await login(t.app, u.username, u.password);
    expect(locked.statusCode).toBe(423);
    expect(locked.headers['content-type']).toContain('application/problem+json');
    expect(locked.json().code).toBe('account_locked');
    expect(locked.json().detail).toContain('15 分钟');
    // by email too: the lock belongs to the account, not to the name typed
    expect((await login(t.app, 'lock.me@example.cn', u.password)).statusCode).toBe(423);
    expect(await auditActions(u.id)).toEqual(expect.arrayContaining(['login_failed', 'lock']));
    expect((await auditActions(u.id)).filter((a) => a === 'login_failed').length).toBeGreaterThanOrEqual(5);
    const row = await t.database.db.selectFrom('users').select('locked_until').where('id', '=', u.id).executeTakeFirstOrThrow();
    const minutes = (Date.parse(row.locked_until!) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(14);
    expect(minutes).toBeLessThanOrEqual(15);
  });

  it('opens again when the lock has run out', async () => {
    const u = await createUser(t.database.db, { username: 'lock.expired' });
    await t.database.db
      .updateTable('users')
      .set({ locked_until: nowIso(new Date(Date.now() - 1000)) })
      .where('id', '=', u.id)
      .execute();
    expect((await login(t.app, u.username, u.password)).statusCode).toBe(200);
  });

  it('counts only failures of the last 15 minutes', async () => {
    const u = await createUser(t.database.db, { username: 'lock.window' });
    const old = nowIso(new Date(Date.now() - 16 * 60_000));
    for (let i = 0; i < 4; i++) await t.database.db.insertInto('login_failures').values({ id: newId(), user_id: u.id, at: old }).execute();
    for (let i = 0; i < 4; i++) expect((await login(t.app, u.username, 'WrongPass1')).statusCode).toBe(401);
    expect((await login(t.app, u.username, u.password)).statusCode).toBe(200);
  });

  it('answers an unknown user exactly like a wrong password', async () => {
    const a = await login(t.app, 'nobody.here', 'WrongPass1');
    const b = await login(t.app, 'admin', 'WrongPass1');
    expect(a.statusCode).toBe(b.statusCode);
    expect(a.json()).toEqual(b.json());
  });
});

describe('login rate limit per IP', () => {
  let limited: TestApp;
  beforeAll(async () => {
    limited = await createTestApp({ loginRateLimit: 3 });
    await setupAdmin(limited.app);
  });
  afterAll(() => limited.close());

  it('answers 429 after the configured number of attempts a minute, even with the right password', async () => {
    for (let i = 0; i < 3; i++) expect((await login(limited.app, 'admin', 'WrongPass1', {}, '10.0.0.7')).statusCode).toBe(401);
    const res = await login(limited.app, 'admin', 'Admin12345', {}, '10.0.0.7');
    expect(res.statusCode).toBe(429);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe('rate_limited');
    expect(res.cookies.find((c) => c.name === 'xt_session')).toBeUndefined();
  });

  it('still lets another address sign in', async () => {
    expect((await login(limited.app, 'admin', 'Admin12345', {}, '10.0.0.8')).statusCode).toBe(200);
  });
});

describe('API tokens', () => {
  let owner: Client;
  let positionId: string;
  let token: string;
  let tokenId: string;
  const bearer = (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${token}`, ...extra });

  beforeAll(async () => {
    positionId = await createPosition(t.database.db, { name: '集成账号' });
    const u = await createUser(t.database.db, { username: 'integration', positionId });
    owner = await loginAs(t.app, u.username, u.password);
    const res = await owner.post('/api/v1/api-tokens', { name: 'ERP 同步' });
    expect(res.statusCode).toBe(201);
    ({ token, id: tokenId } = res.json());
    expect(token).toMatch(/^xt_/);
  });

  it('authenticates as its user and needs no CSRF header for a state change', async () => {
    const me = await t.app.inject({ url: '/api/v1/me', headers: bearer() });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.username).toBe('integration');
    const patch = await t.app.inject({ method: 'PATCH', url: '/api/v1/me', payload: { name: '集成机器人' }, headers: bearer() });
    expect(patch.statusCode).toBe(200);
    expect(
      (await t.database.db.selectFrom('users').select('name').where('username', '=', 'integration').executeTakeFirstOrThrow()).name,
    ).toBe('集成机器人');
  });

  it("is limited to its user's permissions, following changes to the position", async () => {
    expect((await t.app.inject({ url: '/api/v1/fixture/admin-only', headers: bearer() })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/v1/audit', headers: bearer() })).statusCode).toBe(403);
    await setPositionPermissions(t.database.db, positionId, permissions({ audit: { actions: ['view'], scope: 'all' } }));
    expect((await t.app.inject({ url: '/api/v1/audit', headers: bearer() })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/v1/fixture/admin-only', headers: bearer() })).statusCode).toBe(403);
  });

  it('is never shown again: the list has the prefix only', async () => {
    const list = await owner.get('/api/v1/api-tokens');
    expect(list.body).not.toContain(token);
    expect(list.json().items).toEqual([expect.objectContaining({ id: tokenId, name: 'ERP 同步', prefix: token.slice(0, 8) })]);
    const row = await t.database.db.selectFrom('api_tokens').selectAll().where('id', '=', tokenId).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(token);
  });

  it('is refused once expired', async () => {
    await t.database.db
      .updateTable('api_tokens')
      .set({ expires_at: nowIso(new Date(Date.now() - 1000)) })
      .where('id', '=', tokenId)
      .execute();
    expect((await t.app.inject({ url: '/api/v1/me', headers: bearer() })).statusCode).toBe(401);
    await t.database.db.updateTable('api_tokens').set({ expires_at: null }).where('id', '=', tokenId).execute();
    expect((await t.app.inject({ url: '/api/v1/me', headers: bearer() })).statusCode).toBe(200);
  });

  it('stops working after revoke', async () => {
    expect((await owner.delete(`/api/v1/api-tokens/${tokenId}`)).statusCode).toBe(200);
    const res = await t.app.inject({ url: '/api/v1/me', headers: bearer() });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('unauthenticated');
    expect((await owner.get('/api/v1/api-tokens')).json().items).toEqual([]);
  });

  it("stops working when its user is disabled, and cannot touch another user's token", async () => {
    const other = await createUser(t.database.db, { username: 'token.other' });
    const c = await loginAs(t.app, other.username, other.password);
    const created = (await c.post('/api/v1/api-tokens', { name: '临时' })).json();
    expect((await owner.delete(`/api/v1/api-tokens/${created.id}`)).statusCode).toBe(404);
    const headers = { authorization: `Bearer ${created.token}` };
    expect((await t.app.inject({ url: '/api/v1/me', headers })).statusCode).toBe(200);
    await t.database.db.updateTable('users').set({ status: 'disabled' }).where('id', '=', other.id).execute();
    expect((await t.app.inject({ url: '/api/v1/me', headers })).statusCode).toBe(401);
  });
});

describe('CSRF defence on cookie sessions', () => {
  let c: Client;
  let userId: string;
  beforeAll(async () => {
    const u = await createUser(t.database.db, { username: 'csrf.victim', name: '原名' });
    userId = u.id;
    c = await loginAs(t.app, u.username, u.password);
  });
  const nameNow = async () =>
    (await t.database.db.selectFrom('users').select('name').where('id', '=', userId).executeTakeFirstOrThrow()).name;
  const send = (method: 'GET' | 'PATCH' | 'POST' | 'DELETE', url: string, headers: Record<string, string>, payload?: object) =>
    t.app.inject({ method, url, payload, headers: { cookie: c.cookie ?? '', host: 'crm.example.cn', ...headers } });

  it('refuses a state change with neither X-Requested-With nor an Origin (403 csrf) and changes nothing', async () => {
    for (const [method, url, payload] of [
      ['PATCH', '/api/v1/me', { name: '被改了' }],
      ['POST', '/api/v1/api-tokens', { name: 'evil' }],
      ['POST', '/api/v1/auth/logout', {}],
    ] as const) {
      const res = await send(method, url, {}, payload);
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.json().code).toBe('csrf');
    }
    expect(await nameNow()).toBe('原名');
    expect((await c.get('/api/v1/me')).statusCode).toBe(200);
    expect((await c.get('/api/v1/api-tokens')).json().items).toEqual([]);
  });

  it('refuses a foreign Origin', async () => {
    for (const origin of ['https://evil.example.com', 'http://crm.example.cn.evil.com', 'null']) {
      const res = await send('PATCH', '/api/v1/me', { origin }, { name: '被改了' });
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('csrf');
    }
    expect(await nameNow()).toBe('原名');
  });

  it('accepts its own Origin or the X-Requested-With header', async () => {
    expect((await send('PATCH', '/api/v1/me', { origin: 'http://crm.example.cn' }, { name: '同源' })).statusCode).toBe(200);
    expect(await nameNow()).toBe('同源');
    expect((await send('PATCH', '/api/v1/me', { 'x-requested-with': 'XMLHttpRequest' }, { name: '原名' })).statusCode).toBe(200);
    expect(await nameNow()).toBe('原名');
  });

  it('leaves reads alone', async () => {
    expect((await send('GET', '/api/v1/me', {})).statusCode).toBe(200);
  });
});

describe('session cookies', () => {
  it('a plain login sets an HttpOnly SameSite=Lax session cookie without Max-Age', async () => {
    const res = await login(t.app, 'admin', 'Admin12345');
    const cookie = res.cookies.find((x) => x.name === 'xt_session')!;
    expect(cookie).toBeDefined();
    expect(cookie.httpOnly).toBe(true);
    expect(String(cookie.sameSite).toLowerCase()).toBe('lax');
    expect(cookie.path).toBe('/');
    expect(cookie.maxAge).toBeUndefined();
    expect(cookie.expires).toBeUndefined();
  });

  it('remember me sets a persistent cookie (30 days) and the session is listed as remembered', async () => {
    const res = await login(t.app, 'admin', 'Admin12345', { remember: true });
    const cookie = res.cookies.find((x) => x.name === 'xt_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.maxAge).toBe(30 * 24 * 3600);
    const c = new Client(t.app);
    c.cookie = `xt_session=${cookie.value}`;
    const sessions = (await c.get('/api/v1/me/sessions')).json().items as { current: boolean; remember: boolean }[];
    expect(sessions.find((s) => s.current)?.remember).toBe(true);
  });

  it('refuses an expired session', async () => {
    const u = await createUser(t.database.db, { username: 'expired.session' });
    const c = await loginAs(t.app, u.username, u.password);
    await t.database.db
      .updateTable('sessions')
      .set({ expires_at: nowIso(new Date(Date.now() - 1000)) })
      .where('user_id', '=', u.id)
      .execute();
    expect((await c.get('/api/v1/me')).statusCode).toBe(401);
  });
});

describe('headers and error responses', () => {
  it('sends helmet headers with a content-security-policy on API responses and the docs page', async () => {
    for (const url of ['/api/v1/health', '/api/v1/me', '/api/docs/static/index.html']) {
      const res = await t.app.inject({ url });
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['content-security-policy'], url).toContain("default-src 'self'");
      expect(res.headers['content-security-policy'], url).toContain("object-src 'none'");
      // installs reached over plain http on the LAN must keep working: nothing is rewritten to https
      expect(res.headers['content-security-policy'], url).not.toContain('upgrade-insecure-requests');
      expect(res.headers['x-frame-options'], url).toBe('SAMEORIGIN');
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  const webIndex = fileURLToPath(new URL('../../../dist/web/index.html', import.meta.url));
  it.skipIf(!fs.existsSync(webIndex))('serves the web shell with a script-src CSP (when the web app is built)', async () => {
    const w = await createTestApp({}, { web: true });
    try {
      for (const url of ['/', '/login', '/org/users']) {
        const res = await w.app.inject({ url });
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toContain('text/html');
        expect(res.headers['content-security-policy']).toContain("script-src 'self'");
        expect(res.headers['x-content-type-options']).toBe('nosniff');
      }
      const api = await w.app.inject({ url: '/api/v1/no-such-route' });
      expect(api.statusCode).toBe(404);
      expect(api.headers['content-type']).toContain('application/problem+json');
    } finally {
      await w.close();
    }
  });

  it.each([['/api/v1/fixture/throws'], ['/api/v1/fixture/type-error'], ['/api/v1/fixture/bad-sql']])(
    'answers a failure in %s with a bare 500 problem: no stack, no internal message',
    async (url) => {
      const res = await t.app.inject({ url });
      expect(res.statusCode).toBe(500);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const body = res.json();
      expect(body).toEqual({
        type: expect.any(String),
        title: expect.any(String),
        status: 500,
        detail: expect.any(String),
        code: 'internal',
      });
      for (const leak of ['hunter2', 'secret', 'stack', 'no_such', 'deep', 'TypeError', '.ts', 'node_modules', '    at ']) {
        expect(res.body).not.toContain(leak);
      }
    },
  );

  it('answers an unknown API path with a 404 problem', async () => {
    const res = await admin.get('/api/v1/definitely-not-here');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe('not_found');
  });
});
