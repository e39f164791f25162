import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowNode } from '@common/schemas/approvals';
import { createTestApp, type TestApp } from '@server/test/app';
import { createUser } from '@server/test/factories';
import type { Db } from '@server/db/types';
import {
  act,
  addFlowVersion,
  insertFlow,
  instanceStatus,
  point,
  statusCalls,
  submitTest,
  taskSummary,
  testDocs,
  users,
} from './engine.testing';

/**
 * Runtime actions on the engine: reject to an earlier point (new round), return to the submitter
 * and resubmit, withdraw, hand-over, 加签 before/after, and version pinning.
 */

let t: TestApp;
let db: Db;
let sub: string, a: string, b: string, c: string, d: string, off: string;
const names = new Map<string, string>();

beforeAll(async () => {
  t = await createTestApp();
  db = t.app.ctx.db;
  for (const n of ['sub', 'a', 'b', 'c', 'd']) names.set((await createUser(db, { username: n })).id, n);
  [sub, a, b, c, d] = [...names.keys()];
  off = (await createUser(db, { username: 'off', status: 'disabled' })).id;
});
afterAll(() => t?.close());

async function flow(nodes: FlowNode[]) {
  await db.updateTable('approval_flows').set({ enabled: 0 }).execute();
  return insertFlow(db, { definition: { nodes } });
}

/** tasks as 'name:status@node#round' */
const tasks = async (id: string) => (await taskSummary(db, id)).map((x) => `${names.get(x.approverId)}:${x.status}@${x.nodeId}#${x.round}`);
const actions = async (id: string) =>
  (await db.selectFrom('approval_actions').select('action').where('instance_id', '=', id).orderBy('id').execute()).map((x) => x.action);
const outcomes = (id: string) => statusCalls.filter((x) => x.instanceId === id).map((x) => x.status);

describe('reject', () => {
  it('to an earlier point on the path: that point opens again in a new round', async () => {
    await flow([point([users(a)], { id: 'one' }), point([users(b)], { id: 'two' }), point([users(c)], { id: 'three' })]);
    const { instanceId } = await submitTest(t.app, sub);
    await act.approve(t.app, instanceId, a);
    await act.approve(t.app, instanceId, b);
    await expect(act.reject(t.app, instanceId, c, { to: 'three' })).rejects.toMatchObject({ code: 'validation' });
    await expect(act.reject(t.app, instanceId, c, { to: 'nowhere' })).rejects.toMatchObject({ code: 'validation' });
    await act.reject(t.app, instanceId, c, { to: 'one', comment: '金额需复核' });
    expect(await tasks(instanceId)).toEqual(['a:approved@one#1', 'b:approved@two#1', 'c:rejected@three#1', 'a:pending@one#2']);
    const row = await db
      .selectFrom('approval_instances')
      .select(['state', 'status', 'current_node_id'])
      .where('id', '=', instanceId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'pending', current_node_id: 'one' });
    expect(JSON.parse(row.state)).toMatchObject({ path: ['one'], rounds: { one: 2, two: 1, three: 1 } });
    await act.approve(t.app, instanceId, a);
    await act.approve(t.app, instanceId, b);
    await act.approve(t.app, instanceId, c);
    expect(await instanceStatus(db, instanceId)).toBe('approved');
    expect(outcomes(instanceId)).toEqual(['pending', 'approved']);
    const sentBack = await db
      .selectFrom('notifications')
      .select('title')
      .where('user_id', '=', sub)
      .where('type', '=', 'approval.rejected')
      .execute();
    expect(sentBack.map((n) => n.title)).toEqual([expect.stringContaining('审批点')]);
  });

  it('to the submitter: returned; the submitter changes the document and resubmits from the first point', async () => {
    await flow([
      point([users(a)], { id: 'one' }),
      {
        kind: 'branch',
        id: 'br',
        branches: [
          {
            id: 'big',
            name: '大额',
            condition: { any: [[{ field: 'amount', op: 'gt', value: 1000 }]] },
            nodes: [point([users(c)], { id: 'cfo' })],
          },
          { id: 'else', name: '其他', condition: null, nodes: [] },
        ],
      },
      point([users(b)], { id: 'two' }),
    ]);
    const { instanceId, documentId } = await submitTest(t.app, sub, { amount: 5000 });
    await act.approve(t.app, instanceId, a);
    await act.approve(t.app, instanceId, c);
    await act.reject(t.app, instanceId, b, { to: 'submitter' });
    expect(await instanceStatus(db, instanceId)).toBe('returned');
    await expect(act.resubmit(t.app, instanceId, a)).rejects.toMatchObject({ code: 'approval_not_allowed' });
    testDocs.get(documentId)!.values.amount = 500;
    testDocs.get(documentId)!.title = '改过的标题';
    await act.resubmit(t.app, instanceId, sub);
    const row = await db
      .selectFrom('approval_instances')
      .select(['status', 'title', 'fields', 'state'])
      .where('id', '=', instanceId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'pending', title: '改过的标题' });
    expect(JSON.parse(row.fields)).toEqual({ amount: 500 });
    expect(JSON.parse(row.state)).toMatchObject({ route: ['one', 'two'], submission: 2, acted: false });
    await act.approve(t.app, instanceId, a);
    await act.approve(t.app, instanceId, b);
    expect(await instanceStatus(db, instanceId)).toBe('approved');
    expect(outcomes(instanceId)).toEqual(['pending', 'returned', 'pending', 'approved']);
    expect(await actions(instanceId)).toEqual(['submit', 'approve', 'approve', 'return', 'resubmit', 'approve', 'approve']);
    await expect(act.resubmit(t.app, instanceId, sub)).rejects.toMatchObject({ code: 'approval_not_pending' });
  });
});

