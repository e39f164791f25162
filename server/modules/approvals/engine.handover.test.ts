import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApprovalDetail, FlowNode } from '@common/schemas/approvals';
import { createTestApp, loginAs, setupAdmin, type Client, type TestApp } from '@server/test/app';
import { createUser, DEFAULT_PASSWORD } from '@server/test/factories';
import type { Db } from '@server/db/types';
import { registerOwnable } from '@server/platform/org/handover';
import { act, insertFlow, instanceStatus, point, submitTest, taskSummary, users } from './engine.testing';

/**
 * 离职交接 of approvals: the leaver's pending and waiting tasks go to the successor as hand-overs
 * by the admin (history, audit, the successor told, pages refreshed after commit); what the leaver
 * submitted keeps running; a departed user named as an approver is passed over.
 */

let t: TestApp;
let db: Db;
let admin: Client;
let adminId: string;
const ids: Record<string, string> = {};
const names = new Map<string, string>();

beforeAll(async () => {
  t = await createTestApp();
  db = t.app.ctx.db;
  admin = await setupAdmin(t.app);
  adminId = (await admin.get('/api/v1/me')).json().user.id;
  for (const n of ['sub', 'other', 'succ']) {
    ids[n] = (await createUser(db, { username: n, name: `用户${n}` })).id;
    names.set(ids[n], n);
  }
});
afterAll(() => t?.close());

/** A fresh user who will leave (each test has its own leaver). */
async function leaver(name: string): Promise<string> {
  const id = (await createUser(db, { username: name, name: `离职${name}` })).id;
  names.set(id, 'leaver');
  return id;
}

async function leave(userId: string) {
  const res = await admin.post(`/api/v1/users/${userId}/status`, { status: 'left' });
  expect(res.statusCode, res.body).toBe(200);
}

async function flow(nodes: FlowNode[]) {
  await db.updateTable('approval_flows').set({ enabled: 0 }).execute();
  await insertFlow(db, { definition: { nodes } });
}

const tasks = async (id: string) => (await taskSummary(db, id)).map((x) => `${names.get(x.approverId)}:${x.status}#${x.seq}`);
const handoverCount = async (userId: string) =>
  ((await admin.get(`/api/v1/users/${userId}/handover`)).json().items as { entity: string; labelKey: string; count: number }[]).find(
    (i) => i.entity === 'approval_tasks',
  );

