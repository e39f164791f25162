import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginAs, setupAdmin, type Client, type TestApp } from '@server/test/app';
import { createUser, type CreatedUser } from '@server/test/factories';
import { openTab } from '../realtime/test-tab';
import { notify } from './notify.service';
import { inTransaction } from './transaction';

const PORT = 18220;
let t: TestApp;
let admin: Client;
let alice: CreatedUser;
let bob: CreatedUser;
let aliceClient: Client;
let bobClient: Client;
const url = `ws://127.0.0.1:${PORT}/api/v1/realtime`;

beforeAll(async () => {
  t = await createTestApp();
  admin = await setupAdmin(t.app);
  alice = await createUser(t.app.ctx.db, { username: 'alice', name: '王丽' });
  bob = await createUser(t.app.ctx.db, { username: 'bob', name: '李强' });
  aliceClient = await loginAs(t.app, alice.username, alice.password);
  bobClient = await loginAs(t.app, bob.username, bob.password);
  await t.app.listen({ port: PORT, host: '127.0.0.1' });
});
afterAll(() => t.close());

describe('notify()', () => {
  it('stores one row per recipient and pushes it to their open tabs', async () => {
    const [aliceTab, bobTab] = await Promise.all([openTab(url, aliceClient.cookie), openTab(url, bobClient.cookie)]);
    const sent = await notify(t.app.ctx, [alice.id, bob.id, alice.id], {
      type: 'approval.requested',
      title: '报价单 Q-2026-001 待审批',
      body: '金额 ¥12,800.00',
      link: '/quotes/q1',
      data: { quoteId: 'q1' },
    });
    expect(sent).toHaveLength(2);
    const pushed = await aliceTab.next();
    expect(pushed).toEqual({
      type: 'notification',
      data: {
        id: sent[0].id,
        type: 'approval.requested',
        title: '报价单 Q-2026-001 待审批',
        body: '金额 ¥12,800.00',
        link: '/quotes/q1',
        data: { quoteId: 'q1' },
        readAt: null,
        createdAt: sent[0].createdAt,
      },
    });
    expect((await bobTab.next()).data).toMatchObject({ id: sent[1].id, title: '报价单 Q-2026-001 待审批' });
    aliceTab.ws.close();
    bobTab.ws.close();
  });

  it('inside a transaction, pushes only after the commit, and nothing when it rolls back', async () => {
    const tab = await openTab(url, aliceClient.cookie);
    await inTransaction(t.app.ctx.db, async (tx) => {
      await notify(t.app.ctx, [alice.id], { type: 'task.assigned', title: '新任务：回访客户' }, tx);
      await new Promise((res) => setTimeout(res, 100));
      expect(tab.queued()).toBe(0);
    });
    expect((await tab.next()).data).toMatchObject({ type: 'task.assigned', title: '新任务：回访客户', body: null, link: null, data: null });

    await expect(
      inTransaction(t.app.ctx.db, async (tx) => {
        await notify(t.app.ctx, [alice.id], { type: 'task.assigned', title: '不应出现' }, tx);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await expect(tab.next(300)).rejects.toThrow('no message');
    const stored = await t.app.ctx.db.selectFrom('notifications').select('id').where('title', '=', '不应出现').execute();
    expect(stored).toEqual([]);
    tab.ws.close();
  });

  it('refuses a transaction it cannot follow to its commit', async () => {
    await expect(t.app.ctx.db.transaction().execute((tx) => notify(t.app.ctx, [alice.id], { type: 'x', title: 'x' }, tx))).rejects.toThrow(
      /inTransaction/,
    );
  });
});

describe('notification routes', () => {
  it("lists one's own notifications with the unread count, newest first, paged", async () => {
    const res = await aliceClient.get('/api/v1/notifications?limit=2');
    expect(res.statusCode).toBe(200);
    const page = res.json();
    expect(page.unread).toBe(2);
    expect(page.items.map((n: { title: string }) => n.title)).toEqual(['新任务：回访客户', '报价单 Q-2026-001 待审批']);
    expect(page.nextCursor).toBeNull();
    const one = (await aliceClient.get('/api/v1/notifications?limit=1')).json();
    expect(one.nextCursor).toBe(one.items[0].id);
    const rest = (await aliceClient.get(`/api/v1/notifications?limit=1&cursor=${one.nextCursor}`)).json();
    expect(rest.items[0].title).toBe('报价单 Q-2026-001 待审批');
    expect((await bobClient.get('/api/v1/notifications')).json().items).toHaveLength(1);
    expect((await admin.get('/api/v1/notifications')).json()).toEqual({ items: [], nextCursor: null, unread: 0 });
  });

  it('marks one read, tells the other tabs, and treats another user’s notification as absent', async () => {
    const [newest, older] = (await aliceClient.get('/api/v1/notifications')).json().items;
    const bobs = (await bobClient.get('/api/v1/notifications')).json().items[0];
    const tab = await openTab(url, aliceClient.cookie);

    expect((await aliceClient.post(`/api/v1/notifications/${bobs.id}/read`)).statusCode).toBe(404);
    expect((await aliceClient.post('/api/v1/notifications/bad-id/read')).statusCode).toBe(400);
    const res = await aliceClient.post(`/api/v1/notifications/${older.id}/read`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: older.id, readAt: expect.any(String), unread: 1 });
    expect(await tab.next()).toEqual({ type: 'notifications_read', data: { ids: [older.id], unread: 1 } });

    const unread = (await aliceClient.get('/api/v1/notifications?unread=true')).json();
    expect(unread.items.map((n: { id: string }) => n.id)).toEqual([newest.id]);
    expect((await aliceClient.get('/api/v1/notifications?unread=maybe')).statusCode).toBe(400);
    // Bob's stays unread
    expect((await bobClient.get('/api/v1/notifications')).json().unread).toBe(1);
    tab.ws.close();
  });

  it("read-all marks only one's own", async () => {
    const res = await aliceClient.post('/api/v1/notifications/read-all');
    expect(res.json()).toEqual({ updated: 1, unread: 0 });
    expect((await aliceClient.get('/api/v1/notifications')).json().unread).toBe(0);
    expect((await bobClient.get('/api/v1/notifications')).json().unread).toBe(1);
  });

  it('needs a signed-in user', async () => {
    const anon = await t.app.inject({ method: 'GET', url: '/api/v1/notifications' });
    expect(anon.statusCode).toBe(401);
  });
});
