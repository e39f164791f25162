import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApproverSpec, Condition } from '@common/schemas/approvals';
import { createTestApp, type TestApp } from '@server/test/app';
import { createDepartment, createPosition, createUser } from '@server/test/factories';
import type { Db } from '@server/db/types';
import { newId, nowIso } from '@server/db/ids';
import { resolveApprovers, submitterInfo } from './approvers';
import { DepartmentTree, matches, type SubmitterInfo } from './conditions';

/**
 * Approver rules resolved against a small company, and the condition operators:
 *   总部 (head ceo) → 销售部 (head salesHead) → 华东 (no head);  其他部 (no head)
 *   alice (华东, 销售代表) → mgr (经理) → salesHead (总监) → ceo (总经理)
 */

let t: TestApp;
let db: Db;
let ceo: string, salesHead: string, mgr: string, alice: string, dora: string, gone: string, other: string;
let hq: string, sales: string, east: string, otherDept: string;
let rep: string, director: string;
let aliceInfo: SubmitterInfo;
const tree = () => new DepartmentTree(db);
const resolve = async (specs: ApproverSpec[], who: string) => resolveApprovers(db, specs, (await submitterInfo(db, who))!, tree());

async function approvalPosition(members: { userId: string; departmentIds: string[] }[]): Promise<string> {
  const id = newId();
  const now = nowIso();
  await db
    .insertInto('approval_positions')
    .values({
      id,
      name: `职位${id.slice(-4)}`,
      description: null,
      version: 1,
      created_by: null,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    })
    .execute();
  for (const m of members) {
    await db
      .insertInto('approval_position_members')
      .values({ position_id: id, user_id: m.userId, department_ids: JSON.stringify(m.departmentIds) })
      .execute();
  }
  return id;
}

beforeAll(async () => {
  t = await createTestApp();
  db = t.app.ctx.db;
  const gm = await createPosition(db, { name: '总经理' });
  director = await createPosition(db, { name: '总监' });
  const manager = await createPosition(db, { name: '经理' });
  rep = await createPosition(db, { name: '销售代表' });
  hq = await createDepartment(db, { name: '总部' });
  sales = await createDepartment(db, { name: '销售部', parentId: hq });
  east = await createDepartment(db, { name: '华东', parentId: sales });
  otherDept = await createDepartment(db, { name: '其他部', parentId: hq });
  ceo = (await createUser(db, { username: 'ceo', departmentId: hq, positionId: gm })).id;
  salesHead = (await createUser(db, { username: 'saleshead', departmentId: sales, positionId: director, supervisorId: ceo })).id;
  mgr = (await createUser(db, { username: 'mgr', departmentId: east, positionId: manager, supervisorId: salesHead })).id;
  alice = (await createUser(db, { username: 'alice', departmentId: east, positionId: rep, supervisorId: mgr })).id;
  dora = (await createUser(db, { username: 'dora', departmentId: east, positionId: rep, supervisorId: mgr })).id;
  gone = (await createUser(db, { username: 'gone', departmentId: east, positionId: rep, status: 'disabled' })).id;
  other = (await createUser(db, { username: 'other', departmentId: otherDept, positionId: rep, supervisorId: gone })).id;
  await db.updateTable('departments').set({ head_user_id: ceo }).where('id', '=', hq).execute();
  await db.updateTable('departments').set({ head_user_id: salesHead }).where('id', '=', sales).execute();
  aliceInfo = (await submitterInfo(db, alice))!;
});
afterAll(() => t?.close());

describe('approver rules', () => {
  it('named users: in the given order, without repeats, disabled ones passed over', async () => {
    expect(
      await resolve(
        [
          { kind: 'users', userIds: [mgr, gone, ceo] },
          { kind: 'users', userIds: [ceo, dora] },
        ],
        alice,
      ),
    ).toEqual([mgr, ceo, dora]);
  });

  it('supervisor: the submitter’s 上级, none when that one is disabled', async () => {
    expect(await resolve([{ kind: 'supervisor' }], alice)).toEqual([mgr]);
    expect(await resolve([{ kind: 'supervisor' }], other)).toEqual([]);
    expect(await resolve([{ kind: 'supervisor' }], ceo)).toEqual([]);
  });

  it('supervisor chain: N levels, up to a position, to the top, stopping at a cycle', async () => {
    expect(await resolve([{ kind: 'supervisor_chain', levels: 2 }], alice)).toEqual([mgr, salesHead]);
    expect(await resolve([{ kind: 'supervisor_chain', untilPositionId: director }], alice)).toEqual([mgr, salesHead]);
    expect(await resolve([{ kind: 'supervisor_chain', levels: 10 }], alice)).toEqual([mgr, salesHead, ceo]);
    await db.updateTable('users').set({ supervisor_id: mgr }).where('id', '=', ceo).execute();
    try {
      expect(await resolve([{ kind: 'supervisor_chain' }], alice)).toEqual([mgr, salesHead, ceo]);
    } finally {
      await db.updateTable('users').set({ supervisor_id: null }).where('id', '=', ceo).execute();
    }
  });

  it('department head: the nearest department up the tree with a head, not the submitter themselves', async () => {
    expect(await resolve([{ kind: 'department_head' }], alice)).toEqual([salesHead]);
    expect(await resolve([{ kind: 'department_head' }], salesHead)).toEqual([ceo]);
    expect(await resolve([{ kind: 'department_head' }], other)).toEqual([ceo]);
    expect(await resolve([{ kind: 'department_head' }], ceo)).toEqual([]);
  });

  it('role: every active holder of the org position', async () => {
    expect((await resolve([{ kind: 'role', positionId: rep }], mgr)).sort()).toEqual([alice, dora, other].sort());
  });

  it('approval position: members for the submitter’s department (or a parent) first, else the all-department members', async () => {
    const forSales = (await createUser(db, { username: 'ap_sales' })).id;
    const forAll = (await createUser(db, { username: 'ap_all' })).id;
    const forOther = (await createUser(db, { username: 'ap_other' })).id;
    const pos = await approvalPosition([
      { userId: forSales, departmentIds: [sales] },
      { userId: forAll, departmentIds: [] },
      { userId: forOther, departmentIds: [otherDept] },
    ]);
    expect(await resolve([{ kind: 'approval_position', positionId: pos }], alice)).toEqual([forSales]);
    expect(await resolve([{ kind: 'approval_position', positionId: pos }], other)).toEqual([forOther]);
    expect(await resolve([{ kind: 'approval_position', positionId: pos }], ceo)).toEqual([forAll]);
    await db.updateTable('users').set({ status: 'left' }).where('id', '=', forSales).execute();
    expect(await resolve([{ kind: 'approval_position', positionId: pos }], alice)).toEqual([forAll]);
  });
});

