import type { Db } from '@server/db/types';
import { nowIso } from '@server/db/ids';
import { SYSTEM_ACTOR } from '@server/platform/audit/audit.service';
import type { RealtimeHub } from '@server/platform/realtime/realtime.hub';
import { inTransaction } from '@server/platform/notify/transaction';
import { localTime } from '@server/platform/settings/local-time';
import { getCompany } from '@server/platform/settings/settings.service';
import { activeAdmins, activeUsers } from './approvers';
import { openApprovers, pointOf, recordAction, save, tell, userName, type EngineContext, type Run } from './engine-core';
import { approveTask, handOver, openRun } from './engine-actions';
import { publishAfterCommit } from './engine-notify';
import type { TaskRow } from './engine-store';

/**
 * 审批时限: a task of a point with a time limit is due `hours` after it became pending. The
 * approver is reminded once `remindBeforeHours` ahead, and at the limit the point's escalation
 * runs: 'remind' (remind again, and tell the approver's supervisor), 'supervisor' (hand the task
 * to the approver's supervisor), 'admin' (hand it to the admins, any one decides), 'approve'
 * (approve automatically). A job runs this every minute.
 */

export const DEADLINES_JOB = 'approvals.deadlines';
const BATCH = 200;

type Ctx = { db: Db; realtime: Pick<RealtimeHub, 'publish'> };

/** Runs `fn` on the locked instance with the task re-read; skipped (false) when the task is no longer pending. */
async function withTask(ctx: EngineContext, taskId: string, fn: (run: Run, task: TaskRow) => Promise<boolean>): Promise<boolean> {
  return inTransaction(ctx.db, async (tx) => {
    const peek = await tx.selectFrom('approval_tasks').select('instance_id').where('id', '=', taskId).executeTakeFirst();
    if (!peek) return false;
    const run = await openRun(ctx, tx, peek.instance_id, SYSTEM_ACTOR);
    const task = await tx.selectFrom('approval_tasks').selectAll().where('id', '=', taskId).executeTakeFirstOrThrow();
    if (task.status !== 'pending' || run.inst.status !== 'pending') return false;
    if (!(await fn(run, task))) return false;
    // a reminder is news on the detail page too (its history grows)
    publishAfterCommit(ctx, tx, run.inst.id);
    return true;
  });
}

async function supervisorOf(run: Run, userId: string): Promise<string | null> {
  const u = await run.tx.selectFrom('users').select('supervisor_id').where('id', '=', userId).executeTakeFirst();
  if (!u?.supervisor_id || u.supervisor_id === userId) return null;
  return (await activeUsers(run.tx, [u.supervisor_id]))[0] ?? null;
}

/** Users without an open task at the task's point (a hand-over must not double anyone). */
async function free(run: Run, task: TaskRow, ids: string[]): Promise<string[]> {
  const open = await openApprovers(run, task);
  return ids.filter((id) => id !== task.approver_id && !open.has(id));
}

async function remindOverdue(run: Run, task: TaskRow): Promise<void> {
  await tell(run, [task.approver_id], 'approval.reminder', 'approvals.notify.overdue');
  const supervisor = await supervisorOf(run, task.approver_id);
  if (supervisor) {
    await tell(run, [supervisor], 'approval.escalated', 'approvals.notify.overdue_supervisor', {
      approver: await userName(run, task.approver_id),
    });
  }
  await recordAction(run, {
    action: 'remind',
    actorId: null,
    taskId: task.id,
    nodeId: task.node_id,
    detail: { reason: 'timeout', supervisorId: supervisor },
  });
}

async function escalate(run: Run, task: TaskRow): Promise<void> {
  const now = nowIso(run.now);
  await run.tx.updateTable('approval_tasks').set({ escalated_at: now }).where('id', '=', task.id).execute();
  const how = pointOf(run, task.node_id).timeLimit?.escalate ?? 'remind';
  if (how === 'approve') {
    await approveTask(run, task, {}, true);
    await save(run);
    return;
  }
  let to: string[] = [];
  if (how === 'supervisor') {
    const sup = await supervisorOf(run, task.approver_id);
    to = sup ? await free(run, task, [sup]) : [];
  } else if (how === 'admin') {
    to = await free(run, task, await activeAdmins(run.tx));
  }
  if (!to.length) {
    // 'remind', or nobody to hand it to: remind again
    await remindOverdue(run, task);
    return;
  }
  await handOver(run, task, to, null, { titleKey: 'approvals.notify.escalated_to_you' });
  await recordAction(run, {
    action: 'escalate',
    actorId: null,
    taskId: task.id,
    nodeId: task.node_id,
    detail: { reason: 'timeout', from: task.approver_id, to },
  });
  await tell(run, [task.approver_id], 'approval.escalated', 'approvals.notify.escalated_away');
  await save(run);
}

/** Runs `fn` on every pending task due by `column` (and not yet handled by `handled`), in id-keyset batches; answers how many it did. */
async function eachDue(
  ctx: EngineContext,
  column: 'remind_at' | 'due_at',
  handled: 'reminded_at' | 'escalated_at',
  stamp: string,
  fn: (run: Run, task: TaskRow) => Promise<void>,
): Promise<number> {
  let done = 0;
  for (let after = ''; ;) {
    const due = await ctx.db
      .selectFrom('approval_tasks')
      .select('id')
      .where('status', '=', 'pending')
      .where(column, '<=', stamp)
      .where(handled, 'is', null)
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    for (const t of due) {
      // re-checked on the locked instance: another run may have handled it meanwhile
      const did = await withTask(ctx, t.id, async (run, task) => {
        if (task[handled]) return false;
        await fn(run, task);
        return true;
      });
      if (did) done++;
    }
    if (due.length < BATCH) return done;
    after = due[due.length - 1].id;
  }
}

/**
 * Sends the reminders and runs the escalations due at `now` (tests pass their own clock). Each
 * task in its own transaction on the locked instance; answers how many of each were done.
 */
export async function runApprovalDeadlines(base: Ctx, now: Date): Promise<{ reminded: number; escalated: number }> {
  const ctx: EngineContext = { db: base.db, realtime: base.realtime, now: () => now };
  const stamp = nowIso(now);
  const { timezone } = await getCompany(base.db);
  const reminded = await eachDue(ctx, 'remind_at', 'reminded_at', stamp, async (run, task) => {
    await run.tx.updateTable('approval_tasks').set({ reminded_at: stamp }).where('id', '=', task.id).execute();
    await tell(run, [task.approver_id], 'approval.reminder', 'approvals.notify.reminder', {
      due: task.due_at ? localTime(task.due_at, timezone) : '',
    });
    await recordAction(run, { action: 'remind', actorId: null, taskId: task.id, nodeId: task.node_id, detail: { reason: 'before_limit' } });
  });
  const escalated = await eachDue(ctx, 'due_at', 'escalated_at', stamp, escalate);
  return { reminded, escalated };
}
