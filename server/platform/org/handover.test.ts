import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Department, User } from '@common/schemas/org';
import { createTestApp, setupAdmin, type Client, type TestApp } from '@server/test/app';
import { registerOwnable } from './handover';
import { makeDepartment, makeUser, rootDepartment } from './testing';

let t: TestApp;
let admin: Client;
let root: Department;
beforeAll(async () => {
  t = await createTestApp();
  admin = await setupAdmin(t.app);
  root = await rootDepartment(admin);
});
afterAll(() => t.close());

const user = async (id: string): Promise<User> => (await admin.get(`/api/v1/users/${id}`)).json();
const dept = async (id: string): Promise<Department> => (await admin.get(`/api/v1/departments/${id}`)).json();

describe('handover (离职交接)', () => {
  it("moves a leaver's direct reports and the departments they head to the successor, in one audited step", async () => {
    const manager = await makeUser(admin, { username: 'wangzq', name: '王志强', departmentId: root.id });
    const south = (await admin.post('/api/v1/departments', { name: '华南大区', parentId: root.id, headUserId: manager.id })).json();
    const shenzhen = (await admin.post('/api/v1/departments', { name: '深圳销售一部', parentId: south.id, headUserId: manager.id })).json();
    const rep1 = await makeUser(admin, { username: 'rep1', name: '刘洋', departmentId: shenzhen.id, supervisorId: manager.id });
    const rep2 = await makeUser(admin, { username: 'rep2', name: '杨静', departmentId: shenzhen.id, supervisorId: manager.id });
    const successor = await makeUser(admin, { username: 'huangxd', name: '黄晓东', departmentId: south.id });

    await admin.post(`/api/v1/users/${manager.id}/status`, { status: 'left' });
    const summary = (await admin.get(`/api/v1/users/${manager.id}/handover`)).json().items;
    expect(summary).toEqual(
      expect.arrayContaining([
        { entity: 'subordinates', labelKey: 'org.handover.subordinates', count: 2 },
        { entity: 'department_head', labelKey: 'org.handover.department_head', count: 2 },
      ]),
    );

    const res = await admin.post(`/api/v1/users/${manager.id}/handover`, { toUserId: successor.id });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual(
      expect.arrayContaining([
        { entity: 'subordinates', moved: 2 },
        { entity: 'department_head', moved: 2 },
      ]),
    );
    expect((await user(rep1.id)).supervisorName).toBe('黄晓东');
    expect((await user(rep2.id)).supervisorId).toBe(successor.id);
    expect((await dept(south.id)).headName).toBe('黄晓东');
    expect((await dept(shenzhen.id)).headUserId).toBe(successor.id);
    const counts = (await admin.get(`/api/v1/users/${manager.id}/handover`)).json().items;
    expect(counts.every((i: { count: number }) => i.count === 0)).toBe(true);
    // the leaver is still there, with their history
    expect(await user(manager.id)).toMatchObject({ status: 'left', name: '王志强' });
    const audit = (await admin.get(`/api/v1/audit?entity=user&entityId=${manager.id}&action=handover`)).json().items;
    // every registered record type is listed; the org ones moved, the business ones had nothing
    expect(JSON.parse(audit[0].detail.split('; ')[0])).toMatchObject({ to: successor.id, moved: { subordinates: 2, department_head: 2, customers: 0 } });
  });

  it('refuses the source itself, an inactive recipient or an unknown record type (400 naming the field)', async () => {
    const from = await makeUser(admin, { username: 'from1', name: '孙浩', departmentId: root.id });
    const gone = await makeUser(admin, { username: 'gone1', name: '马超', departmentId: root.id });
    await admin.post(`/api/v1/users/${gone.id}/status`, { status: 'disabled' });
    for (const toUserId of [from.id, gone.id, '0'.repeat(26)]) {
      const res = await admin.post(`/api/v1/users/${from.id}/handover`, { toUserId });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0]).toMatchObject({ field: 'toUserId', code: 'handover_target' });
    }
    const admin2 = (await admin.get('/api/v1/me')).json().user.id;
    const unknown = await admin.post(`/api/v1/users/${from.id}/handover`, { toUserId: admin2, entities: ['subordinates', 'spaceships'] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0].field).toBe('entities.1');
  });

  it("lets a successor from inside the leaver's team take the leaver's place without a reporting loop", async () => {
    const director = await makeUser(admin, { username: 'director', name: '李明辉', departmentId: root.id });
    const leaver = await makeUser(admin, { username: 'leaver', name: '徐丽华', departmentId: root.id, supervisorId: director.id });
    const deputy = await makeUser(admin, { username: 'deputy', name: '孙浩浩', departmentId: root.id, supervisorId: leaver.id });
    const peer = await makeUser(admin, { username: 'peer', name: '胡敏', departmentId: root.id, supervisorId: leaver.id });
    const junior = await makeUser(admin, { username: 'junior', name: '马超超', departmentId: root.id, supervisorId: deputy.id });
    const res = await admin.post(`/api/v1/users/${leaver.id}/handover`, { toUserId: junior.id, entities: ['subordinates'] });
    expect(res.json().items).toEqual([{ entity: 'subordinates', moved: 2 }]);
    expect((await user(junior.id)).supervisorId).toBe(director.id);
    expect((await user(deputy.id)).supervisorId).toBe(junior.id);
    expect((await user(peer.id)).supervisorId).toBe(junior.id);
  });

  it('runs every record type in one transaction: a failing module leaves nothing half-moved', async () => {
    const boss = await makeUser(admin, { username: 'boss9', name: '陈建国', departmentId: root.id });
    const rep = await makeUser(admin, { username: 'rep9', name: '何雪', departmentId: root.id, supervisorId: boss.id });
    const to = await makeUser(admin, { username: 'to9', name: '朱红梅', departmentId: root.id });
    registerOwnable({
      entity: 'zz_broken',
      labelKey: 'test.broken',
      count: async () => 1,
      transfer: async () => {
        throw new Error('module failure');
      },
    });
    const res = await admin.post(`/api/v1/users/${boss.id}/handover`, { toUserId: to.id, entities: ['subordinates', 'zz_broken'] });
    expect(res.statusCode).toBe(500);
    expect((await user(rep.id)).supervisorId).toBe(boss.id);
    const entries = (await admin.get(`/api/v1/audit?entity=user&entityId=${rep.id}`)).json().items;
    expect(entries.some((e: { detail: string | null }) => e.detail?.includes('handover'))).toBe(false);
  });

  it('a registered module type shows up in the summary and moves its records', async () => {
    const d = await makeDepartment(admin, '客服中心', root.id);
    const from = await makeUser(admin, { username: 'kf1', name: '郭佳', departmentId: d.id });
    const to = await makeUser(admin, { username: 'kf2', name: '何雪雪', departmentId: d.id });
    // a stand-in for a business module: a per-user count of "notes" kept in settings
    registerOwnable({
      entity: 'zz_notes',
      labelKey: 'test.notes',
      count: async (db, userId) =>
        Number((await db.selectFrom('settings').select('value').where('key', '=', `note:${userId}`).executeTakeFirst())?.value ?? 0),
      transfer: async (tx, fromId, toId) => {
        const n = Number(
          (await tx.selectFrom('settings').select('value').where('key', '=', `note:${fromId}`).executeTakeFirst())?.value ?? 0,
        );
        await tx.deleteFrom('settings').where('key', '=', `note:${fromId}`).execute();
        await tx
          .insertInto('settings')
          .values({ key: `note:${toId}`, value: String(n), updated_at: new Date().toISOString() })
          .execute();
        return n;
      },
    });
    await t.database.db
      .insertInto('settings')
      .values({ key: `note:${from.id}`, value: '3', updated_at: new Date().toISOString() })
      .execute();
    const summary = (await admin.get(`/api/v1/users/${from.id}/handover`)).json().items;
    expect(summary).toContainEqual({ entity: 'zz_notes', labelKey: 'test.notes', count: 3 });
    const res = await admin.post(`/api/v1/users/${from.id}/handover`, { toUserId: to.id, entities: ['zz_notes'] });
    expect(res.json().items).toEqual([{ entity: 'zz_notes', moved: 3 }]);
    expect((await admin.get(`/api/v1/users/${to.id}/handover`)).json().items).toContainEqual({
      entity: 'zz_notes',
      labelKey: 'test.notes',
      count: 3,
    });
  });
});
