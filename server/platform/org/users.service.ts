import type { DbOrTx } from '@server/db/types';
import type { CreateUserBody, UpdateUserBody, User, UserListQuery, UserOption, UserStatus } from '@common/schemas/org';
import { newId, nowIso } from '@server/db/ids';
import { AppError, fieldError } from '../http/errors';
import { audit } from '../audit/audit.service';
import { hashPassword } from '../auth/password';
import { withTx, type Caller } from './caller';
import { presentUser } from './presenters';
import { assertAssignablePosition, requireActiveUser, requireDepartment, requirePosition } from './references';
import { keysetPage } from '@server/db/keyset';
import {
  deleteSessionsOf,
  findLoginClash,
  findUserRow,
  insertUser,
  listUserRows,
  otherActiveAdmins,
  updateUserRow,
  userOptionRows,
  wouldCycle,
  type UserRow,
} from './users.repository';

/** The fields of a user written to the audit log (never the password). */
const auditView = (u: UserRow) => ({
  username: u.username,
  name: u.name,
  email: u.email,
  mobile: u.mobile,
  departmentId: u.department_id,
  positionId: u.position_id,
  supervisorId: u.supervisor_id,
  status: u.status,
});

const duplicate = (field: string, value: string) => new AppError('duplicate', { field, value }, [{ field, code: 'duplicate' }]);
const readonly = (field: string) => new AppError('forbidden', {}, [{ field, code: 'readonly' }]);

/** After a create or move: the user must stay within the caller's data scope (else 403 naming departmentId, rolled back). */
async function loadWritten(db: DbOrTx, id: string, caller: Caller): Promise<UserRow> {
  const row = await findUserRow(db, id, caller.userScope);
  if (!row) throw new AppError('forbidden', {}, [{ field: 'departmentId', code: 'out_of_scope' }]);
  return row;
}

/** A user within the caller's data scope, or 404 as if absent. */
async function loadUser(db: DbOrTx, id: string, caller: Caller): Promise<UserRow> {
  const row = await findUserRow(db, id, caller.userScope);
  if (!row) throw new AppError('not_found');
  return row;
}

/** Only admins may change anything about an admin account (else an org editor could take one over). */
function guardAdminTarget(target: UserRow, caller: Caller) {
  if (target.is_admin === 1 && !caller.isAdmin) throw new AppError('admin_required');
}

/** One page of users with the total; mobile/email hidden by the caller's field rules are blanked and not searched. */
export async function listUsers(
  db: DbOrTx,
  query: UserListQuery,
  caller: Caller,
): Promise<{ items: User[]; nextCursor: string | null; total: number }> {
  const search = { mobile: caller.fields['org.mobile'] !== 'hidden', email: caller.fields['org.email'] !== 'hidden' };
  const { rows, total } = await listUserRows(db, query, search, caller.userScope);
  return { ...keysetPage(rows, query.limit, (r) => presentUser(r, caller.fields)), total };
}

/** One user as the caller may see it, or 404. */
export async function getUser(db: DbOrTx, id: string, caller: Caller): Promise<User> {
  return presentUser(await loadUser(db, id, caller), caller.fields);
}

/** Active users for pickers (id, name, username, department). */
export async function userOptions(db: DbOrTx, q: string | undefined, limit: number, all = false): Promise<UserOption[]> {
  const rows = await userOptionRows(db, q, limit, all);
  return rows.map((r) => ({ id: r.id, name: r.name, username: r.username, departmentName: r.department_name }));
}

/**
 * Creates a user (操作员). Username and email are unique case-insensitively (stored lower-case;
 * 409 'duplicate' naming the field); the password is hashed and must be changed at first sign-in.
 * Creating an admin needs an admin caller. Audited.
 */
export async function createUser(db: DbOrTx, body: CreateUserBody, caller: Caller): Promise<User> {
  if (body.isAdmin && !caller.isAdmin) throw new AppError('admin_required');
  const passwordHash = await hashPassword(body.password);
  return withTx(db, async (tx) => {
    if (await findLoginClash(tx, body.username)) throw duplicate('username', body.username);
    if (body.email && (await findLoginClash(tx, body.email))) throw duplicate('email', body.email);
    await requireDepartment(tx, 'departmentId', body.departmentId);
    if (body.positionId) {
      await requirePosition(tx, 'positionId', body.positionId);
      await assertAssignablePosition(tx, caller, body.positionId);
    }
    if (body.supervisorId) await requireActiveUser(tx, 'supervisorId', body.supervisorId);
    const now = nowIso();
    const id = newId();
    await insertUser(tx, {
      id,
      username: body.username,
      name: body.name,
      email: body.email ?? null,
      mobile: body.mobile ?? null,
      department_id: body.departmentId,
      position_id: body.positionId ?? null,
      supervisor_id: body.supervisorId ?? null,
      status: 'active',
      is_admin: body.isAdmin ? 1 : 0,
      password_hash: passwordHash,
      must_change_password: 1,
      locale: null,
      locked_until: null,
      version: 1,
      created_at: now,
      updated_at: now,
      left_at: null,
    });
    const created = await loadWritten(tx, id, caller);
    await audit(tx, caller.actor, {
      action: 'create',
      entity: 'user',
      entityId: id,
      after: { ...auditView(created), isAdmin: body.isAdmin ?? false },
    });
    return presentUser(created, caller.fields);
  });
}

