import type { ActionKind, InstanceStatus, PointNode } from '@common/schemas/approvals';
import type { Locale } from '@common/messages/index';
import type { Db, Tx } from '@server/db/types';
import { newId, nowIso } from '@server/db/ids';
import type { RealtimeHub } from '@server/platform/realtime/realtime.hub';
import { audit, type Actor } from '@server/platform/audit/audit.service';
import { attachFiles } from '@server/platform/files/files.service';
import { AppError, fieldError } from '@server/platform/http/errors';
import type { ApprovableDef } from './registry';
import { activeAdmins, resolveApprovers, submitterInfo } from './approvers';
import { DepartmentTree, type SubmitterInfo } from './conditions';
import { UNFINISHED, isUnfinished, pointTasks, type EngineState, type FlowVersion, type InstanceRow, type TaskRow } from './engine-store';
import { notifyLocalised, publishAfterCommit, typeLabel } from './engine-notify';

/**
 * The walker: enters points along the planned route, opens their tasks level by level, closes
 * them and ends the instance. Every function works on one `Run` — the locked instance inside the
 * action's transaction — and `save` writes it back.
 *
 * Tasks of a point: the lowest `seq` with unfinished tasks is the active level (its tasks pending,
 * higher ones waiting). Sequential points put each approver on its own level; 加签 before/after
 * adds a level just below/above the adder's (lower levels are all finished; higher unfinished ones
 * move up to make room). Tasks sharing a `group_id` are alternatives (或签,
 * the admins of an escalation): the first approval settles the group; a level is done when all its
 * tasks (groups) are.
 */

export type EngineContext = { db: Db; realtime: Pick<RealtimeHub, 'publish'>; now?: () => Date };

export type Run = {
  ctx: EngineContext;
  tx: Tx;
  inst: InstanceRow;
  state: EngineState;
  doc: ApprovableDef | undefined;
  version: FlowVersion;
  points: Map<string, PointNode>;
  actor: Actor;
  now: Date;
  tree: DepartmentTree;
};

/** seq of a flow level (依次: 100, 200, …); 加签 'before' goes one below the adder, 'after' one above */
export const LEVEL = 100;

export const at = (run: Run) => nowIso(run.now);

export function linkOf(instanceId: string): string {
  return `/approvals/${instanceId}`;
}

export function pointOf(run: Run, nodeId: string): PointNode {
  const p = run.points.get(nodeId);
  if (!p) throw new AppError('approval_flow_invalid');
  return p;
}

/** Writes one history entry (and its audit entry). `actorId` null for the engine's own steps. */
export async function recordAction(
  run: Run,
  a: {
    action: ActionKind;
    actorId: string | null;
    taskId?: string | null;
    nodeId?: string | null;
    comment?: string | null;
    attachments?: string[];
    detail?: Record<string, unknown> | null;
  },
): Promise<void> {
  const files = a.attachments ?? [];
  if (files.length && a.actorId) {
    try {
      await attachFiles(run.tx, files, 'approval', run.inst.id, a.actorId);
    } catch (err) {
      const field = err instanceof AppError ? err.fieldErrors[0]?.field : undefined;
      if (field?.startsWith('attachmentIds.')) throw fieldError(field.replace('attachmentIds.', 'attachments.'), 'not_found');
      throw err;
    }
  }
  await run.tx
    .insertInto('approval_actions')
    .values({
      id: newId(),
      instance_id: run.inst.id,
      task_id: a.taskId ?? null,
      node_id: a.nodeId ?? null,
      actor_id: a.actorId,
      action: a.action,
      comment: a.comment ?? null,
      attachments: JSON.stringify([...new Set(files)]),
      detail: a.detail ? JSON.stringify(a.detail) : null,
      at: at(run),
    })
    .execute();
  const point = a.nodeId ? run.points.get(a.nodeId)?.name : undefined;
  await audit(run.tx, run.actor, {
    action: `approval.${a.action}`,
    entity: 'approval',
    entityId: run.inst.id,
    detail: [run.inst.title, point, a.comment].filter(Boolean).join(' · ') || null,
  });
}

/** Writes the instance back (status, current point, state, snapshot) and announces it after commit. */
export async function save(run: Run): Promise<void> {
  const i = run.inst;
  await run.tx
    .updateTable('approval_instances')
    .set({
      status: i.status,
      current_node_id: i.current_node_id,
      state: JSON.stringify(run.state),
      title: i.title,
      fields: i.fields,
      submitter_department_id: i.submitter_department_id,
      updated_at: at(run),
      finished_at: i.finished_at,
    })
    .where('id', '=', i.id)
    .execute();
  publishAfterCommit(run.ctx, run.tx, i.id);
}

