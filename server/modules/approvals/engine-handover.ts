import type { DbOrTx, Tx } from '@server/db/types';
import type { Actor } from '@server/platform/audit/audit.service';
import type { Ownable } from '@server/platform/org/handover';
import { continuePoint, openApprovers, recordAction, save, type EngineContext } from './engine-core';
import { handOver, openRun, settle } from './engine-actions';
import { UNFINISHED } from './engine-store';

/**
 * 离职交接 of approvals: a leaver's pending and waiting tasks go to the successor, each one as a
 * hand-over (转交) done by the admin running the handover, so no approval is stranded on a user
 * who can no longer sign in. Instances the leaver submitted are left to run as they are.
 */

export const HANDOVER_ENTITY = 'approval_tasks';

/** The leaver's unfinished tasks (pending, or waiting for their turn) on running instances. */
function openTasksOf(db: DbOrTx, userId: string) {
  return db
    .selectFrom('approval_tasks as t')
    .innerJoin('approval_instances as i', 'i.id', 't.instance_id')
    .where('t.approver_id', '=', userId)
    .where('t.status', 'in', [...UNFINISHED])
    .where('i.status', '=', 'pending');
}

/**
 * Hands every unfinished task of `fromUserId` to `toUserId` inside `tx` (which must come from
 * inTransaction: the successor is told and pages refresh after commit). Each instance is locked
 * first, like any action. The successor takes the task's place at the same level and group, in
 * the same state; when they already hold an open task at that point, the leaver's task is only
 * closed (nobody decides twice at one point). Answers how many tasks left the leaver.
 */
export async function handOverTasksOf(ctx: EngineContext, tx: Tx, fromUserId: string, toUserId: string, actor: Actor): Promise<number> {
  const instances = await openTasksOf(tx, fromUserId).select('t.instance_id').distinct().orderBy('t.instance_id').execute();
  let moved = 0;
  for (const { instance_id } of instances) {
    const run = await openRun(ctx, tx, instance_id, actor);
    // re-read after the lock: an approver may have decided meanwhile
    const tasks = await tx
      .selectFrom('approval_tasks')
      .selectAll()
      .where('instance_id', '=', instance_id)
      .where('approver_id', '=', fromUserId)
      .where('status', 'in', [...UNFINISHED])
      .orderBy('seq')
      .orderBy('id')
      .execute();
    if (run.inst.status !== 'pending' || !tasks.length) continue;
    const merged = new Set<string>();
    for (const task of tasks) {
      const already = (await openApprovers(run, task)).has(toUserId);
      if (already) {
        await settle(run, task, 'transferred');
        merged.add(task.node_id);
      } else {
        await handOver(run, task, [toUserId], actor.id);
      }
      await recordAction(run, {
        action: 'transfer',
        actorId: actor.id,
        taskId: task.id,
        nodeId: task.node_id,
        detail: { reason: 'handover', from: fromUserId, to: toUserId, ...(already ? { merged: true } : {}) },
      });
      moved++;
    }
    // a closed task may have been the last one pending on its level: the next level (or point) opens
    for (const nodeId of merged) if (run.inst.status === 'pending') await continuePoint(run, nodeId);
    await save(run);
  }
  return moved;
}

/** The record type 'approval_tasks' of 离职交接 (registered by the approval routes, which hold the realtime hub). */
export function approvalTasksOwnable(ctx: EngineContext): Ownable {
  return {
    entity: HANDOVER_ENTITY,
    labelKey: 'approvals.handover.approval_tasks',
    async count(db, userId) {
      const r = await openTasksOf(db, userId)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    transfer: (tx, fromUserId, toUserId, actor) => handOverTasksOf(ctx, tx, fromUserId, toUserId, actor),
  };
}
