import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Escalation } from '@common/schemas/approvals';
import { createTestApp, type TestApp } from '@server/test/app';
import { createUser } from '@server/test/factories';
import type { Db } from '@server/db/types';
import { DEADLINES_JOB, runApprovalDeadlines } from './deadlines';
import { act, insertFlow, instanceStatus, point, statusCalls, submitTest, taskSummary, users } from './engine.testing';

/**
 * 审批时限 with a controllable clock: the reminder before the limit (once), and at the limit each
 * escalation — remind again (and the supervisor), hand to the supervisor, hand to the admins,
 * approve automatically.
 */

let t: TestApp;
let db: Db;
let sub: string, boss: string, a: string, lone: string, admin1: string, admin2: string;

const T0 = new Date('2026-03-02T01:00:00.000Z');
const at = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);
const run = (hours: number) => runApprovalDeadlines(t.app.ctx, at(hours));

beforeAll(async () => {
  t = await createTestApp();
  db = t.app.ctx.db;
  sub = (await createUser(db, { username: 'sub' })).id;
  boss = (await createUser(db, { username: 'boss', name: '王总' })).id;
  a = (await createUser(db, { username: 'a', name: '张三', supervisorId: boss })).id;
  lone = (await createUser(db, { username: 'lone' })).id;
  admin1 = (await createUser(db, { username: 'admin1', isAdmin: true })).id;
  admin2 = (await createUser(db, { username: 'admin2', isAdmin: true })).id;
});
afterAll(() => t?.close());

async function submitWithLimit(escalate: Escalation, approver = a) {
  // earlier tests' open tasks would fall due too
  await db.updateTable('approval_tasks').set({ status: 'cancelled' }).where('status', 'in', ['pending', 'waiting']).execute();
  await db.updateTable('approval_flows').set({ enabled: 0 }).execute();
  await insertFlow(db, { definition: { nodes: [point([users(approver)], { timeLimit: { hours: 4, remindBeforeHours: 1, escalate } })] } });
  return submitTest(t.app, sub, {}, { now: () => T0 });
}

const notes = (instanceId: string) =>
  db
    .selectFrom('notifications')
    .select(['user_id', 'type', 'title'])
    .where('link', '=', `/approvals/${instanceId}`)
    .where('type', 'in', ['approval.reminder', 'approval.escalated'])
    .orderBy('id')
    .execute();
const actions = async (id: string) =>
  (await db.selectFrom('approval_actions').select(['action', 'actor_id']).where('instance_id', '=', id).orderBy('id').execute()).map(
    (x) => x.action,
  );

describe('time limits', () => {
  it('a task is due `hours` after it became pending; reminded once before the limit', async () => {
    const { instanceId } = await submitWithLimit('remind');
    const [task] = await db.selectFrom('approval_tasks').select(['due_at', 'remind_at']).where('instance_id', '=', instanceId).execute();
    expect(task).toEqual({ due_at: at(4).toISOString(), remind_at: at(3).toISOString() });
    expect(await run(2.9)).toEqual({ reminded: 0, escalated: 0 });
    expect(await run(3)).toEqual({ reminded: 1, escalated: 0 });
    expect(await run(3.5)).toEqual({ reminded: 0, escalated: 0 });
    const [reminder] = await notes(instanceId);
    // 13:00 in Shanghai (UTC+8) is the limit
    expect(reminder).toMatchObject({ user_id: a, type: 'approval.reminder', title: expect.stringContaining('2026-03-02 13:00') });
  });

  it("'remind': at the limit the approver is reminded again and the supervisor told, once", async () => {
    const { instanceId } = await submitWithLimit('remind');
    expect(await run(4)).toEqual({ reminded: 1, escalated: 1 });
    expect(await run(5)).toEqual({ reminded: 0, escalated: 0 });
    const n = await notes(instanceId);
    expect(n.map((x) => [x.user_id, x.type])).toEqual([
      [a, 'approval.reminder'],
      [a, 'approval.reminder'],
      [boss, 'approval.escalated'],
    ]);
    expect(n[2].title).toContain('张三');
    expect(await actions(instanceId)).toEqual(['submit', 'remind', 'remind']);
    expect((await taskSummary(db, instanceId)).map((x) => x.status)).toEqual(['pending']);
  });

  it("'supervisor': the task goes to the approver's supervisor, recorded as escalate", async () => {
    const { instanceId } = await submitWithLimit('supervisor');
    await run(3);
    expect(await run(4)).toEqual({ reminded: 0, escalated: 1 });
    const tasks = await db
      .selectFrom('approval_tasks')
      .select(['approver_id', 'status', 'due_at'])
      .where('instance_id', '=', instanceId)
      .orderBy('id')
      .execute();
    expect(tasks).toEqual([
      { approver_id: a, status: 'transferred', due_at: at(4).toISOString() },
      { approver_id: boss, status: 'pending', due_at: at(8).toISOString() },
    ]);
    expect(await actions(instanceId)).toEqual(['submit', 'remind', 'escalate']);
    await act.approve(t.app, instanceId, boss);
    expect(await instanceStatus(db, instanceId)).toBe('approved');
  });

  it("'supervisor' without a supervisor reminds instead", async () => {
    const { instanceId } = await submitWithLimit('supervisor', lone);
    await run(4);
    expect((await taskSummary(db, instanceId)).map((x) => x.status)).toEqual(['pending']);
    expect(await actions(instanceId)).toEqual(['submit', 'remind', 'remind']);
  });

  it("'admin': the admins get it, any one of them decides", async () => {
    const { instanceId } = await submitWithLimit('admin');
    await run(4);
    const tasks = await taskSummary(db, instanceId);
    expect(tasks.map((x) => [x.approverId, x.status])).toEqual([
      [a, 'transferred'],
      [admin1, 'pending'],
      [admin2, 'pending'],
    ]);
    await act.approve(t.app, instanceId, admin2);
    expect((await taskSummary(db, instanceId)).map((x) => x.status)).toEqual(['transferred', 'cancelled', 'approved']);
    expect(await instanceStatus(db, instanceId)).toBe('approved');
  });

  it("'approve': approved automatically as the system", async () => {
    const { instanceId } = await submitWithLimit('approve');
    await run(4);
    expect(await instanceStatus(db, instanceId)).toBe('approved');
    const rows = await db
      .selectFrom('approval_actions')
      .select(['action', 'actor_id'])
      .where('instance_id', '=', instanceId)
      .orderBy('id')
      .execute();
    expect(rows.at(-1)).toEqual({ action: 'auto_approve', actor_id: null });
    expect(statusCalls.filter((x) => x.instanceId === instanceId).at(-1)).toEqual(
      expect.objectContaining({ status: 'approved', actorId: null }),
    );
  });

  it('a task decided in time is left alone', async () => {
    const { instanceId } = await submitWithLimit('approve');
    await act.approve(t.app, instanceId, a);
    expect(await run(10)).toEqual({ reminded: 0, escalated: 0 });
  });

  it('runs every minute through the job queue', async () => {
    const { jobs } = t.app.ctx;
    await jobs.syncSchedules();
    const row = await db.selectFrom('job_schedules').selectAll().where('name', '=', DEADLINES_JOB).executeTakeFirstOrThrow();
    expect(row.cron).toBe('* * * * *');
  });
});