function notice(run: Run, type: string, titleKey: string, extra: Record<string, string> = {}) {
  const submitterName = extra.submitter ?? '';
  return {
    type,
    titleKey,
    bodyKey: 'approvals.notify.body',
    params: (locale: Locale) => ({
      title: run.inst.title,
      type: typeLabel(run.doc, locale, run.inst.type),
      submitter: submitterName,
      ...extra,
    }),
    link: linkOf(run.inst.id),
    data: { instanceId: run.inst.id, type: run.inst.type, documentId: run.inst.document_id },
  };
}

export async function userName(run: Run, id: string | null): Promise<string> {
  if (!id) return '';
  const u = await run.tx.selectFrom('users').select('name').where('id', '=', id).executeTakeFirst();
  return u?.name ?? '';
}

/** Notifies users of a kind the engine sends about this instance (title by message key). */
export async function tell(run: Run, userIds: string[], type: string, titleKey: string, extra: Record<string, string> = {}) {
  if (!userIds.length) return;
  const submitter = await userName(run, run.inst.submitter_id);
  await notifyLocalised(run.ctx, run.tx, userIds, notice(run, type, titleKey, { submitter, ...extra }));
}

/** due_at / remind_at of a task that becomes pending now at `point`. */
export function deadlines(run: Run, point: PointNode): { due_at: string | null; remind_at: string | null } {
  const limit = point.timeLimit;
  if (!limit) return { due_at: null, remind_at: null };
  const due = run.now.getTime() + limit.hours * 3_600_000;
  const remind = limit.remindBeforeHours > 0 ? due - limit.remindBeforeHours * 3_600_000 : null;
  return { due_at: nowIso(new Date(due)), remind_at: remind !== null && remind > run.now.getTime() ? nowIso(new Date(remind)) : null };
}

/** Inserts tasks; the pending ones are told (by default 'X提交的…待你审批'). */
export async function insertTasks(
  run: Run,
  point: PointNode,
  rows: { approverId: string; seq: number; status: 'pending' | 'waiting'; groupId: string | null; addedBy: string | null }[],
  titleKey = 'approvals.notify.requested',
): Promise<TaskRow[]> {
  if (!rows.length) return [];
  const round = run.state.rounds[point.id] ?? 1;
  const created = rows.map((r) => ({
    id: newId(),
    instance_id: run.inst.id,
    node_id: point.id,
    round,
    seq: r.seq,
    approver_id: r.approverId,
    status: r.status,
    added_by: r.addedBy,
    group_id: r.groupId,
    ...(r.status === 'pending' ? deadlines(run, point) : { due_at: null, remind_at: null }),
    reminded_at: null,
    escalated_at: null,
    acted_at: null,
    comment: null,
    created_at: at(run),
  }));
  await run.tx.insertInto('approval_tasks').values(created).execute();
  await tell(
    run,
    created.filter((t) => t.status === 'pending').map((t) => t.approver_id),
    'approval.requested',
    titleKey,
  );
  return created;
}

/** Approvers with an unfinished task at the task's point and round (nobody gets a second one there). */
export async function openApprovers(run: Run, task: TaskRow): Promise<Set<string>> {
  const tasks = await pointTasks(run.tx, run.inst.id, task.node_id, task.round);
  return new Set(tasks.filter(isUnfinished).map((t) => t.approver_id));
}

/** The submitter as the approver rules see them now (department, position, supervisor). */
export async function currentSubmitter(run: Run): Promise<SubmitterInfo> {
  return (
    (await submitterInfo(run.tx, run.inst.submitter_id)) ?? {
      id: run.inst.submitter_id,
      departmentId: run.inst.submitter_department_id,
      positionId: run.state.submitterPositionId,
      supervisorId: null,
    }
  );
}