describe('withdraw', () => {
  it('by the submitter before anyone acted', async () => {
    await flow([point([users(a, b)], { mode: 'all' })]);
    const { instanceId } = await submitTest(t.app, sub);
    await expect(act.withdraw(t.app, instanceId, a)).rejects.toMatchObject({ code: 'approval_not_allowed' });
    await act.withdraw(t.app, instanceId, sub);
    expect(await instanceStatus(db, instanceId)).toBe('withdrawn');
    expect((await tasks(instanceId)).map((x) => x.split('@')[0])).toEqual(['a:cancelled', 'b:cancelled']);
    expect(outcomes(instanceId)).toEqual(['pending', 'withdrawn']);
    await expect(act.approve(t.app, instanceId, a)).rejects.toMatchObject({ code: 'approval_not_pending' });
  });

  it('refused once an approver acted; allowed again while returned', async () => {
    await flow([point([users(a, b)], { mode: 'all' })]);
    const { instanceId } = await submitTest(t.app, sub);
    await act.approve(t.app, instanceId, a);
    await expect(act.withdraw(t.app, instanceId, sub)).rejects.toMatchObject({ code: 'approval_not_allowed' });
    await act.reject(t.app, instanceId, b, { to: 'submitter' });
    await act.withdraw(t.app, instanceId, sub);
    expect(await instanceStatus(db, instanceId)).toBe('withdrawn');
  });
});

describe('hand-over (转交)', () => {
  it('my task goes to the target, who decides in my place', async () => {
    await flow([point([users(a, b)], { mode: 'all' })]);
    const { instanceId } = await submitTest(t.app, sub);
    await expect(act.transfer(t.app, instanceId, a, b)).rejects.toMatchObject({ code: 'validation' });
    await expect(act.transfer(t.app, instanceId, a, off)).rejects.toMatchObject({ code: 'validation' });
    await expect(act.transfer(t.app, instanceId, c, d)).rejects.toMatchObject({ code: 'approval_not_allowed' });
    await act.transfer(t.app, instanceId, a, c);
    expect((await tasks(instanceId)).map((x) => x.split('@')[0])).toEqual(['a:transferred', 'b:pending', 'c:pending']);
    await act.approve(t.app, instanceId, b);
    expect(await instanceStatus(db, instanceId)).toBe('pending');
    await act.approve(t.app, instanceId, c);
    expect(await instanceStatus(db, instanceId)).toBe('approved');
    // a hand-over is acting: no withdrawing after it
    const second = await submitTest(t.app, sub);
    await act.transfer(t.app, second.instanceId, a, c);
    await expect(act.withdraw(t.app, second.instanceId, sub)).rejects.toMatchObject({ code: 'approval_not_allowed' });
  });

  it('in 或签 the target joins the group: one approval still decides', async () => {
    await flow([point([users(a, b)], { mode: 'any' })]);
    const { instanceId } = await submitTest(t.app, sub);
    await act.transfer(t.app, instanceId, a, c);
    await act.approve(t.app, instanceId, c);
    expect((await tasks(instanceId)).map((x) => x.split('@')[0])).toEqual(['a:transferred', 'b:cancelled', 'c:approved']);
    expect(await instanceStatus(db, instanceId)).toBe('approved');
  });
});

