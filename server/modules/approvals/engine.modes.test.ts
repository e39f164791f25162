import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FlowNode } from '@common/schemas/approvals';
import { createTestApp, type TestApp } from '@server/test/app';
import { createUser } from '@server/test/factories';
import type { Db } from '@server/db/types';
import { presentDetail } from './instances.presenter';
import { act, branch, insertFlow, instanceStatus, point, statusCalls, submitTest, taskSummary, users } from './engine.testing';

/**
 * Modes (或签 / 会签 / 依次), branches (first match, otherwise, nested, none → passed by),
 * points without approvers (skip / admin / reject) and copy-to.
 */

let t: TestApp;
let db: Db;
let sub: string, a: string, b: string, c: string, admin1: string, admin2: string;

beforeAll(async () => {
  t = await createTestApp();
  db = t.app.ctx.db;
  sub = (await createUser(db, { username: 'sub' })).id;
  a = (await createUser(db, { username: 'a' })).id;
  b = (await createUser(db, { username: 'b' })).id;
  c = (await createUser(db, { username: 'c' })).id;
  admin1 = (await createUser(db, { username: 'admin1', isAdmin: true })).id;
  admin2 = (await createUser(db, { username: 'admin2', isAdmin: true })).id;
});
afterAll(() => t?.close());

/** Only this chain applies from now on. */
async function flow(nodes: FlowNode[], cc: { kind: 'users'; userIds: string[] }[] = []) {
  await db.updateTable('approval_flows').set({ enabled: 0 }).execute();
  await insertFlow(db, { definition: { nodes, cc } });
}

const statuses = async (id: string) =>
  (await taskSummary(db, id)).map(
    (x) =>
      `${x.approverId === a ? 'a' : x.approverId === b ? 'b' : x.approverId === c ? 'c' : x.approverId === admin1 ? 'admin1' : 'admin2'}:${x.status}`,
  );

describe('modes', () => {
  it('或签: every approver pending at once, the first approval decides and cancels the rest', async () => {
    await flow([point([users(a, b, c)], { mode: 'any' })]);
    const { instanceId } = await submitTest(t.app, sub);
    expect(await statuses(instanceId)).toEqual(['a:pending', 'b:pending', 'c:pending']);
    await act.approve(t.app, instanceId, b);
    expect(await statuses(instanceId)).toEqual(['a:cancelled', 'b:approved', 'c:cancelled']);
    expect(await instanceStatus(db, instanceId)).toBe('approved');
  });

  it('会签: all pending, all must approve; one rejection rejects', async () => {
    await flow([point([users(a, b)], { mode: 'all' })]);
    const first = await submitTest(t.app, sub);
    await act.approve(t.app, first.instanceId, a);
    expect(await instanceStatus(db, first.instanceId)).toBe('pending');
    await expect(act.approve(t.app, first.instanceId, a)).rejects.toMatchObject({ code: 'approval_already_decided' });
    await act.approve(t.app, first.instanceId, b);
    expect(await instanceStatus(db, first.instanceId)).toBe('approved');

    const second = await submitTest(t.app, sub);
    await act.approve(t.app, second.instanceId, a);
    await act.reject(t.app, second.instanceId, b, { comment: '预算不足' });
    expect(await instanceStatus(db, second.instanceId)).toBe('rejected');
    expect(statusCalls.filter((x) => x.instanceId === second.instanceId).map((x) => x.status)).toEqual(['pending', 'rejected']);
  });

  it('依次: one at a time in the listed order', async () => {
    await flow([point([users(c, a, b)], { mode: 'sequential' })]);
    const { instanceId } = await submitTest(t.app, sub);
    expect(await statuses(instanceId)).toEqual(['c:pending', 'a:waiting', 'b:waiting']);
    await expect(act.approve(t.app, instanceId, a)).rejects.toMatchObject({ code: 'approval_not_allowed' });
    await act.approve(t.app, instanceId, c);
    expect(await statuses(instanceId)).toEqual(['c:approved', 'a:pending', 'b:waiting']);
    await act.approve(t.app, instanceId, a);
    await act.approve(t.app, instanceId, b);
    expect(await instanceStatus(db, instanceId)).toBe('approved');
  });

  it('points follow one another; the current point and the path move along', async () => {
    await flow([point([users(a)], { id: 'first' }), point([users(b)], { id: 'second' })]);
    const { instanceId } = await submitTest(t.app, sub);
    await act.approve(t.app, instanceId, a);
    const row = await db
      .selectFrom('approval_instances')
      .select(['current_node_id', 'state'])
      .where('id', '=', instanceId)
      .executeTakeFirstOrThrow();
    expect(row.current_node_id).toBe('second');
    expect(JSON.parse(row.state)).toMatchObject({ path: ['first', 'second'], rounds: { first: 1, second: 1 } });
    await act.approve(t.app, instanceId, b);
    expect(await instanceStatus(db, instanceId)).toBe('approved');
  });
});

