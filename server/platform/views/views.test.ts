import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SavedView } from '@common/schemas/views';
import { createTestApp, loginAs, setupAdmin, type Client, type TestApp } from '@server/test/app';
import { createUser } from '@server/test/factories';

/** Saved list views: mine and shared, changed only by their owner or an admin, with the version. */

let t: TestApp;
let admin: Client;
let zhang: Client;
let li: Client;

const config = {
  filters: [
    { field: 'stage', op: 'eq', value: '意向' },
    { field: 'custom.level', op: 'in', value: ['A', 'B'] },
  ],
  columns: ['name', 'owner', 'custom.level'],
  sort: { field: 'updatedAt', order: 'desc' },
  q: '科技',
};

async function create(c: Client, body: Record<string, unknown>): Promise<SavedView> {
  const res = await c.post('/api/v1/saved-views', { entity: 'customer', config, ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
const names = async (c: Client, entity = 'customer') =>
  ((await c.get(`/api/v1/saved-views?entity=${entity}`)).json().items as SavedView[]).map((v) => v.name);

beforeAll(async () => {
  t = await createTestApp();
  admin = await setupAdmin(t.app);
  const z = await createUser(t.database.db, { username: 'zhang.san', name: '张三' });
  const l = await createUser(t.database.db, { username: 'li.si', name: '李四' });
  zhang = await loginAs(t.app, z.username, z.password);
  li = await loginAs(t.app, l.username, l.password);
});
afterAll(() => t.close());

describe('saved views', () => {
  it('keeps a view with its filters, columns, sort and search, visible to its owner only', async () => {
    const v = await create(zhang, { name: '我的意向客户' });
    expect(v).toMatchObject({ name: '我的意向客户', shared: false, mine: true, ownerName: '张三', config, version: 1 });
    expect(await names(zhang)).toEqual(['我的意向客户']);
    expect(await names(li)).toEqual([]);
    expect(await names(zhang, 'lead')).toEqual([]);
  });

  it('shows shared views to everyone after their own, and lets anyone share', async () => {
    await create(li, { name: '华南大客户', shared: true });
    await create(li, { name: '李四私有' });
    const mine = await create(zhang, { name: 'A 类客户' });
    expect(await names(zhang)).toEqual(['A 类客户', '我的意向客户', '华南大客户']);
    const items = (await admin.get('/api/v1/saved-views?entity=customer')).json().items as SavedView[];
    expect(items.map((v) => [v.name, v.mine, v.ownerName])).toEqual([['华南大客户', false, '李四']]);
    expect(mine.shared).toBe(false);
  });

  it('refuses a second view of the same name for the same owner and list', async () => {
    const res = await zhang.post('/api/v1/saved-views', { entity: 'customer', name: 'A 类客户', config });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ field: 'name', code: 'duplicate' });
    // another user, or another list, may use it
    await create(li, { name: 'A 类客户' });
    await create(zhang, { name: 'A 类客户', entity: 'lead' });
  });

  it('refuses a malformed config naming the field', async () => {
    for (const [bad, field] of [
      [{ ...config, filters: [{ field: 'stage', op: 'like', value: 'x' }] }, 'config.filters.0.op'],
      [{ ...config, sort: { field: 'name', order: 'up' } }, 'config.sort.order'],
      [{ filters: [] }, 'config.columns'],
    ] as const) {
      const res = await zhang.post('/api/v1/saved-views', { entity: 'customer', name: '坏视图', config: bad });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });

  it('lets the owner rename, reshare and reconfigure with the version; a stale write gets 409', async () => {
    const v = await create(zhang, { name: '待改名' });
    const res = await zhang.patch(`/api/v1/saved-views/${v.id}`, {
      version: 1,
      name: '已改名',
      shared: true,
      config: { filters: [], columns: ['name'] },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ name: '已改名', shared: true, version: 2, config: { filters: [], columns: ['name'] } });
    expect((await zhang.patch(`/api/v1/saved-views/${v.id}`, { version: 1, name: '再改' })).statusCode).toBe(409);
    expect(await names(li)).toContain('已改名');
    const audit = await t.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', v.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['create', 'update']);
  });

  it('refuses others: a shared view is read-only to them (403), a private one does not exist (404); an admin may change a shared one', async () => {
    const shared = await create(zhang, { name: '共享给大家', shared: true });
    const secret = await create(zhang, { name: '不公开' });
    expect((await li.patch(`/api/v1/saved-views/${shared.id}`, { version: 1, name: '抢过来' })).statusCode).toBe(403);
    expect((await li.delete(`/api/v1/saved-views/${shared.id}`)).statusCode).toBe(403);
    expect((await li.patch(`/api/v1/saved-views/${secret.id}`, { version: 1, name: '偷看' })).statusCode).toBe(404);
    expect((await li.delete(`/api/v1/saved-views/${secret.id}`)).statusCode).toBe(404);
    const res = await admin.patch(`/api/v1/saved-views/${shared.id}`, { version: 1, shared: false });
    expect(res.statusCode, res.body).toBe(200);
    expect(await names(li)).not.toContain('共享给大家');
  });

  it('deletes a view (owner), with the version when given', async () => {
    const v = await create(zhang, { name: '临时' });
    expect((await zhang.delete(`/api/v1/saved-views/${v.id}?version=9`)).statusCode).toBe(409);
    expect((await zhang.delete(`/api/v1/saved-views/${v.id}?version=1`)).statusCode).toBe(204);
    expect(await names(zhang)).not.toContain('临时');
    expect((await zhang.delete(`/api/v1/saved-views/${v.id}`)).statusCode).toBe(404);
    // the name is free again
    await create(zhang, { name: '临时' });
  });
});
