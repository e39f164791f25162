import type { ApprovalPositionsTable, DbOrTx } from '@server/db/types';
import { updateVersioned } from '@server/db/versioned';

/** Queries of approval positions (审批职位) and their members (positions.service.ts decides). */

export type MemberRow = { position_id: string; user_id: string; user_name: string; department_ids: string };

export async function listApprovalPositionRows(db: DbOrTx, id?: string): Promise<ApprovalPositionsTable[]> {
  let q = db.selectFrom('approval_positions').selectAll().where('deleted_at', 'is', null);
  if (id) q = q.where('id', '=', id);
  return q.orderBy('name').orderBy('id').execute();
}

export async function memberRows(db: DbOrTx, positionIds: string[]): Promise<MemberRow[]> {
  if (positionIds.length === 0) return [];
  return db
    .selectFrom('approval_position_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.position_id', 'm.user_id', 'u.name as user_name', 'm.department_ids'])
    .where('m.position_id', 'in', positionIds)
    .orderBy('u.name')
    .orderBy('m.user_id')
    .execute();
}

export async function nameTaken(db: DbOrTx, name: string, exceptId: string | null): Promise<boolean> {
  let q = db.selectFrom('approval_positions').select('id').where('name', '=', name).where('deleted_at', 'is', null);
  if (exceptId) q = q.where('id', '!=', exceptId);
  return !!(await q.executeTakeFirst());
}

export async function insertApprovalPosition(db: DbOrTx, row: ApprovalPositionsTable): Promise<void> {
  await db.insertInto('approval_positions').values(row).execute();
}

export async function updateApprovalPositionRow(
  db: DbOrTx,
  id: string,
  version: number,
  patch: Partial<Pick<ApprovalPositionsTable, 'name' | 'description' | 'deleted_at'>>,
  now: string,
): Promise<boolean> {
  return updateVersioned(db, 'approval_positions', id, version, patch, now);
}

/** Replaces the members of a position. */
export async function replaceMembers(
  db: DbOrTx,
  positionId: string,
  members: { userId: string; departmentIds: string[] }[],
): Promise<void> {
  await db.deleteFrom('approval_position_members').where('position_id', '=', positionId).execute();
  if (members.length === 0) return;
  await db
    .insertInto('approval_position_members')
    .values(members.map((m) => ({ position_id: positionId, user_id: m.userId, department_ids: JSON.stringify(m.departmentIds) })))
    .execute();
}