describe('离职交接 of approval tasks', () => {
  it("hands the leaver's pending task to the successor, like a hand-over by the admin", async () => {
    const gone = await leaver('l1');
    await flow([point([users(gone, ids.other)], { id: 'p', name: '部门审批', mode: 'all' })]);
    const { instanceId } = await submitTest(t.app, ids.sub, {}, { title: '差旅报销' });
    await leave(gone);
    expect(await handoverCount(gone)).toEqual({ entity: 'approval_tasks', labelKey: 'approvals.handover.approval_tasks', count: 1 });

    const publish = vi.spyOn(t.app.ctx.realtime, 'publish');
    const res = await admin.post(`/api/v1/users/${gone}/handover`, { toUserId: ids.succ, entities: ['approval_tasks'] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items).toEqual([{ entity: 'approval_tasks', moved: 1 }]);
    const events = publish.mock.calls.filter(([, e]) => e.type === 'approval');
    publish.mockRestore();

    // the successor takes the leaver's place at the same level; the point still needs both
    expect(await tasks(instanceId)).toEqual(['leaver:transferred#100', 'other:pending#100', 'succ:pending#100']);
    const added = await db
      .selectFrom('approval_tasks')
      .select(['added_by', 'node_id', 'round'])
      .where('approver_id', '=', ids.succ)
      .where('instance_id', '=', instanceId)
      .executeTakeFirstOrThrow();
    expect(added).toEqual({ added_by: adminId, node_id: 'p', round: 1 });
    const action = await db
      .selectFrom('approval_actions')
      .select(['action', 'actor_id', 'node_id', 'detail'])
      .where('instance_id', '=', instanceId)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect({ ...action, detail: JSON.parse(action.detail!) }).toEqual({
      action: 'transfer',
      actor_id: adminId,
      node_id: 'p',
      detail: { reason: 'handover', from: gone, to: ids.succ },
    });
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('entity', '=', 'approval')
      .where('entity_id', '=', instanceId)
      .orderBy('id')
      .execute();
    expect(audit.at(-1)).toEqual({ action: 'approval.transfer', actor_id: adminId });
    const note = await db
      .selectFrom('notifications')
      .select(['type', 'title', 'link'])
      .where('user_id', '=', ids.succ)
      .where('link', '=', `/approvals/${instanceId}`)
      .execute();
    expect(note).toEqual([{ type: 'approval.requested', title: '用户sub提交的“差旅报销”待你审批', link: `/approvals/${instanceId}` }]);
    // pushed after commit to everyone on it, the successor included
    expect(events.map(([u]) => u)).toEqual(expect.arrayContaining([ids.sub, ids.other, ids.succ]));
    expect(events[0][1]).toMatchObject({ type: 'approval', data: { id: instanceId, status: 'pending' } });
    expect(await handoverCount(gone)).toMatchObject({ count: 0 });
    // in the successor's 待办; not in the admin's 已办 (they decided nothing)
    const box = async (c: Client, q: string) => ((await c.get(`/api/v1/approvals?${q}`)).json().items as { id: string }[]).map((i) => i.id);
    const succ = await loginAs(t.app, 'succ', DEFAULT_PASSWORD);
    expect(await box(succ, 'box=todo')).toContain(instanceId);
    expect(await box(admin, 'box=done')).not.toContain(instanceId);

    // an admin's hand-over is no approver acting: the submitter may still withdraw
    const sub = await loginAs(t.app, 'sub', DEFAULT_PASSWORD);
    const detail = (await sub.get(`/api/v1/approvals/${instanceId}`)).json<ApprovalDetail>();
    expect(detail.can.withdraw).toBe(true);
    expect(detail.currentApprovers.sort()).toEqual(['用户other', '用户succ']);
    // the successor decides in the leaver's place
    expect((await succ.post(`/api/v1/approvals/${instanceId}/approve`, {})).statusCode).toBe(200);
    expect(await box(succ, 'box=done')).toContain(instanceId);
    await act.approve(t.app, instanceId, ids.other);
    expect(await instanceStatus(db, instanceId)).toBe('approved');
  });

  it('waiting tasks stay waiting; where the successor already decides at that point, the leaver just drops out', async () => {
    const gone = await leaver('l2');
    await flow([point([users(ids.other, gone)], { id: 'seq', mode: 'sequential' })]);
    const waiting = (await submitTest(t.app, ids.sub)).instanceId;
    await flow([point([users(gone, ids.succ)], { id: 'all', mode: 'all' })]);
    const both = (await submitTest(t.app, ids.sub)).instanceId;
    await flow([point([users(gone, ids.succ)], { id: 'seq2', mode: 'sequential' })]);
    const before = (await submitTest(t.app, ids.sub)).instanceId;
    await leave(gone);
    expect(await handoverCount(gone)).toMatchObject({ count: 3 });

    const res = await admin.post(`/api/v1/users/${gone}/handover`, { toUserId: ids.succ, entities: ['approval_tasks'] });
    expect(res.json().items).toEqual([{ entity: 'approval_tasks', moved: 3 }]);

    // 依次: the successor waits in the leaver's place, and is asked only when their turn comes
    expect(await tasks(waiting)).toEqual(['other:pending#100', 'leaver:transferred#200', 'succ:waiting#200']);
    const asked = () =>
      db
        .selectFrom('notifications')
        .select('id')
        .where('user_id', '=', ids.succ)
        .where('link', '=', `/approvals/${waiting}`)
        .where('type', '=', 'approval.requested')
        .execute();
    expect(await asked()).toHaveLength(0);
    await act.approve(t.app, waiting, ids.other);
    expect(await tasks(waiting)).toEqual(['other:approved#100', 'leaver:transferred#200', 'succ:pending#200']);
    expect(await asked()).toHaveLength(1);

    // 会签 with the successor already on it: nobody gets a second task there
    expect(await tasks(both)).toEqual(['leaver:transferred#100', 'succ:pending#100']);
    const merged = await db
      .selectFrom('approval_actions')
      .select('detail')
      .where('instance_id', '=', both)
      .where('action', '=', 'transfer')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(merged.detail!)).toEqual({ reason: 'handover', from: gone, to: ids.succ, merged: true });
    await act.approve(t.app, both, ids.succ);
    expect(await instanceStatus(db, both)).toBe('approved');

    // 依次 with the successor next: the leaver's level closes and the successor's opens
    expect(await tasks(before)).toEqual(['leaver:transferred#100', 'succ:pending#200']);
  });

  it('what the leaver submitted keeps running, untouched', async () => {
    const gone = await leaver('l3');
    await flow([point([users(ids.other)], { id: 'p' })]);
    const { instanceId } = await submitTest(t.app, gone);
    await leave(gone);
    const res = await admin.post(`/api/v1/users/${gone}/handover`, { toUserId: ids.succ });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items).toContainEqual({ entity: 'approval_tasks', moved: 0 });
    const inst = await db
      .selectFrom('approval_instances')
      .select(['status', 'submitter_id'])
      .where('id', '=', instanceId)
      .executeTakeFirstOrThrow();
    expect(inst).toEqual({ status: 'pending', submitter_id: gone });
    expect(await tasks(instanceId)).toEqual(['other:pending#100']);
    await act.approve(t.app, instanceId, ids.other);
    expect(await instanceStatus(db, instanceId)).toBe('approved');
  });

  it('a handover that fails elsewhere moves no task and tells nobody', async () => {
    const gone = await leaver('l4');
    await flow([point([users(gone)], { id: 'p' })]);
    const { instanceId } = await submitTest(t.app, ids.sub);
    await leave(gone);
    registerOwnable({
      entity: 'zz_broken_approvals',
      labelKey: 'test.broken',
      count: async () => 1,
      transfer: async () => {
        throw new Error('module failure');
      },
    });
    const publish = vi.spyOn(t.app.ctx.realtime, 'publish');
    const res = await admin.post(`/api/v1/users/${gone}/handover`, {
      toUserId: ids.succ,
      entities: ['approval_tasks', 'zz_broken_approvals'],
    });
    expect(res.statusCode).toBe(500);
    expect(publish.mock.calls.filter(([, e]) => e.type === 'approval' || e.type === 'notification')).toEqual([]);
    publish.mockRestore();
    expect(await tasks(instanceId)).toEqual(['leaver:pending#100']);
    const notes = await db
      .selectFrom('notifications')
      .select('id')
      .where('user_id', '=', ids.succ)
      .where('link', '=', `/approvals/${instanceId}`)
      .execute();
    expect(notes).toEqual([]);
  });
});

describe('a departed user named as an approver', () => {
  it("is passed over in a 'users' rule; with nobody left, whenEmpty applies", async () => {
    const gone = await leaver('l5');
    await leave(gone);
    await flow([point([users(gone, ids.other)], { id: 'p' })]);
    const passed = await submitTest(t.app, ids.sub);
    expect(await tasks(passed.instanceId)).toEqual(['other:pending#100']);

    await flow([point([users(gone)], { id: 'skipped', whenEmpty: 'skip' }), point([users(ids.other)], { id: 'next' })]);
    const skipped = await submitTest(t.app, ids.sub);
    const actions = await db
      .selectFrom('approval_actions')
      .select(['action', 'node_id'])
      .where('instance_id', '=', skipped.instanceId)
      .orderBy('id')
      .execute();
    expect(actions.map((a) => `${a.action}@${a.node_id}`)).toEqual(['submit@null', 'skip@skipped']);
    expect(await tasks(skipped.instanceId)).toEqual(['other:pending#100']);

    await flow([point([users(gone)], { id: 'nobody', name: '财务审批', whenEmpty: 'reject' })]);
    const rejected = await submitTest(t.app, ids.sub);
    expect(rejected.status).toBe('rejected');
  });
});