/**
 * Edits a user's profile and placement. Field rules apply: a field the caller's position makes
 * read-only (or hidden) cannot be changed (403 naming it). Supervisor loops are refused on
 * `supervisorId`. The admin flag needs an admin caller, is audited as a permission change, and
 * the last active admin keeps it. Stale version → 409.
 */
export async function updateUser(db: DbOrTx, id: string, body: UpdateUserBody, caller: Caller): Promise<User> {
  return withTx(db, async (tx) => {
    const before = await loadUser(tx, id, caller);
    if (before.version !== body.version) throw new AppError('stale_version');
    guardAdminTarget(before, caller);
    const patch: Parameters<typeof updateUserRow>[3] = {};
    if (body.name !== undefined) patch.name = body.name;
    for (const f of ['email', 'mobile'] as const) {
      const value = body[f];
      if (value === undefined || value === before[f]) continue;
      const rule = caller.fields[`org.${f}`];
      // a hidden field reads as null: sending that null back is "unchanged", not a wipe
      if (rule === 'hidden' && value === null) continue;
      if (rule) throw readonly(f);
      patch[f] = value;
    }
    if (patch.email && (await findLoginClash(tx, patch.email, id))) throw duplicate('email', patch.email);
    if (body.departmentId !== undefined && body.departmentId !== before.department_id) {
      await requireDepartment(tx, 'departmentId', body.departmentId);
      patch.department_id = body.departmentId;
    }
    if (body.positionId !== undefined && body.positionId !== before.position_id) {
      if (!caller.isAdmin && caller.userId === id) throw new AppError('admin_required'); // no self-promotion
      if (body.positionId) {
        await requirePosition(tx, 'positionId', body.positionId);
        await assertAssignablePosition(tx, caller, body.positionId);
      }
      patch.position_id = body.positionId;
    }
    if (body.supervisorId !== undefined && body.supervisorId !== before.supervisor_id) {
      if (body.supervisorId) {
        if (await wouldCycle(tx, id, body.supervisorId)) throw fieldError('supervisorId', 'cycle');
        await requireActiveUser(tx, 'supervisorId', body.supervisorId);
      }
      patch.supervisor_id = body.supervisorId;
    }
    const adminChange = body.isAdmin !== undefined && body.isAdmin !== (before.is_admin === 1);
    if (adminChange) {
      if (!caller.isAdmin) throw new AppError('admin_required');
      if (!body.isAdmin && before.status === 'active' && (await otherActiveAdmins(tx, id)) === 0) throw new AppError('last_admin');
      patch.is_admin = body.isAdmin ? 1 : 0;
    }
    if (!(await updateUserRow(tx, id, body.version, patch, nowIso()))) throw new AppError('stale_version');
    const after = await loadWritten(tx, id, caller);
    await audit(tx, caller.actor, { action: 'update', entity: 'user', entityId: id, before: auditView(before), after: auditView(after) });
    if (adminChange) {
      await audit(tx, caller.actor, {
        action: 'permission',
        entity: 'user',
        entityId: id,
        before: { isAdmin: before.is_admin === 1 },
        after: { isAdmin: after.is_admin === 1 },
      });
    }
    return presentUser(after, caller.fields);
  });
}

/**
 * An admin-set password: the user must change it at the next sign-in, any lock is lifted and
 * every session of the user ends. Audited (without the password).
 */
export async function resetPassword(db: DbOrTx, id: string, password: string, caller: Caller): Promise<void> {
  const passwordHash = await hashPassword(password);
  await withTx(db, async (tx) => {
    const before = await loadUser(tx, id, caller);
    guardAdminTarget(before, caller);
    const patch = { password_hash: passwordHash, must_change_password: 1, locked_until: null };
    if (!(await updateUserRow(tx, id, before.version, patch, nowIso()))) throw new AppError('stale_version');
    const sessions = await deleteSessionsOf(tx, id);
    await audit(tx, caller.actor, { action: 'password_reset', entity: 'user', entityId: id, detail: `sessions ended: ${sessions}` });
  });
}

/**
 * Sets active / disabled / left. Disabled or left: every session ends at once and sign-in is
 * refused (API tokens stop working too, as authentication only accepts active users); 'left'
 * records when. Users are never deleted. The last active admin cannot be disabled. Audited.
 */
export async function setUserStatus(db: DbOrTx, id: string, status: UserStatus, caller: Caller): Promise<User> {
  return withTx(db, async (tx) => {
    const before = await loadUser(tx, id, caller);
    guardAdminTarget(before, caller);
    if (before.status === status) return presentUser(before, caller.fields);
    if (status !== 'active' && before.is_admin === 1 && (await otherActiveAdmins(tx, id)) === 0) throw new AppError('last_admin');
    const now = nowIso();
    const patch = { status, left_at: status === 'left' ? now : null };
    if (!(await updateUserRow(tx, id, before.version, patch, now))) throw new AppError('stale_version');
    const sessions = status === 'active' ? 0 : await deleteSessionsOf(tx, id);
    await audit(tx, caller.actor, {
      action: 'status',
      entity: 'user',
      entityId: id,
      before: { status: before.status },
      after: { status },
      detail: sessions ? `sessions ended: ${sessions}` : null,
    });
    return presentUser(await loadUser(tx, id, caller), caller.fields);
  });
}
