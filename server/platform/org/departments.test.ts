import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Department } from '@common/schemas/org';
import { createTestApp, setupAdmin, type Client, type TestApp } from '@server/test/app';
import { makeDepartment, makeUser, rootDepartment } from './testing';

let t: TestApp;
let admin: Client;
beforeAll(async () => {
  t = await createTestApp();
  admin = await setupAdmin(t.app);
});
afterAll(() => t.close());

const list = async (): Promise<Department[]> => (await admin.get('/api/v1/departments')).json().items;

describe('departments', () => {
  it('builds a tree three levels deep with a head, listed flat with parent ids', async () => {
    const root = await rootDepartment(admin);
    const me = (await admin.get('/api/v1/me')).json().user;
    const sales = await makeDepartment(admin, '销售中心', root.id);
    const south = await makeDepartment(admin, '华南大区', sales.id);
    const res = await admin.post('/api/v1/departments', { name: '深圳销售一部', parentId: south.id, headUserId: me.id, sortOrder: 2 });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      name: '深圳销售一部',
      parentId: south.id,
      headUserId: me.id,
      headName: '系统管理员',
      sortOrder: 2,
      disabled: false,
      userCount: 0,
      version: 1,
    });
    const all = await list();
    expect(all.map((d) => d.name)).toEqual(expect.arrayContaining(['销售中心', '华南大区', '深圳销售一部']));
    expect(all.find((d) => d.name === '华南大区')!.parentId).toBe(sales.id);
    expect(root.userCount).toBe(1); // the admin set up in the root department
  });

  it('refuses a head or parent that does not exist, naming the field, and stores nothing', async () => {
    const before = (await list()).length;
    const res = await admin.post('/api/v1/departments', { name: '幽灵部门', parentId: '0'.repeat(26), headUserId: null });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('parentId');
    const bad = await admin.post('/api/v1/departments', { name: 'x', parentId: null, colour: 'red' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('colour');
    expect((await list()).length).toBe(before);
  });

  it('moves a department and refuses moving it under itself or a descendant (field parentId)', async () => {
    const all = await list();
    const sales = all.find((d) => d.name === '销售中心')!;
    const shenzhen = all.find((d) => d.name === '深圳销售一部')!;
    for (const parentId of [sales.id, shenzhen.id]) {
      const res = await admin.patch(`/api/v1/departments/${sales.id}`, { version: sales.version, parentId });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toEqual([expect.objectContaining({ field: 'parentId', code: 'cycle' })]);
    }
    const root = await rootDepartment(admin);
    const moved = await admin.patch(`/api/v1/departments/${shenzhen.id}`, {
      version: shenzhen.version,
      parentId: root.id,
      name: '深圳分公司',
    });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ parentId: root.id, name: '深圳分公司', version: shenzhen.version + 1 });
    // the same (now stale) version again is a conflict, not a silent overwrite
    const stale = await admin.patch(`/api/v1/departments/${shenzhen.id}`, { version: shenzhen.version, name: '别的名字' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('stale_version');
    const history = (await admin.get(`/api/v1/audit/department/${shenzhen.id}`)).json().items;
    expect(history[0]).toMatchObject({
      action: 'update',
      changes: { name: ['深圳销售一部', '深圳分公司'], parentId: [expect.any(String), root.id] },
    });
  });

  it('disables a department; a disabled department takes no new users', async () => {
    const d = (await list()).find((x) => x.name === '深圳分公司')!;
    const res = await admin.patch(`/api/v1/departments/${d.id}`, { version: d.version, disabled: true });
    expect(res.json().disabled).toBe(true);
    expect((await list()).find((x) => x.id === d.id)!.disabled).toBe(true);
    const u = await admin.post('/api/v1/users', { username: 'nobody', name: '无部门', departmentId: d.id, password: 'Passw0rd!x' });
    expect(u.statusCode).toBe(400);
    expect(u.json().errors[0]).toMatchObject({ field: 'departmentId', code: 'inactive' });
  });

  it('refuses deleting a department with sub-departments or users (409), deletes an empty one into the recycle bin', async () => {
    const all = await list();
    const sales = all.find((d) => d.name === '销售中心')!;
    const south = all.find((d) => d.name === '华南大区')!;
    const withChild = await admin.delete(`/api/v1/departments/${sales.id}`);
    expect(withChild.statusCode).toBe(409);
    expect(withChild.json()).toMatchObject({ code: 'department_not_empty', detail: expect.stringContaining('1 个下级部门') });

    const user = await makeUser(admin, { username: 'zhangwei', name: '张伟', departmentId: south.id });
    const withUser = await admin.delete(`/api/v1/departments/${south.id}`);
    expect(withUser.statusCode).toBe(409);
    expect(withUser.json().detail).toContain('1 名员工');

    const root = await rootDepartment(admin);
    const moved = await admin.patch(`/api/v1/users/${user.id}`, { version: user.version, departmentId: root.id });
    expect(moved.statusCode).toBe(200);
    expect((await admin.delete(`/api/v1/departments/${south.id}`)).statusCode).toBe(204);
    expect((await list()).some((d) => d.id === south.id)).toBe(false);
    expect((await admin.get(`/api/v1/departments/${south.id}`)).statusCode).toBe(404);
    const history = (await admin.get(`/api/v1/audit/department/${south.id}`)).json().items;
    expect(history[0]).toMatchObject({ action: 'delete', entity: 'department' });

    const bin = (await admin.get('/api/v1/recycle-bin?entity=department')).json().items;
    const entry = bin.find((e: { entityId: string }) => e.entityId === south.id);
    expect(entry).toMatchObject({ label: '华南大区' });
    expect((await admin.post(`/api/v1/recycle-bin/${entry.id}/restore`)).statusCode).toBeLessThan(300);
    expect((await list()).find((d) => d.id === south.id)).toMatchObject({ name: '华南大区', parentId: sales.id });
  });
});
