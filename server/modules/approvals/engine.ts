import type { ConditionGroup, InstanceStatus } from '@common/schemas/approvals';
import type { DbOrTx, Tx } from '@server/db/types';
import { newId, nowIso } from '@server/db/ids';
import { isUniqueViolation } from '@server/db/errors';
import type { Actor } from '@server/platform/audit/audit.service';
import { AppError, fieldError } from '@server/platform/http/errors';
import { approvable } from './registry';
import { activeUsers, resolveApprovers, submitterInfo } from './approvers';
import { DepartmentTree, matches, type SubmitterInfo } from './conditions';
import { announce, enterFrom, recordAction, save, tell, type EngineContext, type Run } from './engine-core';
import { loadVersion, parseJson, planRoute, pointsOf, type EngineState } from './engine-store';

/**
 * The approval engine's API for document modules (selectFlow, submitDocument,
 * assertNotInApproval, latestInstance) and the runtime actions used by the approval centre.
 */

export type { EngineContext } from './engine-core';
export { approve, reject, withdraw, transfer, addApprover, resubmit } from './engine-actions';

/** an instance in these holds its document (the partial unique index approval_instances_running allows one) */
const OPEN_STATUSES: readonly string[] = ['pending', 'returned'];

/**
 * The flow that would run for this document now: enabled flows of the type in ascending
 * `priority` (0 first), the first whose entry condition matches; else the type's default flow;
 * else null (= the type needs no approval; the document proceeds at once).
 */
export async function selectFlow(
  db: DbOrTx,
  type: string,
  values: Record<string, unknown>,
  submitterId: string,
): Promise<{ flowId: string; versionId: string } | null> {
  const flows = await db
    .selectFrom('approval_flows')
    .select(['id', 'entry', 'is_default', 'current_version_id'])
    .where('type', '=', type)
    .where('enabled', '=', 1)
    .where('deleted_at', 'is', null)
    .where('current_version_id', 'is not', null)
    .orderBy('priority')
    .orderBy('id')
    .execute();
  if (!flows.length) return null;
  const submitter = await subjectSubmitter(db, submitterId);
  const tree = new DepartmentTree(db);
  for (const f of flows) {
    if (f.is_default) continue;
    if (await matches(parseJson<ConditionGroup | null>(f.entry, null), { values, submitter }, tree)) {
      return { flowId: f.id, versionId: f.current_version_id! };
    }
  }
  const fallback = flows.find((f) => f.is_default);
  return fallback ? { flowId: fallback.id, versionId: fallback.current_version_id! } : null;
}

async function subjectSubmitter(db: DbOrTx, submitterId: string): Promise<SubmitterInfo> {
  return (await submitterInfo(db, submitterId)) ?? { id: submitterId, departmentId: null, positionId: null, supervisorId: null };
}