describe('conditions', () => {
  const m = (conds: Condition[][], values: Record<string, unknown>, submitter = aliceInfo) =>
    matches({ any: conds }, { values, submitter }, tree());
  const c = (field: string, op: Condition['op'], value: Condition['value']): Condition => ({ field, op, value });

  it('compares numbers numerically (money in fen) and text as text', async () => {
    expect(await m([[c('amount', 'gt', 100000)]], { amount: 100001 })).toBe(true);
    expect(await m([[c('amount', 'gt', 100000)]], { amount: 100000 })).toBe(false);
    expect(await m([[c('amount', 'gte', 100000)]], { amount: 100000 })).toBe(true);
    expect(await m([[c('amount', 'lt', 9)]], { amount: 10 })).toBe(false);
    expect(await m([[c('amount', 'lte', '10')]], { amount: '10' })).toBe(true);
    expect(await m([[c('day', 'lt', '2026-02-01')]], { day: '2026-01-31' })).toBe(true);
    expect(await m([[c('category', 'eq', '差旅')]], { category: '差旅' })).toBe(true);
    expect(await m([[c('category', 'ne', '差旅')]], { category: '办公' })).toBe(true);
    expect(await m([[c('urgent', 'eq', true)]], { urgent: true })).toBe(true);
  });

  it('a missing value matches only the negative operators', async () => {
    expect(await m([[c('amount', 'gt', 0)]], {})).toBe(false);
    expect(await m([[c('amount', 'eq', 0)]], {})).toBe(false);
    expect(await m([[c('amount', 'ne', 0)]], {})).toBe(true);
    expect(await m([[c('category', 'not_in', ['办公'])]], {})).toBe(true);
  });

  it('lists, substrings and arrays', async () => {
    expect(await m([[c('category', 'in', ['办公', '差旅'])]], { category: '差旅' })).toBe(true);
    expect(await m([[c('category', 'not_in', ['办公', '差旅'])]], { category: '差旅' })).toBe(false);
    expect(await m([[c('reason', 'contains', 'Visit')]], { reason: 'customer visit in 上海' })).toBe(true);
    expect(await m([[c('tags', 'contains', 'vip')]], { tags: ['new', 'vip'] })).toBe(true);
    expect(await m([[c('tags', 'in', ['vip'])]], { tags: ['new', 'vip'] })).toBe(true);
  });

  it('departments with their sub-departments, and the submitter pseudo-fields', async () => {
    expect(await m([[c('$submitter.department', 'dept_in', [sales])]], {})).toBe(true);
    expect(await m([[c('$submitter.department', 'dept_in', [otherDept])]], {})).toBe(false);
    expect(await m([[c('dept', 'dept_in', [hq])]], { dept: east })).toBe(true);
    expect(await m([[c('$submitter.position', 'eq', rep)]], {})).toBe(true);
    expect(await m([[c('$submitter.id', 'in', [alice, mgr])]], {})).toBe(true);
  });

  it('a discount deeper than the submitter’s position allows', async () => {
    const limit = { limits: { [rep]: 10, [director]: 30 }, default: 5 };
    expect(await m([[c('discount', 'exceeds_position_limit', limit)]], { discount: 12.5 })).toBe(true);
    expect(await m([[c('discount', 'exceeds_position_limit', limit)]], { discount: 10 })).toBe(false);
    const director_ = (await submitterInfo(db, salesHead))!;
    expect(await m([[c('discount', 'exceeds_position_limit', limit)]], { discount: 25 }, director_)).toBe(false);
    const noPosition = { ...aliceInfo, positionId: null };
    expect(await m([[c('discount', 'exceeds_position_limit', limit)]], { discount: 6 }, noPosition)).toBe(true);
  });

  it('OR of AND groups; an empty group list matches everything', async () => {
    const groups = [[c('amount', 'gt', 100), c('category', 'eq', '差旅')], [c('amount', 'gt', 10000)]];
    expect(await m(groups, { amount: 200, category: '差旅' })).toBe(true);
    expect(await m(groups, { amount: 200, category: '办公' })).toBe(false);
    expect(await m(groups, { amount: 20000, category: '办公' })).toBe(true);
    expect(await m([], {})).toBe(true);
  });
});
