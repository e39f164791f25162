import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, Client, createTestApp, loginAs, setupAdmin, type TestApp } from '@server/test/app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('first-run set-up and sign-in', () => {
  it('reports health without signing in', async () => {
    const res = await t.app.inject({ url: '/api/v1/health' });
    expect(res.json()).toEqual({ status: 'ok', database: t.database.dialect });
  });

  it('needs set-up until the first admin exists, then refuses a second one', async () => {
    const anon = new Client(t.app);
    expect((await anon.get('/api/v1/setup')).json()).toEqual({ needed: true });
    const admin = await setupAdmin(t.app);
    const me = (await admin.get('/api/v1/me')).json();
    expect(me.user).toMatchObject({ username: 'admin', isAdmin: true });
    expect(me.company).toEqual({ name: '深圳市协同科技有限公司', timezone: 'Asia/Shanghai' });
    expect((await anon.get('/api/v1/setup')).json()).toEqual({ needed: false });
    const again = await anon.post('/api/v1/setup', { companyName: 'X', timezone: 'Asia/Shanghai', admin: { ...ADMIN, username: 'other' } });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('already_set_up');
  });

  it('rejects a cookie-less state change without the CSRF header or own origin', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: ADMIN.password } });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('csrf');
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'admin', password: ADMIN.password },
      headers: { origin: 'http://localhost:80', host: 'localhost:80' },
    });
    expect(ok.statusCode).toBe(200);
  });

  it('signs in by username, answers /me, signs out and the cookie stops working', async () => {
    const c = await loginAs(t.app, 'ADMIN', ADMIN.password);
    expect((await c.get('/api/v1/me')).statusCode).toBe(200);
    const cookie = c.cookie;
    expect((await c.post('/api/v1/auth/logout')).statusCode).toBe(200);
    const stale = new Client(t.app);
    stale.cookie = cookie;
    const res = await stale.get('/api/v1/me');
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('answers errors in the caller language', async () => {
    const anon = new Client(t.app);
    const zh = await anon.get('/api/v1/me');
    expect(zh.json().title).toBe('请先登录');
    const en = await anon.get('/api/v1/me', { 'accept-language': 'en-US,en;q=0.9' });
    expect(en.json().title).toBe('Please sign in');
  });
});
