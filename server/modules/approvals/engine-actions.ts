import type { AddApproverBody, ApproveBody, RejectBody, TransferTaskBody } from '@common/schemas/approvals';
import type { Tx } from '@server/db/types';
import { newId } from '@server/db/ids';
import type { Actor } from '@server/platform/audit/audit.service';
import { AppError, fieldError } from '@server/platform/http/errors';
import { approvable } from './registry';
import { activeUsers } from './approvers';
import { DepartmentTree } from './conditions';
import {
  announce,
  at,
  cancelOpenTasks,
  continuePoint,
  currentSubmitter,
  enterFrom,
  finish,
  insertTasks,
  openApprovers,
  pointOf,
  recordAction,
  save,
  tell,
  type EngineContext,
  type Run,
} from './engine-core';
import { UNFINISHED, loadVersion, lockInstance, planRoute, pointTasks, pointsOf, readState, type TaskRow } from './engine-store';

/**
 * The runtime actions on an instance. Each one locks the instance first (see lockInstance), then
 * re-reads the tasks, so of two approvers of an any-one point acting at once the second finds
 * the point decided (409 approval_already_decided). The caller checks that the actor may see the
 * instance; these functions check what the actor may do on it.
 */

/** Locks the instance and assembles everything an action needs. */
export async function openRun(ctx: EngineContext, tx: Tx, instanceId: string, actor: Actor): Promise<Run> {
  const inst = await lockInstance(tx, instanceId);
  const version = await loadVersion(tx, inst.flow_version_id);
  return {
    ctx,
    tx,
    inst,
    state: readState(inst),
    doc: await approvable(tx, inst.type),
    version,
    points: pointsOf(version.definition.nodes),
    actor,
    now: ctx.now?.() ?? new Date(),
    tree: new DepartmentTree(tx),
  };
}

function userOf(actor: Actor): string {
  if (!actor.id) throw new AppError('approval_not_allowed');
  return actor.id;
}

