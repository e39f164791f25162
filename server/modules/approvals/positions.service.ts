import { z } from 'zod';
import type { ApprovalPosition, FlowDefinition, FlowNode } from '@common/schemas/approvals';
import { approvalPositionBody, updateApprovalPositionBody } from '@common/schemas/approvals';
import type { DbOrTx } from '@server/db/types';
import { newId, nowIso } from '@server/db/ids';
import { audit, type Actor } from '@server/platform/audit/audit.service';
import { AppError, fieldError, notFound } from '@server/platform/http/errors';
import { withTx } from '@server/platform/org/caller';
import { requireActiveUser, requireDepartment } from '@server/platform/org/references';
import { enabledFlowsMentioning } from './flows.repository';
import {
  insertApprovalPosition,
  listApprovalPositionRows,
  memberRows,
  nameTaken,
  replaceMembers,
  updateApprovalPositionRow,
} from './positions.repository';

/**
 * 审批职位: named groups of approvers a flow point can name (e.g. 财务审批, 法务), each member
 * optionally only for submitters of some departments (and their sub-departments).
 */

type Body = z.infer<typeof approvalPositionBody>;
type UpdateBody = z.infer<typeof updateApprovalPositionBody>;
type Members = Body['members'];

async function present(db: DbOrTx, id?: string): Promise<ApprovalPosition[]> {
  const rows = await listApprovalPositionRows(db, id);
  const members = await memberRows(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    members: members
      .filter((m) => m.position_id === r.id)
      .map((m) => ({ userId: m.user_id, userName: m.user_name, departmentIds: JSON.parse(m.department_ids) as string[] })),
    version: r.version,
  }));
}

const auditView = (p: ApprovalPosition) => ({
  name: p.name,
  description: p.description,
  members: p.members.map((m) => ({ userId: m.userId, userName: m.userName, departmentIds: m.departmentIds })),
});

/** Members must be active users, each once; their departments live ones (400 naming `members.i…`). */
async function checkMembers(db: DbOrTx, members: Members): Promise<Members> {
  const seen = new Set<string>();
  for (const [i, m] of members.entries()) {
    if (seen.has(m.userId)) throw fieldError(`members.${i}.userId`, 'duplicate');
    seen.add(m.userId);
    await requireActiveUser(db, `members.${i}.userId`, m.userId);
    for (const [j, d] of m.departmentIds.entries()) await requireDepartment(db, `members.${i}.departmentIds.${j}`, d);
  }
  return members.map((m) => ({ userId: m.userId, departmentIds: [...new Set(m.departmentIds)] }));
}

export async function listApprovalPositions(db: DbOrTx): Promise<ApprovalPosition[]> {
  return present(db);
}

/** One live approval position with its members, or 404. */
export async function getApprovalPosition(db: DbOrTx, id: string): Promise<ApprovalPosition> {
  const [p] = await present(db, id);
  if (!p) throw notFound();
  return p;
}

/** Creates an approval position with its members. A name already used → 400 on `name`. Audited. */
export async function createApprovalPosition(db: DbOrTx, body: Body, actor: Actor): Promise<ApprovalPosition> {
  return withTx(db, async (tx) => {
    if (await nameTaken(tx, body.name, null)) throw fieldError('name', 'duplicate');
    const members = await checkMembers(tx, body.members);
    const now = nowIso();
    const id = newId();
    await insertApprovalPosition(tx, {
      id,
      name: body.name,
      description: body.description ?? null,
      version: 1,
      created_by: actor.id,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    });
    await replaceMembers(tx, id, members);
    const created = await getApprovalPosition(tx, id);
    await audit(tx, actor, {
      action: 'create',
      entity: 'approval_position',
      entityId: id,
      after: auditView(created),
      detail: created.name,
    });
    return created;
  });
}

/** Renames, re-describes or replaces the members of an approval position. Stale version → 409. Audited. */
export async function updateApprovalPosition(db: DbOrTx, id: string, body: UpdateBody, actor: Actor): Promise<ApprovalPosition> {
  return withTx(db, async (tx) => {
    const before = await getApprovalPosition(tx, id);
    if (before.version !== body.version) throw new AppError('stale_version');
    if (body.name !== undefined && body.name !== before.name && (await nameTaken(tx, body.name, id))) throw fieldError('name', 'duplicate');
    const patch: Parameters<typeof updateApprovalPositionRow>[3] = {};
    if (body.name !== undefined) patch.name = body.name;
    if (body.description !== undefined) patch.description = body.description;
    if (body.members !== undefined) await replaceMembers(tx, id, await checkMembers(tx, body.members));
    // the version moves on a members-only change too: the designer's copy is stale either way
    if (!(await updateApprovalPositionRow(tx, id, body.version, patch, nowIso()))) throw new AppError('stale_version');
    const after = await getApprovalPosition(tx, id);
    await audit(tx, actor, {
      action: 'update',
      entity: 'approval_position',
      entityId: id,
      before: auditView(before),
      after: auditView(after),
      detail: after.name,
    });
    return after;
  });
}

/** Whether a chain (or the cc list) names the approval position. */
function namesPosition(def: FlowDefinition, positionId: string): boolean {
  const inNodes = (nodes: FlowNode[]): boolean =>
    nodes.some((n) =>
      n.kind === 'point'
        ? n.approvers.some((a) => a.kind === 'approval_position' && a.positionId === positionId)
        : n.branches.some((b) => inNodes(b.nodes)),
    );
  return inNodes(def.nodes) || (def.cc ?? []).some((a) => a.kind === 'approval_position' && a.positionId === positionId);
}

/**
 * Soft-deletes an approval position. Refused (409 approval_position_in_use, naming the flows) while
 * the current version of an enabled flow names it. Stale version (when given) → 409. Audited.
 */
export async function deleteApprovalPosition(db: DbOrTx, id: string, version: number | undefined, actor: Actor): Promise<void> {
  await withTx(db, async (tx) => {
    const before = await getApprovalPosition(tx, id);
    if (version !== undefined && version !== before.version) throw new AppError('stale_version');
    const using = (await enabledFlowsMentioning(tx, id)).filter((f) => namesPosition(JSON.parse(f.definition) as FlowDefinition, id));
    if (using.length) throw new AppError('approval_position_in_use', { flows: using.map((f) => f.name).join(', ') });
    const now = nowIso();
    if (!(await updateApprovalPositionRow(tx, id, before.version, { deleted_at: now }, now))) throw new AppError('stale_version');
    await audit(tx, actor, {
      action: 'delete',
      entity: 'approval_position',
      entityId: id,
      before: auditView(before),
      after: null,
      detail: before.name,
    });
  });
}
