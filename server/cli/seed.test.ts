import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPES } from '@common/permissions';
import type { Department, Position, User } from '@common/schemas/org';
import { createTestApp, loginAs, type Client, type TestApp } from '@server/test/app';
import { seedDemo, type SeedResult } from './seed';

let t: TestApp;
let seeded: SeedResult;
let admin: Client;
beforeAll(async () => {
  t = await createTestApp();
  seeded = await seedDemo(t.database.db);
  admin = await loginAs(t.app, seeded.adminUsername, seeded.adminPassword);
  const next = `${seeded.adminPassword}1a`;
  expect((await admin.post('/api/v1/me/password', { currentPassword: seeded.adminPassword, newPassword: next })).statusCode).toBe(200);
});
afterAll(() => t.close());

describe('seed --demo', () => {
  it('creates an admin (generated password) and 20 staff with Chinese names, mobiles and emails', async () => {
    expect(seeded.adminPassword).not.toBe(seeded.staffPassword);
    const users = (await admin.get('/api/v1/users?limit=200')).json();
    expect(users.total).toBe(21);
    const staff = (users.items as User[]).filter((u) => !u.isAdmin);
    expect(staff).toHaveLength(20);
    for (const u of staff) {
      expect(u.name).toMatch(/^[\u4e00-\u9fa5]{2,3}$/);
      expect(u.mobile).toMatch(/^1[3-9]\d{9}$/);
      expect(u.email).toContain('@');
      expect(u).toMatchObject({ status: 'active', mustChangePassword: true });
    }
    expect(new Set(staff.map((u) => u.mobile)).size).toBe(20);
    // a staff member signs in with the printed initial password and is asked to change it
    const rep = await loginAs(t.app, 'liuyang', seeded.staffPassword);
    expect((await rep.get('/api/v1/departments')).json().code).toBe('password_change_required');
  });

  it('builds departments three levels below the company, each with a head where it leads people', async () => {
    const items: Department[] = (await admin.get('/api/v1/departments')).json().items;
    const byId = new Map(items.map((d) => [d.id, d]));
    const depth = (d: Department): number => (d.parentId ? 1 + depth(byId.get(d.parentId)!) : 0);
    expect(Math.max(...items.map(depth))).toBe(3);
    const shenzhen = items.find((d) => d.name === '深圳销售一部')!;
    expect(depth(shenzhen)).toBe(3);
    expect(byId.get(shenzhen.parentId!)!.name).toBe('华南大区');
    expect(shenzhen).toMatchObject({ headName: '张伟', userCount: 4 });
    expect(items.find((d) => d.parentId === null)!.headName).toBe('陈建国');
  });

  it('gives positions different data scopes and forms supervisor chains the scopes rely on', async () => {
    const positions: Position[] = (await admin.get('/api/v1/positions')).json().items;
    const scopeOf = (name: string) => positions.find((p) => p.name === name)!.permissions.modules.org.scope;
    expect(scopeOf('总经理')).toBe('all');
    expect(scopeOf('销售总监')).toBe('department_tree');
    expect(scopeOf('销售经理')).toBe('department');
    expect(scopeOf('销售代表')).toBe('self');
    expect(scopeOf('客服专员')).toBe('subordinates');
    expect(new Set(positions.map((p) => p.permissions.modules.org.scope))).toEqual(new Set(SCOPES));
    const users: User[] = (await admin.get('/api/v1/users?limit=200')).json().items;
    const byId = new Map(users.map((u) => [u.id, u]));
    const chain = (u: User): string[] => (u.supervisorId ? [u.username, ...chain(byId.get(u.supervisorId)!)] : [u.username]);
    expect(chain(users.find((u) => u.username === 'liuyang')!)).toEqual([
      'liuyang',
      'zhangwei',
      'wangzhiqiang',
      'liminghui',
      'chenjianguo',
    ]);
  });

  it('refuses to run again on a database that has users, changing nothing', async () => {
    await expect(seedDemo(t.database.db)).rejects.toThrow(/already has users/);
    expect((await admin.get('/api/v1/users')).json().total).toBe(21);
  });
});
