import type { ApproverSpec } from '@common/schemas/approvals';
import type { DbOrTx } from '@server/db/types';
import { parseJson } from './engine-store';
import type { DepartmentTree, SubmitterInfo } from './conditions';

/**
 * Who decides a point: approver rules resolved against the submitter, in the listed order, without
 * repeats, active users only (disabled and departed users are passed over).
 */

/** Longest supervisor chain walked (a deeper chain is a data error, not an organisation). */
const MAX_CHAIN = 20;

type UserLite = { id: string; status: string; supervisor_id: string | null; position_id: string | null };

async function usersById(db: DbOrTx, ids: string[]): Promise<Map<string, UserLite>> {
  if (!ids.length) return new Map();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'status', 'supervisor_id', 'position_id'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

async function approvalPositionMembers(db: DbOrTx, positionId: string, submitter: SubmitterInfo, tree: DepartmentTree): Promise<string[]> {
  const rows = await db
    .selectFrom('approval_position_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .innerJoin('approval_positions as p', 'p.id', 'm.position_id')
    .select(['m.user_id', 'm.department_ids'])
    .where('m.position_id', '=', positionId)
    .where('p.deleted_at', 'is', null)
    .where('u.status', '=', 'active')
    .orderBy('u.name')
    .orderBy('u.id')
    .execute();
  const chain = new Set(await tree.ancestors(submitter.departmentId));
  const members = rows.map((r) => ({ userId: r.user_id, departments: parseJson<string[]>(r.department_ids, []) }));
  // members named for the submitter's department (or a parent of it) first; else the all-department members
  const covering = members.filter((m) => m.departments.some((d) => chain.has(d)));
  return (covering.length ? covering : members.filter((m) => m.departments.length === 0)).map((m) => m.userId);
}

async function supervisorChain(db: DbOrTx, submitter: SubmitterInfo, levels: number | undefined, untilPositionId: string | undefined) {
  const out: string[] = [];
  const seen = new Set<string>([submitter.id]);
  const max = Math.min(levels ?? MAX_CHAIN, MAX_CHAIN);
  let next = submitter.supervisorId;
  for (let level = 0; next && level < max && !seen.has(next); level++) {
    seen.add(next);
    const u = (await usersById(db, [next])).get(next);
    if (!u) break;
    if (u.status === 'active') out.push(u.id);
    if (untilPositionId && u.position_id === untilPositionId) break;
    next = u.supervisor_id;
  }
  return out;
}

async function departmentHead(db: DbOrTx, submitter: SubmitterInfo, tree: DepartmentTree): Promise<string[]> {
  const chain = await tree.chain(submitter.departmentId);
  const heads = await usersById(
    db,
    chain.map((d) => d.head_user_id).filter((h): h is string => !!h),
  );
  for (const d of chain) {
    // a head submitting goes to the head above them, not to themselves
    const h = d.head_user_id ? heads.get(d.head_user_id) : undefined;
    if (h && h.status === 'active' && h.id !== submitter.id) return [h.id];
  }
  return [];
}

async function candidates(db: DbOrTx, spec: ApproverSpec, submitter: SubmitterInfo, tree: DepartmentTree): Promise<string[]> {
  switch (spec.kind) {
    case 'approval_position':
      return approvalPositionMembers(db, spec.positionId, submitter, tree);
    case 'users':
      return spec.userIds;
    case 'supervisor':
      return submitter.supervisorId ? [submitter.supervisorId] : [];
    case 'supervisor_chain':
      return supervisorChain(db, submitter, spec.levels, spec.untilPositionId);
    case 'department_head':
      return departmentHead(db, submitter, tree);
    case 'role': {
      const rows = await db
        .selectFrom('users')
        .select('id')
        .where('position_id', '=', spec.positionId)
        .where('status', '=', 'active')
        .orderBy('name')
        .orderBy('id')
        .execute();
      return rows.map((r) => r.id);
    }
  }
}

/** Resolves a point's approver rules to ordered, de-duplicated active user ids. */
export async function resolveApprovers(
  db: DbOrTx,
  specs: ApproverSpec[],
  submitter: SubmitterInfo,
  tree: DepartmentTree,
): Promise<string[]> {
  const ordered: string[] = [];
  for (const spec of specs) ordered.push(...(await candidates(db, spec, submitter, tree)));
  const unique = [...new Set(ordered)];
  const users = await usersById(db, unique);
  return unique.filter((id) => users.get(id)?.status === 'active');
}

/** Every active admin (whenEmpty 'admin', escalation to the admins). */
export async function activeAdmins(db: DbOrTx): Promise<string[]> {
  const rows = await db.selectFrom('users').select('id').where('is_admin', '=', 1).where('status', '=', 'active').orderBy('id').execute();
  return rows.map((r) => r.id);
}

/** The ids among `ids` that are active users, in the given order. */
export async function activeUsers(db: DbOrTx, ids: string[]): Promise<string[]> {
  const users = await usersById(db, ids);
  return ids.filter((id) => users.get(id)?.status === 'active');
}

/** The submitter-relevant facts of a user (undefined when absent). */
export async function submitterInfo(db: DbOrTx, userId: string): Promise<SubmitterInfo | undefined> {
  const u = await db
    .selectFrom('users')
    .select(['id', 'department_id', 'position_id', 'supervisor_id'])
    .where('id', '=', userId)
    .executeTakeFirst();
  return u ? { id: u.id, departmentId: u.department_id, positionId: u.position_id, supervisorId: u.supervisor_id } : undefined;
}
