import { expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { PositionPermissions } from '@common/permissions';
import type { Department, Position, User } from '@common/schemas/org';
import { Client, loginAs } from '@server/test/app';

/** Test factories for the organisation API (used by the org tests only). */

export const PASSWORD = 'Passw0rd!x';

export async function rootDepartment(admin: Client): Promise<Department> {
  const res = await admin.get('/api/v1/departments');
  expect(res.statusCode).toBe(200);
  return (res.json().items as Department[]).find((d) => d.parentId === null)!;
}

export async function makeDepartment(admin: Client, name: string, parentId: string | null): Promise<Department> {
  const res = await admin.post('/api/v1/departments', { name, parentId });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

export async function makePosition(
  admin: Client,
  name: string,
  permissions: PositionPermissions = { modules: {}, fields: {} },
): Promise<Position> {
  const res = await admin.post('/api/v1/positions', { name, permissions });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

export async function makeUser(admin: Client, body: Record<string, unknown>): Promise<User> {
  const res = await admin.post('/api/v1/users', { password: PASSWORD, ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

/** Signs in a freshly created user and completes the forced first password change. */
export async function signInFresh(
  app: FastifyInstance,
  username: string,
  password = PASSWORD,
): Promise<{ client: Client; password: string }> {
  const client = await loginAs(app, username, password);
  const next = `${password}9z`;
  const res = await client.post('/api/v1/me/password', { currentPassword: password, newPassword: next });
  expect(res.statusCode, res.body).toBe(200);
  return { client, password: next };
}
