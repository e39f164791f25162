import type { Db } from '@server/db/types';
import { newId, nowIso } from '@server/db/ids';
import type { SetupBody } from '@common/schemas/auth';
import { AppError, fieldError } from '../http/errors';
import { audit, type Actor } from '../audit/audit.service';
import { getCompany, putSetting } from '../settings/settings.service';
import { hashPassword, verifyPassword } from './password';
import { randomToken, sha256, API_TOKEN_PREFIX } from './tokens';
import { sessionExpiry } from './sessions';

export const LOCK_AFTER_FAILURES = 5;
export const LOCK_WINDOW_MS = 15 * 60_000;
export const LOCK_MS = 15 * 60_000;

export async function isSetUp(db: Db): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  return !!row;
}

/**
 * First-run set-up: company settings, the root department and the first admin, in one transaction.
 * Accepted only while no user exists.
 */
export async function setup(db: Db, body: SetupBody, actor: Actor): Promise<{ userId: string }> {
  const passwordHash = await hashPassword(body.admin.password);
  return db.transaction().execute(async (tx) => {
    const existing = await tx.selectFrom('users').select('id').limit(1).executeTakeFirst();
    if (existing) throw new AppError('already_set_up');
    // the settings row doubles as a lock: a concurrent set-up inserts nothing and stops here
    const claimed = await tx
      .insertInto('settings')
      .values({ key: 'setup', value: JSON.stringify({ at: nowIso() }), updated_at: nowIso() })
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    if (Number(claimed.numInsertedOrUpdatedRows ?? 0) === 0) throw new AppError('already_set_up');
    const now = nowIso();
    const deptId = newId();
    await tx
      .insertInto('departments')
      .values({
        id: deptId,
        name: body.companyName,
        parent_id: null,
        head_user_id: null,
        sort_order: 0,
        disabled: 0,
        version: 1,
        created_at: now,
        updated_at: now,
        deleted_at: null,
      })
      .execute();
    const userId = newId();
    await tx
      .insertInto('users')
      .values({
        id: userId,
        username: body.admin.username,
        name: body.admin.name,
        email: null,
        mobile: null,
        department_id: deptId,
        position_id: null,
        supervisor_id: null,
        status: 'active',
        is_admin: 1,
        password_hash: passwordHash,
        must_change_password: 0,
        locale: null,
        locked_until: null,
        version: 1,
        created_at: now,
        updated_at: now,
        left_at: null,
      })
      .execute();
    await tx.updateTable('departments').set({ head_user_id: userId }).where('id', '=', deptId).execute();
    const company = { ...(await getCompany(tx)), name: body.companyName, timezone: body.timezone };
    await putSetting(tx, 'company', company);
    const who = { ...actor, id: userId, name: body.admin.name };
    await audit(tx, who, { action: 'setup', entity: 'company', entityId: null, after: { name: company.name, timezone: company.timezone } });
    await audit(tx, who, {
      action: 'create',
      entity: 'user',
      entityId: userId,
      after: { username: body.admin.username, name: body.admin.name, is_admin: 1 },
    });
    return { userId };
  });
}

export type SessionInfo = { token: string; remember: boolean };

export async function createSession(
  db: Db,
  userId: string,
  remember: boolean,
  ip: string | null,
  userAgent: string | null,
): Promise<SessionInfo> {
  const token = randomToken();
  const now = new Date();
  await db
    .insertInto('sessions')
    .values({
      id: sha256(token),
      handle: newId(),
      user_id: userId,
      remember: remember ? 1 : 0,
      ip,
      user_agent: userAgent?.slice(0, 300) ?? null,
      created_at: nowIso(now),
      last_seen_at: nowIso(now),
      expires_at: sessionExpiry(now, remember),
    })
    .execute();
  return { token, remember };
}

/**
 * Checks a username-or-email and password. Five failures within 15 minutes lock the account for
 * 15 minutes. Every failure, lock and success is audited.
 */