/** The newest instance of a document, if any. */
export async function latestInstance(
  db: DbOrTx,
  type: string,
  documentId: string,
): Promise<{ id: string; status: InstanceStatus } | undefined> {
  const row = await db
    .selectFrom('approval_instances')
    .select(['id', 'status'])
    .where('type', '=', type)
    .where('document_id', '=', documentId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { id: row.id, status: row.status as InstanceStatus } : undefined;
}

/** Throws 'approval_document_locked' when the document has a pending or returned instance. */
export async function assertNotInApproval(db: DbOrTx, type: string, documentId: string): Promise<void> {
  const latest = await latestInstance(db, type, documentId);
  if (latest && OPEN_STATUSES.includes(latest.status)) throw new AppError('approval_document_locked');
}

/**
 * Starts the approval of a document inside the caller's transaction (from inTransaction():
 * notifications and realtime go out after commit). Loads the document through its registered
 * type, pins the flow's current version, snapshots the values, plans the route through the
 * branches, adds the cc recipients (the flow's and the submitter's own), and opens the first point
 * that has approvers (or skips / rejects per whenEmpty). def.onStatus is called once with the
 * status the instance has after these steps ('pending', or 'approved' when every point was
 * skipped, 'rejected' when an empty point rejects).
 * Throws 'approval_no_flow' (unknown type or no flow applies) | 'approval_in_progress' (also
 * to the loser of two simultaneous submits of one document).
 */
export async function submitDocument(
  ctx: EngineContext,
  tx: Tx,
  input: { type: string; documentId: string; submitterId: string; cc?: string[]; comment?: string | null; attachments?: string[] },
  actor: Actor,
): Promise<{ instanceId: string; status: InstanceStatus }> {
  const doc = await approvable(tx, input.type);
  if (!doc) throw new AppError('approval_no_flow');
  const latest = await latestInstance(tx, input.type, input.documentId);
  if (latest && OPEN_STATUSES.includes(latest.status)) throw new AppError('approval_in_progress');
  const loaded = await doc.load(tx, input.documentId);
  const flow = await selectFlow(tx, input.type, loaded.values, input.submitterId);
  if (!flow) throw new AppError('approval_no_flow');
  const version = await loadVersion(tx, flow.versionId);
  const submitter = await subjectSubmitter(tx, input.submitterId);
  const tree = new DepartmentTree(tx);
  const now = ctx.now?.() ?? new Date();
  const state: EngineState = {
    route: await planRoute(version.definition.nodes, { values: loaded.values, submitter }, tree),
    path: [],
    rounds: {},
    submission: 1,
    acted: false,
    submitterPositionId: submitter.positionId,
    link: loaded.link,
  };
  const id = newId();
  const row = {
    id,
    type: input.type,
    document_id: input.documentId,
    title: loaded.title.slice(0, 200),
    flow_id: flow.flowId,
    flow_version_id: flow.versionId,
    submitter_id: input.submitterId,
    submitter_department_id: submitter.departmentId,
    status: 'pending',
    current_node_id: null,
    fields: JSON.stringify(loaded.values),
    state: JSON.stringify(state),
    version: 1,
    created_at: nowIso(now),
    updated_at: nowIso(now),
    finished_at: null,
  };
  try {
    await tx.insertInto('approval_instances').values(row).execute();
  } catch (err) {
    // a simultaneous submit of the same document committed first (PostgreSQL waits for it here)
    if (isUniqueViolation(err)) throw new AppError('approval_in_progress');
    throw err;
  }
  const run: Run = { ctx, tx, inst: row, state, doc, version, points: pointsOf(version.definition.nodes), actor, now, tree };
  await recordAction(run, { action: 'submit', actorId: input.submitterId, comment: input.comment, attachments: input.attachments });
  await addCc(run, input.cc ?? [], submitter);
  await enterFrom(run, 0);
  if (run.inst.status === 'pending') await announce(run, 'pending');
  await save(run);
  return { instanceId: id, status: run.inst.status as InstanceStatus };
}

/** 抄送 on submit: the flow's cc rules and the submitter's own picks (active users, not the submitter). */
async function addCc(run: Run, picked: string[], submitter: SubmitterInfo): Promise<void> {
  const fromFlow = await resolveApprovers(run.tx, run.version.definition.cc ?? [], submitter, run.tree);
  const chosen = await activeUsers(run.tx, [...new Set(picked)]);
  const missing = picked.findIndex((id) => !chosen.includes(id));
  if (missing >= 0) throw fieldError(`cc.${missing}`, 'not_found');
  const users = [...new Set([...fromFlow, ...chosen])].filter((u) => u !== run.inst.submitter_id);
  if (!users.length) return;
  await run.tx
    .insertInto('approval_cc')
    .values(users.map((user_id) => ({ instance_id: run.inst.id, user_id, read_at: null, created_at: nowIso(run.now) })))
    .execute();
  await recordAction(run, { action: 'cc', actorId: null, detail: { userIds: users } });
  await tell(run, users, 'approval.cc', 'approvals.notify.cc');
}