describe('branches', () => {
  const big = { any: [[{ field: 'amount', op: 'gt' as const, value: 100000 }]] };
  const travel = { any: [[{ field: 'category', op: 'eq' as const, value: '差旅' }]] };

  beforeEach(async () => {
    await flow([
      point([users(a)], { id: 'start' }),
      branch(
        'by_amount',
        {
          condition: big,
          nodes: [
            branch(
              'by_category',
              { condition: travel, nodes: [point([users(b)], { id: 'big_travel' })] },
              { condition: null, nodes: [point([users(c)], { id: 'big_other' })] },
            ),
          ],
        },
        { condition: null, nodes: [] },
      ),
      branch(
        'only_travel',
        { condition: travel, nodes: [point([users(admin1)], { id: 'travel_desk' })] },
        { condition: big, nodes: [point([users(admin2)], { id: 'never' })] },
      ),
    ]);
  });

  const route = async (values: Record<string, unknown>) => {
    const { instanceId } = await submitTest(t.app, sub, values);
    const row = await db.selectFrom('approval_instances').select('state').where('id', '=', instanceId).executeTakeFirstOrThrow();
    return (JSON.parse(row.state) as { route: string[] }).route;
  };

  it('takes the first matching branch, nested branches included', async () => {
    expect(await route({ amount: 200000, category: '差旅' })).toEqual(['start', 'big_travel', 'travel_desk']);
  });

  it('takes the otherwise branch when nothing else matches', async () => {
    expect(await route({ amount: 200000, category: '办公' })).toEqual(['start', 'big_other', 'never']);
    expect(await route({ amount: 100, category: '办公' })).toEqual(['start']);
  });

  it('passes a branch node by when no branch matches and there is no otherwise branch', async () => {
    expect(await route({ amount: 100, category: '差旅' })).toEqual(['start', 'travel_desk']);
  });

  it('walks the taken branch at run time', async () => {
    const { instanceId } = await submitTest(t.app, sub, { amount: 200000, category: '差旅' });
    await act.approve(t.app, instanceId, a);
    expect((await taskSummary(db, instanceId)).map((x) => x.nodeId)).toEqual(['start', 'big_travel']);
    await act.approve(t.app, instanceId, b);
    await act.approve(t.app, instanceId, admin1);
    expect(await instanceStatus(db, instanceId)).toBe('approved');
  });
});

describe('points without approvers', () => {
  const nobody = () => [{ kind: 'supervisor' as const }];

  it('skip: passed by and recorded', async () => {
    await flow([point(nobody(), { id: 'empty', whenEmpty: 'skip' }), point([users(a)], { id: 'real' })]);
    const { instanceId } = await submitTest(t.app, sub);
    expect((await taskSummary(db, instanceId)).map((x) => x.nodeId)).toEqual(['real']);
    const actions = await db
      .selectFrom('approval_actions')
      .select(['action', 'node_id'])
      .where('instance_id', '=', instanceId)
      .orderBy('id')
      .execute();
    expect(actions).toEqual([
      { action: 'submit', node_id: null },
      { action: 'skip', node_id: 'empty' },
    ]);
  });

  it('admin: every active admin gets it, any one of them decides, whatever the mode', async () => {
    await flow([point(nobody(), { whenEmpty: 'admin', mode: 'all' })]);
    const { instanceId } = await submitTest(t.app, sub);
    expect((await statuses(instanceId)).sort()).toEqual(['admin1:pending', 'admin2:pending']);
    await act.approve(t.app, instanceId, admin2);
    expect(await instanceStatus(db, instanceId)).toBe('approved');
  });

  it('reject: the document is rejected at once, and the submitter is told which point had nobody', async () => {
    await flow([point(nobody(), { id: 'finance', name: '财务审批', whenEmpty: 'reject' })]);
    const r = await submitTest(t.app, sub, {}, { title: '采购申请' });
    expect(r.status).toBe('rejected');
    expect(statusCalls.filter((x) => x.instanceId === r.instanceId).map((x) => x.status)).toEqual(['rejected']);
    const note = await db
      .selectFrom('notifications')
      .select(['type', 'title'])
      .where('user_id', '=', sub)
      .where('link', '=', `/approvals/${r.instanceId}`)
      .execute();
    expect(note).toEqual([{ type: 'approval.rejected', title: '你提交的“采购申请”已自动驳回：审批点“财务审批”没有审批人' }]);

    // in English for an English-speaking submitter
    await db.updateTable('users').set({ locale: 'en-US' }).where('id', '=', c).execute();
    const en = await submitTest(t.app, c, {}, { title: 'Purchase' });
    const enNote = await db
      .selectFrom('notifications')
      .select('title')
      .where('user_id', '=', c)
      .where('link', '=', `/approvals/${en.instanceId}`)
      .executeTakeFirstOrThrow();
    expect(enNote.title).toBe('Your "Purchase" was rejected automatically: approval step "财务审批" has no approver');

    // the history (the page words it from reason and point): the system rejected there, for want of an approver
    const row = await db.selectFrom('approval_instances').selectAll().where('id', '=', r.instanceId).executeTakeFirstOrThrow();
    const detail = await presentDetail(db, row, sub, 'zh-CN');
    expect(detail.actions.at(-1)).toMatchObject({
      action: 'reject',
      actorId: null,
      nodeName: '财务审批',
      detail: { reason: 'no_approver', point: '财务审批' },
    });
  });
});

describe('copy-to (抄送)', () => {
  it('copies the flow’s and the submitter’s picks on submit and tells them again on the decision', async () => {
    await flow([point([users(a)])], [{ kind: 'users', userIds: [b] }]);
    const { instanceId } = await submitTest(t.app, sub, {}, { cc: [c, b] });
    const cc = await db.selectFrom('approval_cc').select(['user_id', 'read_at']).where('instance_id', '=', instanceId).execute();
    expect(cc.map((x) => x.user_id).sort()).toEqual([b, c].sort());
    const notes = () =>
      db
        .selectFrom('notifications')
        .select(['user_id', 'type', 'title'])
        .where('link', '=', `/approvals/${instanceId}`)
        .where('type', '=', 'approval.cc')
        .orderBy('id')
        .execute();
    expect((await notes()).length).toBe(2);
    await act.approve(t.app, instanceId, a);
    expect((await notes()).length).toBe(4);
    await expect(submitTest(t.app, sub, {}, { cc: ['0000000000000000000000000z'] })).rejects.toMatchObject({ code: 'validation' });
  });
});