/** The caller's pending task on the current point, or the reason they have none. */
export async function myPendingTask(run: Run, userId: string): Promise<TaskRow> {
  const node = run.inst.current_node_id;
  const tasks = node && run.inst.status === 'pending' ? await pointTasks(run.tx, run.inst.id, node, run.state.rounds[node] ?? 1) : [];
  const mine = tasks.find((t) => t.approver_id === userId && t.status === 'pending');
  if (mine) return mine;
  const latest = await run.tx
    .selectFrom('approval_tasks')
    .select('status')
    .where('instance_id', '=', run.inst.id)
    .where('approver_id', '=', userId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  // my share was settled by someone else (或签) or the whole instance was decided meanwhile
  if (latest && latest.status !== 'waiting' && run.inst.status !== 'withdrawn') throw new AppError('approval_already_decided');
  if (run.inst.status !== 'pending') throw new AppError('approval_not_pending');
  throw new AppError('approval_not_allowed');
}

/** Closes one task with the approver's decision (or as handed over). */
export async function settle(run: Run, task: TaskRow, status: 'approved' | 'rejected' | 'transferred', comment?: string | null) {
  await run.tx
    .updateTable('approval_tasks')
    .set({ status, acted_at: at(run), comment: comment ?? null })
    .where('id', '=', task.id)
    .execute();
}

/**
 * Approves the task (the actor's pending one, or the given one for auto-approval): the other
 * tasks of its group are cancelled; the point moves to its next level or the instance to the
 * next point (or ends approved).
 */
export async function approveTask(run: Run, task: TaskRow, body: { comment?: string | null; attachments?: string[] }, auto = false) {
  await settle(run, task, 'approved', body.comment);
  if (task.group_id) {
    await run.tx
      .updateTable('approval_tasks')
      .set({ status: 'cancelled' })
      .where('instance_id', '=', run.inst.id)
      .where('group_id', '=', task.group_id)
      .where('status', 'in', [...UNFINISHED])
      .execute();
  }
  run.state.acted = true;
  await recordAction(run, {
    action: auto ? 'auto_approve' : 'approve',
    actorId: auto ? null : task.approver_id,
    taskId: task.id,
    nodeId: task.node_id,
    comment: body.comment,
    attachments: body.attachments,
  });
  await continuePoint(run, task.node_id);
}

/** 同意 */
export async function approve(ctx: EngineContext, tx: Tx, instanceId: string, actor: Actor, body: ApproveBody): Promise<void> {
  const run = await openRun(ctx, tx, instanceId, actor);
  await approveTask(run, await myPendingTask(run, userOf(actor)), body);
  await save(run);
}

/** 驳回: to 'end' rejects; 'submitter' returns it for changes; an earlier point on the path opens that point again (new round). */
export async function reject(ctx: EngineContext, tx: Tx, instanceId: string, actor: Actor, body: RejectBody): Promise<void> {
  const run = await openRun(ctx, tx, instanceId, actor);
  const task = await myPendingTask(run, userOf(actor));
  const current = run.state.path.lastIndexOf(task.node_id);
  const target = body.to === 'end' || body.to === 'submitter' ? -1 : run.state.path.indexOf(body.to);
  if (body.to !== 'end' && body.to !== 'submitter' && (target < 0 || target >= current)) throw fieldError('to', 'invalid_value');
  await settle(run, task, 'rejected', body.comment);
  await cancelOpenTasks(run);
  run.state.acted = true;
  const base = { actorId: task.approver_id, taskId: task.id, nodeId: task.node_id, comment: body.comment, attachments: body.attachments };
  if (body.to === 'end') {
    await recordAction(run, { ...base, action: 'reject' });
    await finish(run, 'rejected');
  } else if (body.to === 'submitter') {
    await recordAction(run, { ...base, action: 'return', detail: { to: 'submitter' } });
    await finish(run, 'returned');
  } else {
    await recordAction(run, { ...base, action: 'reject', detail: { to: body.to } });
    run.state.path = run.state.path.slice(0, target);
    await tell(run, [run.inst.submitter_id], 'approval.rejected', 'approvals.notify.sent_back', { point: pointOf(run, body.to).name });
    await enterFrom(run, run.state.route.indexOf(body.to));
  }
  await save(run);
}

/** 撤回: the submitter, while no approver has acted in this submission (or while it is returned to them). */
export async function withdraw(
  ctx: EngineContext,
  tx: Tx,
  instanceId: string,
  actor: Actor,
  body: { comment?: string | null },
): Promise<void> {
  const run = await openRun(ctx, tx, instanceId, actor);
  if (run.inst.submitter_id !== userOf(actor)) throw new AppError('approval_not_allowed');
  if (run.inst.status !== 'pending' && run.inst.status !== 'returned') throw new AppError('approval_not_pending');
  if (run.inst.status === 'pending' && run.state.acted) throw new AppError('approval_not_allowed');
  await recordAction(run, { action: 'withdraw', actorId: actor.id, comment: body.comment });
  await finish(run, 'withdrawn');
  await save(run);
}

/** Users who may get a task at the current point: active, not the actor, without an open task there. */
async function newcomers(run: Run, task: TaskRow, userIds: string[], field: string): Promise<string[]> {
  const open = await openApprovers(run, task);
  const active = new Set(await activeUsers(run.tx, userIds));
  userIds.forEach((id, i) => {
    const name = userIds.length === 1 && field === 'toUserId' ? field : `${field}.${i}`;
    if (!active.has(id)) throw fieldError(name, 'not_found');
    if (id === task.approver_id || open.has(id)) throw fieldError(name, 'invalid_value');
  });
  return [...new Set(userIds)];
}

/** 转交: my pending task goes to another user, who takes my place (same level, same group). */
export async function transfer(ctx: EngineContext, tx: Tx, instanceId: string, actor: Actor, body: TransferTaskBody): Promise<void> {
  const run = await openRun(ctx, tx, instanceId, actor);
  const task = await myPendingTask(run, userOf(actor));
  const [to] = await newcomers(run, task, [body.toUserId], 'toUserId');
  await handOver(run, task, [to], task.approver_id, { comment: body.comment });
  run.state.acted = true;
  await recordAction(run, {
    action: 'transfer',
    actorId: task.approver_id,
    taskId: task.id,
    nodeId: task.node_id,
    comment: body.comment,
    attachments: body.attachments,
    detail: { to },
  });
  await save(run);
}

/**
 * Replaces an unfinished task by tasks of `to` at the same level and in the same state — pending
 * (they are told, by `titleKey`) or waiting for their turn; several: alternatives of one group.
 */
export async function handOver(
  run: Run,
  task: TaskRow,
  to: string[],
  addedBy: string | null,
  opts: { comment?: string | null; titleKey?: string } = {},
): Promise<void> {
  await settle(run, task, 'transferred', opts.comment);
  const group = to.length > 1 ? (task.group_id ?? newId()) : task.group_id;
  const status = task.status === 'waiting' ? 'waiting' : 'pending';
  await insertTasks(
    run,
    pointOf(run, task.node_id),
    to.map((approverId) => ({ approverId, seq: task.seq, status, groupId: group, addedBy })),
    opts.titleKey,
  );
}

/** 加签: 'before' — the added users decide first (my level waits); 'after' — a level after mine. */
export async function addApprover(ctx: EngineContext, tx: Tx, instanceId: string, actor: Actor, body: AddApproverBody): Promise<void> {
  const run = await openRun(ctx, tx, instanceId, actor);
  const task = await myPendingTask(run, userOf(actor));
  const users = await newcomers(run, task, body.userIds, 'userIds');
  const point = pointOf(run, task.node_id);
  if (body.where === 'before') {
    // my level waits until the added users have approved
    await run.tx
      .updateTable('approval_tasks')
      .set({ status: 'waiting', due_at: null, remind_at: null })
      .where('instance_id', '=', run.inst.id)
      .where('node_id', '=', task.node_id)
      .where('round', '=', task.round)
      .where('seq', '=', task.seq)
      .where('status', '=', 'pending')
      .execute();
  }
  if (body.where === 'after') {
    // straight after my level: the later levels of the point (flow or added) move up one
    await run.tx
      .updateTable('approval_tasks')
      .set((eb) => ({ seq: eb('seq', '+', 1) }))
      .where('instance_id', '=', run.inst.id)
      .where('node_id', '=', task.node_id)
      .where('round', '=', task.round)
      .where('seq', '>', task.seq)
      .where('status', 'in', [...UNFINISHED])
      .execute();
  }
  await insertTasks(
    run,
    point,
    users.map((approverId) => ({
      approverId,
      seq: body.where === 'before' ? task.seq - 1 : task.seq + 1,
      status: body.where === 'before' ? 'pending' : 'waiting',
      groupId: null,
      addedBy: task.approver_id,
    })),
  );
  run.state.acted = true;
  await recordAction(run, {
    action: 'add_approver',
    actorId: task.approver_id,
    taskId: task.id,
    nodeId: task.node_id,
    comment: body.comment,
    attachments: body.attachments,
    detail: { userIds: users, where: body.where },
  });
  await save(run);
}

/**
 * 重新提交 of a returned instance by its submitter: the document's current values are read again,
 * the route re-planned on the same pinned version, and the chain starts from its first point.
 */
export async function resubmit(
  ctx: EngineContext,
  tx: Tx,
  instanceId: string,
  actor: Actor,
  body: { comment?: string | null },
): Promise<void> {
  const run = await openRun(ctx, tx, instanceId, actor);
  if (run.inst.submitter_id !== userOf(actor)) throw new AppError('approval_not_allowed');
  if (run.inst.status !== 'returned') throw new AppError('approval_not_pending');
  if (!run.doc) throw new AppError('approval_no_flow');
  const loaded = await run.doc.load(tx, run.inst.document_id);
  const submitter = await currentSubmitter(run);
  run.inst.title = loaded.title.slice(0, 200);
  run.inst.fields = JSON.stringify(loaded.values);
  run.inst.status = 'pending';
  run.inst.submitter_department_id = submitter.departmentId;
  run.state = {
    ...run.state,
    route: await planRoute(run.version.definition.nodes, { values: loaded.values, submitter }, run.tree),
    path: [],
    submission: run.state.submission + 1,
    acted: false,
    submitterPositionId: submitter.positionId,
    link: loaded.link,
  };
  await recordAction(run, { action: 'resubmit', actorId: actor.id, comment: body.comment });
  await enterFrom(run, 0);
  if (run.inst.status === 'pending') await announce(run, 'pending');
  await save(run);
}
