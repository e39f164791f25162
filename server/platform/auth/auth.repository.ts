import type { Db, DbOrTx } from '@server/db/types';
import { hotQuery } from '@server/db/compiled';
import type { PositionPermissions } from '@common/permissions';
import { EMPTY_PERMISSIONS } from '@common/permissions';
import type { AuthUser } from '../access/types';

export type AuthRow = {
  user: AuthUser;
  permissions: PositionPermissions;
  lastUsedAt: string | null;
  expiresAt: string | null;
  remember?: boolean;
};

const userColumns = [
  'users.id',
  'users.username',
  'users.name',
  'users.email',
  'users.department_id',
  'users.position_id',
  'users.supervisor_id',
  'users.is_admin',
  'users.must_change_password',
  'users.locale',
  'positions.permissions',
] as const;

type Row = {
  id: string;
  username: string;
  name: string;
  email: string | null;
  department_id: string | null;
  position_id: string | null;
  supervisor_id: string | null;
  is_admin: number;
  must_change_password: number;
  locale: string | null;
  permissions: string | null;
};

// Parsed permission sets keyed by their JSON text: most requests share a handful of positions.
const parsedPermissions = new Map<string, PositionPermissions>();
function parsePermissions(json: string | null): PositionPermissions {
  if (!json) return EMPTY_PERMISSIONS;
  let p = parsedPermissions.get(json);
  if (!p) {
    p = JSON.parse(json) as PositionPermissions;
    if (parsedPermissions.size > 1000) parsedPermissions.clear();
    parsedPermissions.set(json, p);
  }
  return p;
}

export function toAuthUser(r: Row): AuthUser {
  return {
    id: r.id,
    username: r.username,
    name: r.name,
    email: r.email,
    departmentId: r.department_id,
    positionId: r.position_id,
    supervisorId: r.supervisor_id,
    isAdmin: r.is_admin === 1,
    mustChangePassword: r.must_change_password === 1,
    locale: r.locale,
  };
}

const sessionQuery = hotQuery<{ id: string; now: string }, Row & { last_seen_at: string; expires_at: string; remember: number }>(
  'auth.session',
  (db, p) =>
    db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .leftJoin('positions', 'positions.id', 'users.position_id')
      .select([...userColumns, 'sessions.last_seen_at', 'sessions.expires_at', 'sessions.remember'])
      .where('sessions.id', '=', p('id'))
      .where('sessions.expires_at', '>', p('now'))
      .where('users.status', '=', 'active'),
);

/** One query on the hot path: a live session with its active user and position permissions. */
export async function findSession(db: Db, sessionId: string, now: string): Promise<AuthRow | undefined> {
  const [r] = await sessionQuery(db, { id: sessionId, now });
  if (!r) return undefined;
  return {
    user: toAuthUser(r),
    permissions: parsePermissions(r.permissions),
    lastUsedAt: r.last_seen_at,
    expiresAt: r.expires_at,
    remember: r.remember === 1,
  };
}

const tokenQuery = hotQuery<{ hash: string }, Row & { token_id: string; last_used_at: string | null; expires_at: string | null }>(
  'auth.token',
  (db, p) =>
    db
      .selectFrom('api_tokens')
      .innerJoin('users', 'users.id', 'api_tokens.user_id')
      .leftJoin('positions', 'positions.id', 'users.position_id')
      .select([...userColumns, 'api_tokens.id as token_id', 'api_tokens.last_used_at', 'api_tokens.expires_at'])
      .where('api_tokens.token_hash', '=', p('hash'))
      .where('api_tokens.revoked_at', 'is', null)
      .where('users.status', '=', 'active'),
);

export async function findApiToken(db: Db, tokenHash: string, now: string): Promise<(AuthRow & { tokenId: string }) | undefined> {
  const [r] = await tokenQuery(db, { hash: tokenHash });
  if (!r || (r.expires_at && r.expires_at <= now)) return undefined;
  return {
    user: toAuthUser(r),
    permissions: parsePermissions(r.permissions),
    lastUsedAt: r.last_used_at,
    expiresAt: r.expires_at,
    tokenId: r.token_id,
  };
}

export async function touchSession(db: DbOrTx, sessionId: string, now: string, expiresAt: string) {
  await db.updateTable('sessions').set({ last_seen_at: now, expires_at: expiresAt }).where('id', '=', sessionId).execute();
}

export async function touchApiToken(db: DbOrTx, tokenId: string, now: string) {
  await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', tokenId).execute();
}