export async function login(db: Db, username: string, password: string, actor: Actor): Promise<{ userId: string }> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'name', 'status', 'password_hash', 'locked_until'])
    .where((eb) => eb.or([eb('username', '=', username), eb('email', '=', username)]))
    .executeTakeFirst();
  const now = new Date();
  if (!user) {
    await verifyPassword(null, password);
    await audit(db, actor, { action: 'login_failed', entity: 'user', entityId: null, detail: `unknown user ${username.slice(0, 100)}` });
    throw new AppError('invalid_credentials');
  }
  const who = { ...actor, id: user.id, name: user.name };
  if (user.locked_until && Date.parse(user.locked_until) > now.getTime()) {
    const minutes = Math.ceil((Date.parse(user.locked_until) - now.getTime()) / 60_000);
    await audit(db, who, { action: 'login_failed', entity: 'user', entityId: user.id, detail: 'locked' });
    throw new AppError('account_locked', { minutes });
  }
  const ok = await verifyPassword(user.password_hash, password);
  if (!ok) {
    await db.transaction().execute(async (tx) => {
      await tx
        .insertInto('login_failures')
        .values({ id: newId(), user_id: user.id, at: nowIso(now) })
        .execute();
      await audit(tx, who, { action: 'login_failed', entity: 'user', entityId: user.id, detail: 'wrong password' });
      const since = nowIso(new Date(now.getTime() - LOCK_WINDOW_MS));
      const { n } = await tx
        .selectFrom('login_failures')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', user.id)
        .where('at', '>', since)
        .executeTakeFirstOrThrow();
      if (Number(n) >= LOCK_AFTER_FAILURES) {
        const until = nowIso(new Date(now.getTime() + LOCK_MS));
        await tx.updateTable('users').set({ locked_until: until }).where('id', '=', user.id).execute();
        await tx.deleteFrom('login_failures').where('user_id', '=', user.id).execute();
        await audit(tx, who, { action: 'lock', entity: 'user', entityId: user.id, detail: `locked until ${until}` });
      }
    });
    throw new AppError('invalid_credentials');
  }
  if (user.status !== 'active') {
    await audit(db, who, { action: 'login_failed', entity: 'user', entityId: user.id, detail: `status ${user.status}` });
    throw new AppError('account_disabled');
  }
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('login_failures').where('user_id', '=', user.id).execute();
    if (user.locked_until) await tx.updateTable('users').set({ locked_until: null }).where('id', '=', user.id).execute();
    await audit(tx, who, { action: 'login', entity: 'user', entityId: user.id });
  });
  return { userId: user.id };
}

export async function logout(db: Db, sessionId: string, actor: Actor): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('sessions').where('id', '=', sessionId).execute();
    await audit(tx, actor, { action: 'logout', entity: 'user', entityId: actor.id });
  });
}

/** Changes the caller's own password; other sessions of the user end, this one stays. */
export async function changePassword(
  db: Db,
  userId: string,
  current: string,
  next: string,
  keepSessionId: string | undefined,
  actor: Actor,
) {
  const user = await db.selectFrom('users').select(['password_hash']).where('id', '=', userId).executeTakeFirstOrThrow();
  if (!(await verifyPassword(user.password_hash, current))) throw fieldError('currentPassword', 'invalid');
  if (current === next) throw fieldError('newPassword', 'invalid');
  const passwordHash = await hashPassword(next);
  await db.transaction().execute(async (tx) => {
    await tx
      .updateTable('users')
      .set({ password_hash: passwordHash, must_change_password: 0, updated_at: nowIso() })
      .where('id', '=', userId)
      .execute();
    let q = tx.deleteFrom('sessions').where('user_id', '=', userId);
    if (keepSessionId) q = q.where('id', '!=', keepSessionId);
    await q.execute();
    await audit(tx, actor, {
      action: 'password_change',
      entity: 'user',
      entityId: userId,
      before: { password: 'x' },
      after: { password: 'y' },
    });
  });
}

export async function listSessions(db: Db, userId: string) {
  return db
    .selectFrom('sessions')
    .select(['id', 'handle', 'ip', 'user_agent', 'created_at', 'last_seen_at', 'expires_at', 'remember'])
    .where('user_id', '=', userId)
    .where('expires_at', '>', nowIso())
    .orderBy('last_seen_at', 'desc')
    .execute();
}

/** Ends one of the user's sessions by its public handle; returns the session id (to close its sockets). */
export async function revokeSession(db: Db, userId: string, handle: string, actor: Actor): Promise<string> {
  return db.transaction().execute(async (tx) => {
    const row = await tx.selectFrom('sessions').select('id').where('user_id', '=', userId).where('handle', '=', handle).executeTakeFirst();
    if (!row) throw new AppError('not_found');
    await tx.deleteFrom('sessions').where('id', '=', row.id).execute();
    await audit(tx, actor, { action: 'session_revoke', entity: 'user', entityId: userId, detail: handle });
    return row.id;
  });
}

export async function createApiToken(db: Db, userId: string, name: string, expiresAt: string | undefined, actor: Actor) {
  const token = API_TOKEN_PREFIX + randomToken(24);
  const id = newId();
  const row = {
    id,
    user_id: userId,
    name,
    token_hash: sha256(token),
    prefix: token.slice(0, 8),
    created_at: nowIso(),
    last_used_at: null,
    expires_at: expiresAt ?? null,
    revoked_at: null,
  };
  await db.transaction().execute(async (tx) => {
    await tx.insertInto('api_tokens').values(row).execute();
    await audit(tx, actor, { action: 'create', entity: 'api_token', entityId: id, after: { name, expires_at: row.expires_at } });
  });
  return { id, name, prefix: row.prefix, createdAt: row.created_at, expiresAt: row.expires_at, lastUsedAt: null, token };
}

export async function listApiTokens(db: Db, userId: string) {
  const rows = await db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'prefix', 'created_at', 'last_used_at', 'expires_at'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    expiresAt: r.expires_at,
  }));
}

export async function revokeApiToken(db: Db, userId: string, id: string, actor: Actor) {
  await db.transaction().execute(async (tx) => {
    const r = await tx
      .updateTable('api_tokens')
      .set({ revoked_at: nowIso() })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw new AppError('not_found');
    await audit(tx, actor, { action: 'delete', entity: 'api_token', entityId: id });
  });
}
