import type { DbOrTx } from '@server/db/types';
import { permissionsWithin, type PositionPermissions } from '@common/permissions';
import { AppError, fieldError } from '../http/errors';
import type { Caller } from './caller';

/**
 * Checks for ids that a body points at: each failure is a 400 naming the body field,
 * so a form can show it beside the right input.
 */

/** A live, enabled department (a disabled one takes no new users or sub-departments). */
export async function requireDepartment(db: DbOrTx, field: string, id: string): Promise<void> {
  const d = await db.selectFrom('departments').select(['disabled']).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!d) throw fieldError(field, 'not_found');
  if (d.disabled) throw fieldError(field, 'inactive');
}

export async function requirePosition(db: DbOrTx, field: string, id: string): Promise<void> {
  const p = await db.selectFrom('positions').select('id').where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!p) throw fieldError(field, 'not_found');
}

/** An existing user in status active (heads, supervisors and handover recipients must be). */
export async function requireActiveUser(db: DbOrTx, field: string, id: string): Promise<void> {
  const u = await db.selectFrom('users').select('status').where('id', '=', id).executeTakeFirst();
  if (!u) throw fieldError(field, 'not_found');
  if (u.status !== 'active') throw fieldError(field, 'inactive');
}

/** Refuses (403) a non-admin handing out a matrix wider than their own: no escalation through org rights. */
export function assertWithinCaller(caller: Caller, permissions: PositionPermissions): void {
  if (!caller.isAdmin && !permissionsWithin(permissions, caller.permissions)) throw new AppError('exceeds_own_permissions');
}

/** A non-admin may put users only into positions no stronger than their own. */
export async function assertAssignablePosition(db: DbOrTx, caller: Caller, positionId: string): Promise<void> {
  if (caller.isAdmin) return;
  const p = await db.selectFrom('positions').select('permissions').where('id', '=', positionId).executeTakeFirst();
  if (p) assertWithinCaller(caller, JSON.parse(p.permissions) as PositionPermissions);
}
