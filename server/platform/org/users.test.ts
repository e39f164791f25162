import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Department, User } from '@common/schemas/org';
import { Client, createTestApp, loginAs, setupAdmin, type TestApp } from '@server/test/app';
import { openTab } from '../realtime/test-tab';
import { PASSWORD, makePosition, makeUser, rootDepartment, signInFresh } from './testing';

const PORT = 18150;

let t: TestApp;
let admin: Client;
let root: Department;
beforeAll(async () => {
  t = await createTestApp();
  admin = await setupAdmin(t.app);
  root = await rootDepartment(admin);
});
afterAll(() => t.close());

const getUser = async (id: string): Promise<User> => (await admin.get(`/api/v1/users/${id}`)).json();

describe('users', () => {
  it('creates a user with a lower-cased username who must change the password at first sign-in', async () => {
    const res = await admin.post('/api/v1/users', {
      username: 'ZhaoLei',
      name: '赵磊',
      email: 'Zhao.Lei@Example.com',
      mobile: '13800138000',
      departmentId: root.id,
      password: PASSWORD,
    });
    expect(res.statusCode).toBe(201);
    const u = res.json();
    expect(u).toMatchObject({
      username: 'zhaolei',
      email: 'zhao.lei@example.com',
      departmentName: root.name,
      status: 'active',
      isAdmin: false,
      mustChangePassword: true,
      version: 1,
    });
    expect(JSON.stringify(u)).not.toContain('password');
    const c = await loginAs(t.app, 'zhaolei', PASSWORD);
    const blocked = await c.get('/api/v1/departments');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe('password_change_required');
    const row = await t.database.db.selectFrom('users').select(['password_hash']).where('id', '=', u.id).executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('refuses a duplicate username or email whatever the case (409 naming the field), storing nothing', async () => {
    const total = (await admin.get('/api/v1/users')).json().total;
    const dupName = await admin.post('/api/v1/users', {
      username: 'ZHAOLEI',
      name: '另一个赵磊',
      departmentId: root.id,
      password: PASSWORD,
    });
    expect(dupName.statusCode).toBe(409);
    expect(dupName.json()).toMatchObject({ code: 'duplicate', errors: [expect.objectContaining({ field: 'username' })] });
    const dupMail = await admin.post('/api/v1/users', {
      username: 'zl2',
      name: '赵磊二',
      email: 'ZHAO.LEI@example.COM',
      departmentId: root.id,
      password: PASSWORD,
    });
    expect(dupMail.statusCode).toBe(409);
    expect(dupMail.json().errors[0].field).toBe('email');
    // sign-in accepts username or email, so one user's username may not be another's email
    const crossed = await admin.post('/api/v1/users', {
      username: 'zhao.lei@example.com',
      name: '冒名',
      departmentId: root.id,
      password: PASSWORD,
    });
    expect(crossed.statusCode).toBe(409);
    expect((await admin.get('/api/v1/users')).json().total).toBe(total);
  });

  it('refuses a supervisor chain that loops back (validation.cycle on supervisorId)', async () => {
    const a = await makeUser(admin, { username: 'boss', name: '陈建国', departmentId: root.id });
    const b = await makeUser(admin, { username: 'middle', name: '李明辉', departmentId: root.id, supervisorId: a.id });
    const c = await makeUser(admin, { username: 'junior', name: '王志强', departmentId: root.id, supervisorId: b.id });
    expect(c.supervisorName).toBe('李明辉');
    for (const supervisorId of [c.id, b.id, a.id]) {
      const res = await admin.patch(`/api/v1/users/${a.id}`, { version: a.version, supervisorId });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0]).toMatchObject({ field: 'supervisorId', code: 'cycle' });
    }
    expect((await getUser(a.id)).supervisorId).toBeNull();
  });

  it('lists with filters, search, keyset pages and a total', async () => {
    const first = (await admin.get('/api/v1/users?limit=2')).json();
    expect(first.items).toHaveLength(2);
    expect(first.total).toBeGreaterThanOrEqual(5);
    const second = (await admin.get(`/api/v1/users?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items.map((u: User) => u.id)).not.toContain(first.items[0].id);
    expect((await admin.get('/api/v1/users?q=明辉')).json().items.map((u: User) => u.username)).toEqual(['middle']);
    expect((await admin.get('/api/v1/users?q=13800138')).json().items.map((u: User) => u.username)).toEqual(['zhaolei']);
    expect((await admin.get('/api/v1/users?q=%25')).json().total).toBe(0);
    const opts = (await admin.get('/api/v1/users/options?q=chen')).json().items;
    expect(opts).toEqual([]);
    expect((await admin.get('/api/v1/users/options?q=boss')).json().items).toEqual([
      { id: expect.any(String), name: '陈建国', username: 'boss', departmentName: root.name },
    ]);
  });
});

describe('status and passwords', () => {
  it('offers departed users in pickers only when asked for all (audit filters)', async () => {
    const gone = await makeUser(admin, { username: 'gone', name: '钱离职', departmentId: root.id });
    expect((await admin.post(`/api/v1/users/${gone.id}/status`, { status: 'left' })).statusCode).toBe(200);
    expect((await admin.get('/api/v1/users/options?q=gone')).json().items).toEqual([]);
    expect((await admin.get('/api/v1/users/options?q=gone&all=true')).json().items.map((u: { name: string }) => u.name)).toEqual([
      '钱离职',
    ]);
  });

  it('disabling a user ends their session at the next request and stops their API token', async () => {
    const u = await makeUser(admin, { username: 'liuyang', name: '刘洋', departmentId: root.id });
    const { client, password } = await signInFresh(t.app, 'liuyang');
    const token = (await client.post('/api/v1/api-tokens', { name: 'ERP 对接' })).json().token as string;
    const bearer = () => t.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    expect((await bearer()).statusCode).toBe(200);
    expect((await client.get('/api/v1/me')).statusCode).toBe(200);
    await t.app.listen({ port: PORT, host: '127.0.0.1' });
    const tab = await openTab(`ws://127.0.0.1:${PORT}/api/v1/realtime`, client.cookie);

    const res = await admin.post(`/api/v1/users/${u.id}/status`, { status: 'disabled' });
    expect(res.json()).toMatchObject({ status: 'disabled' });
    expect(await tab.next()).toEqual({ type: 'session_ended' }); // the open tab is told at once
    expect((await client.get('/api/v1/me')).statusCode).toBe(401);
    expect((await bearer()).statusCode).toBe(401);
    const again = await new Client(t.app).post('/api/v1/auth/login', { username: 'liuyang', password });
    expect(again.statusCode).toBe(403);
    expect(again.json().code).toBe('account_disabled');
    const history = (await admin.get(`/api/v1/audit/user/${u.id}`)).json().items;
    expect(history.find((e: { action: string }) => e.action === 'status')).toMatchObject({
      changes: { status: ['active', 'disabled'] },
      detail: expect.stringContaining('sessions ended: 1'),
    });

    await admin.post(`/api/v1/users/${u.id}/status`, { status: 'active' });
    expect((await loginAs(t.app, 'liuyang', password).then((c) => c.get('/api/v1/me'))).statusCode).toBe(200);
  });

  it('a user who left cannot sign in but is still there, with the date they left', async () => {
    const u = await makeUser(admin, { username: 'yangjing', name: '杨静', departmentId: root.id });
    const { password } = await signInFresh(t.app, 'yangjing');
    expect((await admin.post(`/api/v1/users/${u.id}/status`, { status: 'left' })).statusCode).toBe(200);
    const login = await new Client(t.app).post('/api/v1/auth/login', { username: 'yangjing', password });
    expect(login.statusCode).toBe(403);
    expect(await getUser(u.id)).toMatchObject({ username: 'yangjing', status: 'left' });
    const row = await t.database.db.selectFrom('users').select(['left_at']).where('id', '=', u.id).executeTakeFirstOrThrow();
    expect(row.left_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect((await admin.get('/api/v1/users?status=left')).json().items.map((x: User) => x.id)).toContain(u.id);
    expect((await admin.delete(`/api/v1/users/${u.id}`)).statusCode).toBe(404); // users are never deleted
  });

  it('an admin password reset ends the sessions and forces a change before anything else', async () => {
    const u = await makeUser(admin, { username: 'zhouting', name: '周婷', departmentId: root.id });
    const { client } = await signInFresh(t.app, 'zhouting');
    expect((await client.get('/api/v1/departments')).statusCode).toBe(403); // no org permission, but signed in
    const reset = await admin.post(`/api/v1/users/${u.id}/reset-password`, { password: 'Temp1234x' });
    expect(reset.statusCode).toBe(200);
    expect((await client.get('/api/v1/me')).statusCode).toBe(401);
    const fresh = await loginAs(t.app, 'zhouting', 'Temp1234x');
    expect((await fresh.get('/api/v1/me')).json().user.mustChangePassword).toBe(true);
    const blocked = await fresh.get('/api/v1/me/sessions');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe('password_change_required');
    expect((await fresh.post('/api/v1/me/password', { currentPassword: 'Temp1234x', newPassword: 'Mine5678y' })).statusCode).toBe(200);
    expect((await fresh.get('/api/v1/me/sessions')).statusCode).toBe(200);
    const weak = await admin.post(`/api/v1/users/${u.id}/reset-password`, { password: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().errors[0].field).toBe('password');
  });
});

describe('admin flag and field rules', () => {
  it('only an admin changes the admin flag (audited as a permission change); the last admin keeps it', async () => {
    const hr = await makePosition(admin, '人事专员', {
      modules: { org: { actions: ['view', 'create', 'edit'], scope: 'all' } },
      fields: {},
    });
    const clerk = await makeUser(admin, { username: 'luowen', name: '罗文', departmentId: root.id, positionId: hr.id });
    const { client } = await signInFresh(t.app, 'luowen');
    const me = (await client.get('/api/v1/me')).json().user;
    const self = await getUser(me.id);
    const promote = await client.patch(`/api/v1/users/${clerk.id}`, { version: self.version, isAdmin: true });
    expect(promote.statusCode).toBe(403);
    expect(promote.json().code).toBe('admin_required');
    const createAdmin = await client.post('/api/v1/users', {
      username: 'rogue',
      name: '某人',
      departmentId: root.id,
      isAdmin: true,
      password: PASSWORD,
    });
    expect(createAdmin.json().code).toBe('admin_required');
    // nor may a non-admin touch an admin account (that would be a way in)
    const adminId = (await admin.get('/api/v1/me')).json().user.id;
    const resetAdmin = await client.post(`/api/v1/users/${adminId}/reset-password`, { password: 'Hijack123x' });
    expect(resetAdmin.json().code).toBe('admin_required');
    // nor widen their own rights: their own position's matrix, or moving themselves to another position
    const ownMatrix = await client.put(`/api/v1/positions/${hr.id}/permissions`, {
      version: hr.version,
      permissions: { modules: { audit: { actions: ['view'], scope: 'all' } }, fields: {} },
    });
    expect(ownMatrix.json().code).toBe('admin_required');
    const boss = await makePosition(admin, '总经理', {
      modules: { org: { actions: ['view', 'create', 'edit', 'delete'], scope: 'all' } },
      fields: {},
    });
    const selfMove = await client.patch(`/api/v1/users/${clerk.id}`, { version: self.version, positionId: boss.id });
    expect(selfMove.json().code).toBe('admin_required');

    const ok = await admin.patch(`/api/v1/users/${clerk.id}`, { version: self.version, isAdmin: true });
    expect(ok.json().isAdmin).toBe(true);
    const audit = (await admin.get(`/api/v1/audit?entity=user&entityId=${clerk.id}&action=permission`)).json().items;
    expect(audit[0].changes).toEqual({ isAdmin: [false, true] });
    await admin.patch(`/api/v1/users/${clerk.id}`, { version: ok.json().version, isAdmin: false });
    const adminUser = await getUser(adminId);
    const last = await admin.patch(`/api/v1/users/${adminId}`, { version: adminUser.version, isAdmin: false });
    expect(last.statusCode).toBe(409);
    expect(last.json().code).toBe('last_admin');
  });

  it('hides mobile and refuses changing a read-only email for a position with those field rules; admins see all', async () => {
    const rules = await makePosition(admin, '行政助理', {
      modules: { org: { actions: ['view', 'edit'], scope: 'all' } },
      fields: { 'org.mobile': 'hidden', 'org.email': 'readonly' },
    });
    await makeUser(admin, { username: 'gaoya', name: '高雅', departmentId: root.id, positionId: rules.id });
    const { client } = await signInFresh(t.app, 'gaoya');
    const target = (await admin.get('/api/v1/users?q=zhaolei')).json().items[0] as User;
    expect(target.mobile).toBe('13800138000');

    const seen = (await client.get(`/api/v1/users/${target.id}`)).json();
    expect(seen).toMatchObject({ mobile: null, email: 'zhao.lei@example.com' });
    const listed = (await client.get('/api/v1/users')).json().items as User[];
    expect(listed.every((u) => u.mobile === null)).toBe(true);
    expect((await client.get('/api/v1/users?q=13800138')).json().total).toBe(0); // a hidden value cannot be probed

    const email = await client.patch(`/api/v1/users/${target.id}`, { version: target.version, email: 'other@example.com' });
    expect(email.statusCode).toBe(403);
    expect(email.json()).toMatchObject({ code: 'forbidden', errors: [expect.objectContaining({ field: 'email', code: 'readonly' })] });
    const mobile = await client.patch(`/api/v1/users/${target.id}`, { version: target.version, mobile: '13900000000' });
    expect(mobile.statusCode).toBe(403);
    expect(mobile.json().errors[0].field).toBe('mobile');
    // sending back what the form showed (null mobile, same email) changes only the name
    const edit = await client.patch(`/api/v1/users/${target.id}`, {
      version: target.version,
      name: '赵磊磊',
      mobile: null,
      email: 'zhao.lei@example.com',
    });
    expect(edit.statusCode).toBe(200);
    expect(edit.json()).toMatchObject({ name: '赵磊磊', mobile: null });
    expect(await getUser(target.id)).toMatchObject({ name: '赵磊磊', mobile: '13800138000', email: 'zhao.lei@example.com' });
  });

  it("limits the users an org manager sees and manages to the position's data scope", async () => {
    const branch = (await admin.post('/api/v1/departments', { name: '华南大区', parentId: root.id })).json();
    const shop = (await admin.post('/api/v1/departments', { name: '深圳销售一部', parentId: branch.id })).json();
    const other = (await admin.post('/api/v1/departments', { name: '华东大区', parentId: root.id })).json();
    const hr = await makePosition(admin, '大区人事', {
      modules: { org: { actions: ['view', 'create', 'edit'], scope: 'department_tree' } },
      fields: {},
    });
    await makeUser(admin, { username: 'hr.south', name: '周婷', departmentId: branch.id, positionId: hr.id });
    const inShop = await makeUser(admin, { username: 'rep.sz', name: '吴磊', departmentId: shop.id });
    const inOther = await makeUser(admin, { username: 'rep.sh', name: '郑爽', departmentId: other.id });
    const { client } = await signInFresh(t.app, 'hr.south');

    const list = (await client.get('/api/v1/users?limit=200')).json();
    const names = list.items.map((u: User) => u.username).sort();
    expect(names).toEqual(['hr.south', 'rep.sz']);
    expect(list.total).toBe(2);
    expect((await client.get(`/api/v1/users/${inShop.id}`)).statusCode).toBe(200);
    expect((await client.get(`/api/v1/users/${inOther.id}`)).statusCode).toBe(404);
    expect((await client.post(`/api/v1/users/${inOther.id}/status`, { status: 'disabled' })).statusCode).toBe(404);
    const outside = await client.post('/api/v1/users', { username: 'rep.new', name: '新人', departmentId: other.id, password: PASSWORD });
    expect(outside.statusCode).toBe(403);
    expect(outside.json().errors[0].field).toBe('departmentId');
    expect((await admin.get('/api/v1/users?q=rep.new')).json().total).toBe(0);
    const move = await client.patch(`/api/v1/users/${inShop.id}`, { version: inShop.version, departmentId: other.id });
    expect(move.statusCode).toBe(403);
    expect((await getUser(inShop.id)).departmentId).toBe(shop.id);
  });
});
