import { expect } from 'vitest';
import type { Action } from '@common/permissions';
import type { CustomerSettings } from '@common/schemas/customer-settings';
import type { Db } from '@server/db/types';
import { newId, nowIso } from '@server/db/ids';
import { Client, loginAs, setupAdmin, type TestApp } from '@server/test/app';
import { createDepartment, createPosition, createUser, permissions } from '@server/test/factories';

/**
 * Test world of the pool, transfer and bulk tests: two departments, salespeople who see and change
 * only their own customers (scope self), and helpers for settings, schedules and follow-ups.
 */

export const SALES_ACTIONS: Action[] = ['view', 'create', 'edit', 'delete', 'transfer'];

export type Person = { id: string; name: string; client: Client };

export async function poolWorld(t: TestApp) {
  const db = t.database.db;
  const admin = await setupAdmin(t.app);
  const deptA = await createDepartment(db, { name: '华南销售部' });
  const deptB = await createDepartment(db, { name: '华北销售部' });
  const sales = await createPosition(db, {
    name: '销售',
    permissions: permissions({ customers: { actions: SALES_ACTIONS, scope: 'self' }, followups: { actions: ['view'], scope: 'self' } }),
  });
  const viewer = await createPosition(db, {
    name: '只读',
    permissions: permissions({ customers: { actions: ['view', 'edit'], scope: 'self' } }),
  });
  const person = async (username: string, name: string, departmentId: string, positionId = sales): Promise<Person> => {
    const u = await createUser(db, { username, name, departmentId, positionId });
    return { id: u.id, name, client: await loginAs(t.app, u.username, u.password) };
  };
  const alice = await person('alice', '王小丽', deptA);
  const bob = await person('bob', '李大宝', deptA);
  const carol = await person('carol', '赵晓彤', deptB);
  const vic = await person('vic', '孙只读', deptA, viewer);
  return { db, admin, deptA, deptB, alice, bob, carol, vic };
}

/** Changes some customer settings (the rest as they are) through the admin API. */
export async function setSettings(
  admin: Client,
  patch: { pool?: Partial<CustomerSettings['pool']>; caps?: Partial<CustomerSettings['caps']> },
): Promise<void> {
  const current = (await admin.get('/api/v1/customer-settings')).json() as CustomerSettings;
  const next = { ...current, pool: { ...current.pool, ...patch.pool }, caps: { ...current.caps, ...patch.caps } };
  const res = await admin.put('/api/v1/customer-settings', next);
  expect(res.statusCode, res.body).toBe(200);
}

export async function ownerOf(db: Db, customerId: string): Promise<string | null> {
  return (await db.selectFrom('customers').select('owner_id').where('id', '=', customerId).executeTakeFirstOrThrow()).owner_id;
}

export async function seedSchedule(db: Db, e: { ownerId: string; customerId: string; done?: boolean; title?: string }): Promise<string> {
  const id = newId();
  const now = nowIso();
  await db
    .insertInto('schedules')
    .values({
      id,
      version: 1,
      created_by: e.ownerId,
      created_at: now,
      updated_at: now,
      deleted_at: null,
      owner_id: e.ownerId,
      owner_department_id: null,
      customer_id: e.customerId,
      lead_id: null,
      contact_id: null,
      title: e.title ?? '拜访',
      notes: null,
      start_at: now,
      end_at: null,
      all_day: 0,
      remind_minutes: null,
      reminded_at: null,
      done: e.done ? 1 : 0,
      done_at: e.done ? now : null,
    })
    .execute();
  return id;
}

export async function seedFollowUp(db: Db, e: { ownerId: string; customerId: string; nextAt: string | null }): Promise<string> {
  const id = newId();
  const now = nowIso();
  await db
    .insertInto('follow_ups')
    .values({
      id,
      version: 1,
      created_by: e.ownerId,
      created_at: now,
      updated_at: now,
      deleted_at: null,
      customer_id: e.customerId,
      lead_id: null,
      contact_id: null,
      type: 'phone',
      content: '电话沟通报价',
      at: now,
      next_step: e.nextAt ? '再次回访' : null,
      next_at: e.nextAt,
      owner_id: e.ownerId,
      owner_department_id: null,
    })
    .execute();
  return id;
}

export const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