describe('add approver (加签)', () => {
  it('before: the added users decide first, then it comes back to me', async () => {
    await flow([point([users(a)], { id: 'p' }), point([users(b)], { id: 'q' })]);
    const { instanceId } = await submitTest(t.app, sub);
    await act.addApprover(t.app, instanceId, a, [c, d], 'before');
    expect((await tasks(instanceId)).map((x) => x.split('@')[0])).toEqual(['a:waiting', 'c:pending', 'd:pending']);
    await expect(act.approve(t.app, instanceId, a)).rejects.toMatchObject({ code: 'approval_not_allowed' });
    await act.approve(t.app, instanceId, c);
    expect((await tasks(instanceId)).map((x) => x.split('@')[0])).toEqual(['a:waiting', 'c:approved', 'd:pending']);
    await act.approve(t.app, instanceId, d);
    expect((await tasks(instanceId)).map((x) => x.split('@')[0])).toEqual(['a:pending', 'c:approved', 'd:approved']);
    await act.approve(t.app, instanceId, a);
    expect((await tasks(instanceId)).at(-1)).toBe('b:pending@q#1');
  });

  it('after: they get the point after my approval, and it completes only when they approve', async () => {
    await flow([point([users(a, b)], { id: 'p', mode: 'sequential' })]);
    const { instanceId } = await submitTest(t.app, sub);
    await expect(act.addApprover(t.app, instanceId, a, [b], 'after')).rejects.toMatchObject({ code: 'validation' });
    await act.addApprover(t.app, instanceId, a, [c], 'after');
    await act.approve(t.app, instanceId, a);
    expect((await tasks(instanceId)).map((x) => x.split('@')[0])).toEqual(['a:approved', 'b:waiting', 'c:pending']);
    await act.approve(t.app, instanceId, c);
    expect((await tasks(instanceId)).map((x) => x.split('@')[0])).toEqual(['a:approved', 'b:pending', 'c:approved']);
    await act.approve(t.app, instanceId, b);
    expect(await instanceStatus(db, instanceId)).toBe('approved');
    const added = await db
      .selectFrom('approval_actions')
      .select('detail')
      .where('instance_id', '=', instanceId)
      .where('action', '=', 'add_approver')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(added.detail!)).toEqual({ userIds: [c], where: 'after' });
  });
});

describe('add approver, nested', () => {
  it('an approver added before me adds one after themselves: that one still comes before me', async () => {
    await flow([point([users(a)], { id: 'p' })]);
    const { instanceId } = await submitTest(t.app, sub);
    await act.addApprover(t.app, instanceId, a, [c], 'before');
    await act.addApprover(t.app, instanceId, c, [d], 'after');
    await act.approve(t.app, instanceId, c);
    expect((await tasks(instanceId)).map((x) => x.split('@')[0])).toEqual(['a:waiting', 'c:approved', 'd:pending']);
    await act.approve(t.app, instanceId, d);
    expect((await tasks(instanceId)).map((x) => x.split('@')[0])).toEqual(['a:pending', 'c:approved', 'd:approved']);
    await act.approve(t.app, instanceId, a);
    expect(await instanceStatus(db, instanceId)).toBe('approved');
  });
});

describe('version pinning', () => {
  it('a running instance keeps the version it started with; new submissions take the new one', async () => {
    const { flowId } = await flow([point([users(a)], { id: 'old1' }), point([users(b)], { id: 'old2' })]);
    const running = await submitTest(t.app, sub);
    await addFlowVersion(db, flowId, { nodes: [point([users(c)], { id: 'new1' })] });
    await act.approve(t.app, running.instanceId, a);
    expect((await tasks(running.instanceId)).at(-1)).toBe('b:pending@old2#1');
    const fresh = await submitTest(t.app, sub);
    expect(await tasks(fresh.instanceId)).toEqual(['c:pending@new1#1']);
    const versions = await db
      .selectFrom('approval_instances as i')
      .innerJoin('approval_flow_versions as v', 'v.id', 'i.flow_version_id')
      .select(['i.id', 'v.number'])
      .where('i.id', 'in', [running.instanceId, fresh.instanceId])
      .execute();
    expect(Object.fromEntries(versions.map((v) => [v.id, v.number]))).toEqual({ [running.instanceId]: 1, [fresh.instanceId]: 2 });
    await act.approve(t.app, running.instanceId, b);
    expect(await instanceStatus(db, running.instanceId)).toBe('approved');
  });
});
