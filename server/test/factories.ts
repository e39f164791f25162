import type { RouteOptions } from 'fastify';
import type { Db } from '@server/db/types';
import { newId, nowIso } from '@server/db/ids';
import { hashPassword } from '@server/platform/auth/password';
import { EMPTY_PERMISSIONS, type Action, type PositionPermissions, type Scope } from '@common/permissions';

/**
 * Rows written straight into the test database, for tests that need an organisation without going
 * through the organisation API (which has its own tests).
 */

export const DEFAULT_PASSWORD = 'Passw0rd!x';

// argon2 is deliberately slow; tests reuse one hash per password
const hashes = new Map<string, Promise<string>>();
function cachedHash(password: string): Promise<string> {
  let h = hashes.get(password);
  if (!h) {
    h = hashPassword(password);
    hashes.set(password, h);
  }
  return h;
}

/** A permission set granting `actions` with `scope` on each listed module. */
export function permissions(
  grants: Record<string, { actions: Action[]; scope: Scope }>,
  fields: PositionPermissions['fields'] = {},
): PositionPermissions {
  return { modules: grants, fields };
}

export async function createDepartment(
  db: Db,
  opts: { name: string; parentId?: string | null; headUserId?: string | null },
): Promise<string> {
  const id = newId();
  const now = nowIso();
  await db
    .insertInto('departments')
    .values({
      id,
      name: opts.name,
      parent_id: opts.parentId ?? null,
      head_user_id: opts.headUserId ?? null,
      sort_order: 0,
      disabled: 0,
      version: 1,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    })
    .execute();
  return id;
}

export async function createPosition(
  db: Db,
  opts: { name: string; permissions?: PositionPermissions; parentId?: string | null },
): Promise<string> {
  const id = newId();
  const now = nowIso();
  await db
    .insertInto('positions')
    .values({
      id,
      name: opts.name,
      parent_id: opts.parentId ?? null,
      description: null,
      permissions: JSON.stringify(opts.permissions ?? EMPTY_PERMISSIONS),
      version: 1,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    })
    .execute();
  return id;
}

/** Rewrites a position's permission JSON (the checks read it on the next request). */
export async function setPositionPermissions(db: Db, positionId: string, perms: PositionPermissions): Promise<void> {
  await db
    .updateTable('positions')
    .set({ permissions: JSON.stringify(perms), updated_at: nowIso() })
    .where('id', '=', positionId)
    .execute();
}

export type CreatedUser = { id: string; username: string; password: string };

export async function createUser(
  db: Db,
  opts: {
    username: string;
    name?: string;
    departmentId?: string | null;
    positionId?: string | null;
    supervisorId?: string | null;
    isAdmin?: boolean;
    password?: string;
    email?: string | null;
    status?: 'active' | 'disabled' | 'left';
    mustChangePassword?: boolean;
  },
): Promise<CreatedUser> {
  const id = newId();
  const now = nowIso();
  const password = opts.password ?? DEFAULT_PASSWORD;
  await db
    .insertInto('users')
    .values({
      id,
      username: opts.username.toLowerCase(),
      name: opts.name ?? opts.username,
      email: opts.email ?? null,
      mobile: null,
      department_id: opts.departmentId ?? null,
      position_id: opts.positionId ?? null,
      supervisor_id: opts.supervisorId ?? null,
      status: opts.status ?? 'active',
      is_admin: opts.isAdmin ? 1 : 0,
      password_hash: await cachedHash(password),
      must_change_password: opts.mustChangePassword ? 1 : 0,
      locale: null,
      locked_until: null,
      version: 1,
      created_at: now,
      updated_at: now,
      left_at: null,
    })
    .execute();
  return { id, username: opts.username.toLowerCase(), password };
}

/** Row counts of every table of the database (both dialects), for "nothing was written" assertions. */
export async function rowCounts(db: Db): Promise<Record<string, number>> {
  const tables = await db.introspection.getTables();
  const counts: Record<string, number> = {};
  for (const t of tables) {
    if (t.name.startsWith('kysely_')) continue;
    const r = await db
      .selectFrom(t.name as 'users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    counts[t.name] = Number(r.n);
  }
  return counts;
}

export type RouteEntry = { method: string; url: string; route: RouteOptions };

/** One entry per method of each route collected by an onRoute hook (its config read after every hook ran). */
export function routeTable(routes: RouteOptions[]): RouteEntry[] {
  return routes.flatMap((route) =>
    (Array.isArray(route.method) ? route.method : [route.method]).map((method) => ({ method: String(method), url: route.url, route })),
  );
}

/** A syntactically valid id (26 chars of the id alphabet) that names no row. */
export const SAMPLE_ID = '0000000000000000000000000z';

/** The route's URL with every `:param` replaced (by a sample id unless given) and a trailing wildcard filled. */
export function concreteUrl(url: string, param = SAMPLE_ID): string {
  return url.replace(/:[A-Za-z_]+/g, param).replace(/\*$/, 'x');
}
