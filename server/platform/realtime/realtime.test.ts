import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '@server/app';
import { createTestApp, loginAs, setupAdmin, ADMIN, type TestApp } from '@server/test/app';
import { createUser } from '@server/test/factories';
import { createRealtimeHub, CLOSE_SESSION_ENDED } from './realtime.hub';
import { openTab as open } from './test-tab';

let t: TestApp;
let url: string;
let adminCookie: string;
let adminId: string;
const PORT = 18210;

beforeAll(async () => {
  t = await createTestApp();
  const admin = await setupAdmin(t.app);
  adminCookie = admin.cookie!;
  adminId = (await admin.get('/api/v1/me')).json().user.id;
  await t.app.listen({ port: PORT, host: '127.0.0.1' });
  url = `ws://127.0.0.1:${PORT}/api/v1/realtime`;
});
afterAll(() => t.close());

describe('realtime WebSocket', () => {
  it('delivers an event to every open tab of the user and to nobody else', async () => {
    const u = await createUser(t.app.ctx.db, { username: 'sales1' });
    const other = await loginAs(t.app, u.username, u.password);
    const [tab1, tab2, stranger] = await Promise.all([open(url, adminCookie), open(url, adminCookie), open(url, other.cookie)]);
    expect(t.app.ctx.realtime.connectionCount(adminId)).toBe(2);

    await t.app.ctx.realtime.publish(adminId, { type: 'customer.updated', data: { id: 'c1' } });
    expect(await tab1.next()).toEqual({ type: 'customer.updated', data: { id: 'c1' } });
    expect(await tab2.next()).toEqual({ type: 'customer.updated', data: { id: 'c1' } });

    // the other user's first message is the one meant for them
    await t.app.ctx.realtime.publish(u.id, { type: 'ping.you' });
    expect(await stranger.next()).toEqual({ type: 'ping.you' });

    for (const tab of [tab1, tab2, stranger]) tab.ws.close();
    await Promise.all([tab1.closed, tab2.closed, stranger.closed]);
    await expect.poll(() => t.app.ctx.realtime.connectionCount()).toBe(0);
  });

  it('refuses the upgrade without a valid session', async () => {
    await expect(open(url)).rejects.toThrow('HTTP 401');
    await expect(open(url, 'xt_session=not-a-real-session')).rejects.toThrow('HTTP 401');
  });

  it('ends the sockets of one session, or of every session of a user, with session_ended', async () => {
    const second = await loginAs(t.app, ADMIN.username, ADMIN.password);
    const [a1, a2, b1] = await Promise.all([open(url, adminCookie), open(url, adminCookie), open(url, second.cookie)]);
    const sessionA = await t.app.ctx.db
      .selectFrom('sessions')
      .select('id')
      .where('user_id', '=', adminId)
      .orderBy('created_at')
      .executeTakeFirstOrThrow();

    await t.app.ctx.realtime.disconnectSession(sessionA.id);
    expect(await a1.next()).toEqual({ type: 'session_ended' });
    expect(await a2.next()).toEqual({ type: 'session_ended' });
    expect(await a1.closed).toBe(CLOSE_SESSION_ENDED);
    await a2.closed;
    // the other session's tab stays connected
    await t.app.ctx.realtime.publish(adminId, { type: 'still.here' });
    expect(await b1.next()).toEqual({ type: 'still.here' });

    await t.app.ctx.realtime.disconnectUser(adminId);
    expect(await b1.next()).toEqual({ type: 'session_ended' });
    expect(await b1.closed).toBe(CLOSE_SESSION_ENDED);
    expect(t.app.ctx.realtime.connectionCount(adminId)).toBe(0);
  });
});

describe('heartbeat', () => {
  it('ends a socket whose session no longer exists, even if nobody disconnected it', async () => {
    const u = await createUser(t.app.ctx.db, { username: 'hb-user' });
    const c = await loginAs(t.app, u.username, u.password);
    const session = await t.app.ctx.db.selectFrom('sessions').select('id').where('user_id', '=', u.id).executeTakeFirstOrThrow();
    // a hub of its own with a fast heartbeat, on a bare ws server
    const hub = createRealtimeHub({ db: t.app.ctx.db, heartbeatMs: 100 });
    const wss = new WebSocketServer({ port: PORT + 1, host: '127.0.0.1' });
    wss.on('connection', (socket) => hub.add(socket, { userId: u.id, sessionId: session.id }));
    try {
      const tab = await open(`ws://127.0.0.1:${PORT + 1}`, c.cookie);
      await hub.publish(u.id, { type: 'hello' });
      expect(await tab.next()).toEqual({ type: 'hello' });
      await t.app.ctx.db.deleteFrom('sessions').where('id', '=', session.id).execute();
      expect(await tab.next()).toEqual({ type: 'session_ended' });
      expect(await tab.closed).toBe(CLOSE_SESSION_ENDED);
    } finally {
      await hub.close();
      await new Promise((res) => wss.close(res));
    }
  });
});

const redisUp = await new Promise<boolean>((resolve) => {
  const s = net.connect({ host: '127.0.0.1', port: 6379 });
  s.setTimeout(500);
  s.on('connect', () => (s.destroy(), resolve(true)));
  s.on('error', () => resolve(false));
  s.on('timeout', () => (s.destroy(), resolve(false)));
});

describe.skipIf(!redisUp)('realtime across two instances through Redis', () => {
  let r: TestApp;
  let second: FastifyInstance;

  beforeAll(async () => {
    r = await createTestApp({ redisUrl: 'redis://127.0.0.1:6379' });
    await setupAdmin(r.app);
    second = await buildApp(r.config, { database: r.database, web: false, migrate: false });
    await Promise.all([r.app.listen({ port: PORT + 2, host: '127.0.0.1' }), second.listen({ port: PORT + 3, host: '127.0.0.1' })]);
    await Promise.all([r.app.ctx.realtime.ready, second.ctx.realtime.ready]);
  });
  afterAll(async () => {
    await second?.close();
    await r?.close();
  });

  it('delivers what one instance publishes to tabs connected to the other, and disconnects there too', async () => {
    const c = await loginAs(r.app, ADMIN.username, ADMIN.password);
    const userId = (await c.get('/api/v1/me')).json().user.id as string;
    const onFirst = await open(`ws://127.0.0.1:${PORT + 2}/api/v1/realtime`, c.cookie);
    const onSecond = await open(`ws://127.0.0.1:${PORT + 3}/api/v1/realtime`, c.cookie);
    expect(r.app.ctx.realtime.connectionCount(userId)).toBe(1);
    expect(second.ctx.realtime.connectionCount(userId)).toBe(1);

    await r.app.ctx.realtime.publish(userId, { type: 'deal.won', data: { amount: 100 } });
    expect(await onSecond.next()).toEqual({ type: 'deal.won', data: { amount: 100 } });
    // published once, delivered once per tab (not once locally and again through Redis)
    await second.ctx.realtime.publish(userId, { type: 'marker' });
    expect(await onFirst.next()).toEqual({ type: 'deal.won', data: { amount: 100 } });
    expect(await onFirst.next()).toEqual({ type: 'marker' });
    expect(await onSecond.next()).toEqual({ type: 'marker' });

    await r.app.ctx.realtime.disconnectUser(userId);
    expect(await onSecond.next()).toEqual({ type: 'session_ended' });
    expect(await onSecond.closed).toBe(CLOSE_SESSION_ENDED);
    expect(await onFirst.closed).toBe(CLOSE_SESSION_ENDED);
  });
});
