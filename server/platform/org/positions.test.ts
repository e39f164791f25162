import type { PositionPermissions } from '@common/permissions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, setupAdmin, type Client, type TestApp } from '@server/test/app';
import { makePosition, makeUser, PASSWORD, rootDepartment, signInFresh } from './testing';

let t: TestApp;
let admin: Client;
beforeAll(async () => {
  t = await createTestApp();
  admin = await setupAdmin(t.app);
});
afterAll(() => t.close());

describe('positions', () => {
  it('validates the permission matrix against the module registry, naming the field, storing nothing', async () => {
    const p = await makePosition(admin, '销售经理');
    const cases: [unknown, string][] = [
      [{ modules: { crm: { actions: ['view'], scope: 'all' } }, fields: {} }, 'permissions.modules.crm'],
      [{ modules: { org: { actions: ['view', 'approve'], scope: 'all' } }, fields: {} }, 'permissions.modules.org.actions.1'],
      [{ modules: { org: { actions: ['view'], scope: 'galaxy' } }, fields: {} }, 'permissions.modules.org.scope'],
      [{ modules: {}, fields: { 'org.salary': 'hidden' } }, 'permissions.fields.org.salary'],
      [{ modules: {}, fields: { 'org.mobile': 'writeonly' } }, 'permissions.fields.org.mobile'],
    ];
    for (const [permissions, field] of cases) {
      const res = await admin.put(`/api/v1/positions/${p.id}/permissions`, { version: p.version, permissions });
      expect(res.statusCode, field).toBe(400);
      expect(res.json().errors[0].field).toBe(field);
    }
    const after = (await admin.get(`/api/v1/positions/${p.id}`)).json();
    expect(after).toMatchObject({ version: 1, permissions: { modules: {}, fields: {} } });
  });

  it('saves a valid matrix with an audit entry (action permission, before and after); a stale version is 409', async () => {
    const p = (await admin.get('/api/v1/positions')).json().items.find((x: { name: string }) => x.name === '销售经理');
    const permissions = {
      modules: { org: { actions: ['edit', 'view', 'view'], scope: 'department' } },
      fields: { 'org.mobile': 'readonly' },
    };
    const res = await admin.put(`/api/v1/positions/${p.id}/permissions`, { version: p.version, permissions });
    expect(res.statusCode).toBe(200);
    const normalised = { modules: { org: { actions: ['view', 'edit'], scope: 'department' } }, fields: { 'org.mobile': 'readonly' } };
    expect(res.json()).toMatchObject({ version: p.version + 1, permissions: normalised });
    const audit = (await admin.get(`/api/v1/audit?entity=position&entityId=${p.id}&action=permission`)).json().items;
    expect(audit).toHaveLength(1);
    expect(audit[0].changes.permissions).toEqual([{ modules: {}, fields: {} }, normalised]);
    const stale = await admin.put(`/api/v1/positions/${p.id}/permissions`, { version: p.version, permissions });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('stale_version');
  });

  it('has a parent position, refuses a parent loop, and refuses deleting a position users hold', async () => {
    const director = await makePosition(admin, '销售总监');
    const manager = (await admin.get('/api/v1/positions')).json().items.find((x: { name: string }) => x.name === '销售经理');
    const child = await admin.patch(`/api/v1/positions/${manager.id}`, { version: manager.version, parentId: director.id });
    expect(child.json()).toMatchObject({ parentId: director.id });
    const loop = await admin.patch(`/api/v1/positions/${director.id}`, { version: director.version, parentId: manager.id });
    expect(loop.statusCode).toBe(400);
    expect(loop.json().errors[0]).toMatchObject({ field: 'parentId', code: 'cycle' });

    const root = await rootDepartment(admin);
    await makeUser(admin, { username: 'holder', name: '李娜', departmentId: root.id, positionId: manager.id });
    const held = await admin.delete(`/api/v1/positions/${manager.id}`);
    expect(held.statusCode).toBe(409);
    expect(held.json().code).toBe('position_in_use');
    const spare = await makePosition(admin, '实习生');
    expect((await admin.delete(`/api/v1/positions/${spare.id}`)).statusCode).toBe(204);
    expect((await admin.get('/api/v1/positions')).json().items.some((x: { id: string }) => x.id === spare.id)).toBe(false);
  });

  it('lets a user with org view but not create read the organisation and refuses every create with 403', async () => {
    const viewer = await makePosition(admin, '只读', { modules: { org: { actions: ['view'], scope: 'all' } }, fields: {} });
    const root = await rootDepartment(admin);
    await makeUser(admin, { username: 'viewer', name: '王芳', departmentId: root.id, positionId: viewer.id });
    const { client } = await signInFresh(t.app, 'viewer');
    expect((await client.get('/api/v1/departments')).statusCode).toBe(200);
    expect((await client.get('/api/v1/users')).statusCode).toBe(200);
    for (const [url, body] of [
      ['/api/v1/departments', { name: '新部门', parentId: root.id }],
      ['/api/v1/positions', { name: '新职位' }],
      ['/api/v1/users', { username: 'sneaky', name: '某人', departmentId: root.id, password: 'Passw0rd!x' }],
    ] as const) {
      const res = await client.post(url, body);
      expect(res.statusCode, url).toBe(403);
      expect(res.json().code).toBe('forbidden');
    }
    expect((await admin.get('/api/v1/users?q=sneaky')).json().total).toBe(0);
  });

  it('lets an org manager hand out nothing beyond their own permissions (no escalation)', async () => {
    const own = { modules: { org: { actions: ['view', 'create', 'edit'], scope: 'department' } }, fields: { 'org.mobile': 'hidden' } };
    const manager = await makePosition(admin, '人事专员', own as PositionPermissions);
    const strong = await makePosition(admin, '总经理', {
      modules: { org: { actions: ['view', 'create', 'edit', 'delete'], scope: 'all' } },
      fields: {},
    });
    const weak = await makePosition(admin, '前台', {
      modules: { org: { actions: ['view'], scope: 'self' } },
      fields: { 'org.mobile': 'hidden' },
    });
    const root = await rootDepartment(admin);
    await makeUser(admin, { username: 'hr', name: '赵敏', departmentId: root.id, positionId: manager.id });
    const { client } = await signInFresh(t.app, 'hr');

    const widened = await client.put(`/api/v1/positions/${weak.id}/permissions`, {
      version: weak.version,
      permissions: { modules: { org: { actions: ['view'], scope: 'all' } }, fields: {} },
    });
    expect(widened.statusCode).toBe(403);
    expect(widened.json().code).toBe('exceeds_own_permissions');
    const created = await client.post('/api/v1/users', {
      username: 'boss2',
      name: '假老板',
      departmentId: root.id,
      positionId: strong.id,
      password: PASSWORD,
    });
    expect(created.statusCode).toBe(403);
    expect((await admin.get('/api/v1/users?q=boss2')).json().total).toBe(0);
    const fine = await client.post('/api/v1/users', {
      username: 'desk',
      name: '前台小李',
      departmentId: root.id,
      positionId: weak.id,
      password: PASSWORD,
    });
    expect(fine.statusCode, fine.body).toBe(201);
    const promote = await client.patch(`/api/v1/users/${fine.json().id}`, { version: fine.json().version, positionId: strong.id });
    expect(promote.statusCode).toBe(403);
  });
});