/** Opens a point: resolves its approvers and creates its tasks; when nobody resolves, whenEmpty decides (skip, admins, reject). */
async function openPoint(run: Run, point: PointNode): Promise<'open' | 'skipped' | 'rejected'> {
  let approvers = await resolveApprovers(run.tx, point.approvers, await currentSubmitter(run), run.tree);
  let shared = point.mode === 'any';
  if (!approvers.length) {
    const admins = point.whenEmpty === 'admin' ? await activeAdmins(run.tx) : [];
    if (point.whenEmpty === 'reject') {
      // never an error to the submitter: the instance ends rejected and says which point had nobody
      await recordAction(run, { action: 'reject', actorId: null, nodeId: point.id, detail: { reason: 'no_approver', point: point.name } });
      await finish(run, 'rejected', { titleKey: 'approvals.notify.rejected_no_approver', extra: { point: point.name } });
      return 'rejected';
    }
    if (!admins.length) {
      await recordAction(run, { action: 'skip', actorId: null, nodeId: point.id, detail: { reason: 'no_approver' } });
      return 'skipped';
    }
    // any one admin decides, whatever the point's mode
    approvers = admins;
    shared = true;
    await recordAction(run, { action: 'escalate', actorId: null, nodeId: point.id, detail: { reason: 'no_approver', to: admins } });
  }
  run.state.rounds[point.id] = (run.state.rounds[point.id] ?? 0) + 1;
  run.state.path.push(point.id);
  run.inst.current_node_id = point.id;
  const group = shared ? newId() : null;
  const sequential = point.mode === 'sequential' && !shared;
  await insertTasks(
    run,
    point,
    approvers.map((approverId, i) => ({
      approverId,
      seq: sequential ? LEVEL * (i + 1) : LEVEL,
      status: !sequential || i === 0 ? 'pending' : 'waiting',
      groupId: group,
      addedBy: null,
    })),
  );
  return 'open';
}

/** Walks the route from position `index`: opens the first point that has approvers, or ends approved. */
export async function enterFrom(run: Run, index: number): Promise<void> {
  for (let i = index; i < run.state.route.length; i++) {
    const result = await openPoint(run, pointOf(run, run.state.route[i]));
    if (result !== 'skipped') return;
  }
  await finish(run, 'approved');
}

/**
 * After a task at `nodeId` was settled: opens the next level of the point, or — when the point
 * has nothing left — walks on to the next point.
 */
export async function continuePoint(run: Run, nodeId: string): Promise<void> {
  const tasks = await pointTasks(run.tx, run.inst.id, nodeId, run.state.rounds[nodeId] ?? 1);
  const unfinished = tasks.filter(isUnfinished);
  if (unfinished.some((t) => t.status === 'pending')) return;
  if (unfinished.length) {
    const seq = Math.min(...unfinished.map((t) => t.seq));
    const next = unfinished.filter((t) => t.seq === seq);
    const point = pointOf(run, nodeId);
    await run.tx
      .updateTable('approval_tasks')
      .set({ status: 'pending', ...deadlines(run, point), reminded_at: null, escalated_at: null })
      .where(
        'id',
        'in',
        next.map((t) => t.id),
      )
      .execute();
    await tell(
      run,
      next.map((t) => t.approver_id),
      'approval.requested',
      'approvals.notify.requested',
    );
    return;
  }
  await enterFrom(run, run.state.route.indexOf(nodeId) + 1);
}

/** Cancels every unfinished task of the instance (the instance ended or moved elsewhere). */
export async function cancelOpenTasks(run: Run): Promise<void> {
  await run.tx
    .updateTable('approval_tasks')
    .set({ status: 'cancelled' })
    .where('instance_id', '=', run.inst.id)
    .where('status', 'in', [...UNFINISHED])
    .execute();
}

/** Tells the document, inside this transaction, that the instance's status is now `status`. */
export async function announce(run: Run, status: InstanceStatus): Promise<void> {
  await run.doc?.onStatus?.(
    { tx: run.tx, instanceId: run.inst.id, documentId: run.inst.document_id, submitterId: run.inst.submitter_id, actor: run.actor },
    status,
  );
}

/**
 * Ends the instance (approved / rejected / withdrawn) or hands it back (returned). `notice`
 * words the submitter's notification when the plain one ('…已通过审批', '…被驳回') would not say why.
 */
export async function finish(
  run: Run,
  status: Exclude<InstanceStatus, 'pending'>,
  notice: { titleKey: string; extra?: Record<string, string> } = { titleKey: `approvals.notify.${status}` },
): Promise<void> {
  await cancelOpenTasks(run);
  run.inst.status = status;
  run.inst.finished_at = status === 'returned' ? null : at(run);
  await announce(run, status);
  if (status === 'withdrawn') return;
  await tell(run, [run.inst.submitter_id], `approval.${status}`, notice.titleKey, notice.extra);
  if (status === 'returned') return;
  const cc = await run.tx.selectFrom('approval_cc').select('user_id').where('instance_id', '=', run.inst.id).execute();
  if (!cc.length) return;
  // the decision is news to those copied: their cc box shows it unread again
  await run.tx.updateTable('approval_cc').set({ read_at: null }).where('instance_id', '=', run.inst.id).execute();
  await tell(
    run,
    cc.map((c) => c.user_id),
    'approval.cc',
    `approvals.notify.cc_${status}`,
  );
}
