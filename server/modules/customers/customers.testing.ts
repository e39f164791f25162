import { expect } from 'vitest';
import type { Action, PositionPermissions, Scope } from '@common/permissions';
import type { Customer } from '@common/schemas/customers';
import type { CustomerSettings } from '@common/schemas/customer-settings';
import { Client, loginAs, setupAdmin, type TestApp } from '@server/test/app';
import { createDepartment, createPosition, createUser, permissions } from '@server/test/factories';

/**
 * Test world of the customer tests: a department tree (华南大区 → 深圳销售部, 广州销售部; 北京销售部
 * apart) and one position per data scope, so every scope can be checked against the same customers.
 * The settings get a first category 'plain' (普通) that requires nothing and has no visit cycle: a
 * customer created without a category takes it, so tests of other rules need not fill in the
 * required fields of the default categories (which tests of those rules name: 'direct', 'channel').
 */

export type Person = { id: string; name: string; client: Client };

const ALL_ACTIONS: Action[] = ['view', 'create', 'edit', 'delete'];

export async function customersWorld(t: TestApp) {
  const db = t.database.db;
  const admin = await setupAdmin(t.app);
  const south = await createDepartment(db, { name: '华南大区' });
  const shenzhen = await createDepartment(db, { name: '深圳销售部', parentId: south });
  const guangzhou = await createDepartment(db, { name: '广州销售部', parentId: south });
  const beijing = await createDepartment(db, { name: '北京销售部' });
  const position = (name: string, scope: Scope, extra: Partial<PositionPermissions['fields']> = {}, actions = ALL_ACTIONS) =>
    createPosition(db, {
      name,
      permissions: permissions(
        { customers: { actions, scope }, contacts: { actions: ['view', 'create', 'edit'], scope } },
        extra as PositionPermissions['fields'],
      ),
    });
  const self = await position('销售', 'self');
  const subordinates = await position('组长', 'subordinates');
  const department = await position('部门经理', 'department');
  const tree = await position('大区经理', 'department_tree');
  const all = await position('总监', 'all', {}, ['view']);
  const noPhones = await position('实习生', 'self', { 'customers.phones': 'hidden', 'customers.website': 'readonly' });
  const transfer = await position('销售主管', 'department', {}, [...ALL_ACTIONS, 'transfer']);

  let n = 0;
  const person = async (name: string, departmentId: string, positionId: string, supervisorId?: string): Promise<Person> => {
    n += 1;
    const u = await createUser(db, { username: `u${n}`, name, departmentId, positionId, supervisorId });
    return { id: u.id, name, client: await loginAs(t.app, u.username, u.password) };
  };
  const lead = await person('周组长', shenzhen, subordinates);
  const alice = await person('王小丽', shenzhen, self, lead.id);
  const bob = await person('李大宝', shenzhen, self);
  const gina = await person('陈广州', guangzhou, self);
  const carol = await person('赵北京', beijing, self);
  const dm = await person('钱经理', shenzhen, department);
  const rm = await person('孙大区', south, tree);
  const boss = await person('吴总监', beijing, all);
  const intern = await person('郑实习', shenzhen, noPhones);
  const chief = await person('冯主管', shenzhen, transfer);
  await patchSettings(admin, (s) => ({ ...s, categories: [PLAIN_CATEGORY, ...s.categories] }));
  return { db, admin, depts: { south, shenzhen, guangzhou, beijing }, lead, alice, bob, gina, carol, dm, rm, boss, intern, chief };
}

/** The world's first (default) category: no required fields, no visit cycle. */
export const PLAIN_CATEGORY = { key: 'plain', label: '普通', requiredFields: [], visitCycleDays: null };

export type World = Awaited<ReturnType<typeof customersWorld>>;

/** Creates a customer through the API and expects 201. */
export async function create(client: Client, body: Record<string, unknown>): Promise<Customer> {
  const res = await client.post('/api/v1/customers', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

/** Replaces parts of the customer settings through the admin API. */
export async function patchSettings(admin: Client, patch: (s: CustomerSettings) => CustomerSettings): Promise<void> {
  const current = (await admin.get('/api/v1/customer-settings')).json() as CustomerSettings;
  const res = await admin.put('/api/v1/customer-settings', patch(current));
  expect(res.statusCode, res.body).toBe(200);
}
