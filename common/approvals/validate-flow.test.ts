import { describe, expect, it } from 'vitest';
import { catalogs } from '../messages/index';
import type { Branch, ConditionGroup, FlowDefinition, FlowFieldDef, FlowNode, PointNode } from '../schemas/approvals';
import { flowReferences, validateEntryCondition, validateFlowDefinition, type FlowError } from './validate-flow';

const fields: FlowFieldDef[] = [
  { key: 'amount', label: '金额', kind: 'money' },
  { key: 'discount', label: '折扣', kind: 'percent' },
  { key: 'category', label: '类别', kind: 'select', options: ['差旅', '办公'] },
  { key: 'start', label: '开始日期', kind: 'date' },
  { key: 'urgent', label: '加急', kind: 'boolean' },
  { key: 'note', label: '说明', kind: 'text' },
];
const ctx = { fields };

let seq = 0;
const point = (approvers: PointNode['approvers'] = [{ kind: 'supervisor' }], extra: Partial<PointNode> = {}): PointNode => ({
  kind: 'point',
  id: `p${++seq}`,
  name: `审批点${seq}`,
  approvers,
  mode: 'any',
  whenEmpty: 'skip',
  ...extra,
});
const branch = (condition: ConditionGroup | null, nodes: FlowNode[] = [point()]): Branch => ({
  id: `b${++seq}`,
  name: `分支${seq}`,
  condition,
  nodes,
});
const branches = (...list: Branch[]): FlowNode => ({ kind: 'branch', id: `n${++seq}`, branches: list });
const flow = (...nodes: FlowNode[]): FlowDefinition => ({ nodes, cc: [] });
const amountOver = (v: number): ConditionGroup => ({ any: [[{ field: 'amount', op: 'gt', value: v }]] });
const codes = (errors: FlowError[]) => errors.map((e) => `${e.path} ${e.code}`);

describe('validateFlowDefinition', () => {
  it('accepts a two-point flow with a condition branch and an otherwise branch', () => {
    const def = flow(point(), branches(branch(amountOver(100_000)), branch(null)), point([{ kind: 'department_head' }]));
    expect(validateFlowDefinition(def, ctx)).toEqual([]);
  });

  it('refuses a point without approvers and names it', () => {
    const errors = validateFlowDefinition(flow(point(), point([])), ctx);
    expect(errors).toEqual([{ path: 'nodes.1', code: 'no_approvers', params: { name: expect.any(String) } }]);
  });

  it('refuses a branch whose chain is empty or holds only points without approvers', () => {
    const def = flow(branches(branch(amountOver(1), []), branch(amountOver(2), [point([])]), branch(null)));
    expect(codes(validateFlowDefinition(def, ctx))).toEqual([
      'nodes.0.branches.0 empty_branch',
      'nodes.0.branches.1 empty_branch',
      'nodes.0.branches.1.nodes.0 no_approvers',
    ]);
  });

  it('accepts a branch whose approvers sit in a nested branch', () => {
    const def = flow(branches(branch(amountOver(1), [branches(branch(amountOver(5)), branch(null))]), branch(null)));
    expect(validateFlowDefinition(def, ctx)).toEqual([]);
  });

  it('refuses branches after an otherwise branch or after one matching everything, and a second otherwise', () => {
    const a = flow(branches(branch(null), branch(amountOver(5))));
    expect(codes(validateFlowDefinition(a, ctx))).toEqual(['nodes.0.branches.1 unreachable']);
    const b = flow(branches(branch({ any: [] }), branch(amountOver(5)), branch(null)));
    expect(codes(validateFlowDefinition(b, ctx))).toEqual(['nodes.0.branches.1 unreachable', 'nodes.0.branches.2 unreachable']);
    const c = flow(branches(branch(amountOver(5)), branch(null), branch(null)));
    expect(codes(validateFlowDefinition(c, ctx))).toEqual(['nodes.0.branches.2 multiple_otherwise']);
  });

  it('refuses a branch repeating an earlier condition, also written in another order', () => {
    const first: ConditionGroup = {
      any: [
        [
          { field: 'amount', op: 'gt', value: 100 },
          { field: 'category', op: 'in', value: ['差旅', '办公'] },
        ],
      ],
    };
    const same: ConditionGroup = {
      any: [
        [
          { field: 'category', op: 'in', value: ['办公', '差旅'] },
          { field: 'amount', op: 'gt', value: 100 },
        ],
      ],
    };
    const def = flow(branches(branch(first), branch(same), branch(null)));
    expect(codes(validateFlowDefinition(def, ctx))).toEqual(['nodes.0.branches.1 duplicate_condition']);
  });

  it('refuses conditions that can never hold, deep inside nested branches', () => {
    const contradictions: ConditionGroup['any'][number][] = [
      [
        { field: 'amount', op: 'gt', value: 100 },
        { field: 'amount', op: 'lt', value: 50 },
      ],
      [
        { field: 'amount', op: 'gte', value: 100 },
        { field: 'amount', op: 'lt', value: 100 },
      ],
      [
        { field: 'category', op: 'eq', value: '差旅' },
        { field: 'category', op: 'eq', value: '办公' },
      ],
      [
        { field: 'category', op: 'eq', value: '差旅' },
        { field: 'category', op: 'ne', value: '差旅' },
      ],
      [
        { field: 'amount', op: 'in', value: [10, 20] },
        { field: 'amount', op: 'gt', value: 30 },
      ],
      [{ field: 'category', op: 'in', value: [] }],
      [
        { field: 'start', op: 'gt', value: '2026-05-01' },
        { field: 'start', op: 'lte', value: '2026-04-30' },
      ],
      [
        { field: 'urgent', op: 'eq', value: true },
        { field: 'urgent', op: 'eq', value: false },
      ],
    ];
    for (const group of contradictions) {
      const inner = branches(branch({ any: [[{ field: 'note', op: 'contains', value: 'x' }], group] }), branch(null));
      const def = flow(point(), branches(branch(amountOver(1), [inner]), branch(null)));
      expect(codes(validateFlowDefinition(def, ctx)), JSON.stringify(group)).toEqual([
        'nodes.1.branches.0.nodes.0.branches.0.condition.any.1 never_true',
      ]);
    }
    // touching bounds that include the value, and bounds on different fields, are fine
    const fine = flow(
      branches(
        branch({
          any: [
            [
              { field: 'amount', op: 'gte', value: 100 },
              { field: 'amount', op: 'lte', value: 100 },
              { field: 'discount', op: 'lt', value: 50 },
            ],
          ],
        }),
        branch(null),
      ),
    );
    expect(validateFlowDefinition(fine, ctx)).toEqual([]);
  });

  it('refuses duplicate node and branch ids', () => {
    const a = point();
    const b = point([{ kind: 'supervisor' }], { id: a.id });
    const errors = validateFlowDefinition(flow(a, b), ctx);
    expect(errors).toEqual([{ path: 'nodes.1', code: 'duplicate_id', params: { id: a.id } }]);
  });

  it('refuses unknown fields, unsuitable operators and values; knows the submitter pseudo-fields', () => {
    const def = flow(
      branches(
        branch({
          any: [
            [{ field: 'colour', op: 'eq', value: 'red' }],
            [{ field: 'note', op: 'gt', value: 'a' }],
            [{ field: 'amount', op: 'gt', value: 'many' }],
            [{ field: 'category', op: 'eq', value: '招待' }],
            [{ field: '$submitter.department', op: 'dept_in', value: ['d1'] }],
            [{ field: 'discount', op: 'exceeds_position_limit', value: { limits: { pos1: 20 }, default: 10 } }],
          ],
        }),
        branch(null),
      ),
    );
    expect(codes(validateFlowDefinition(def, ctx))).toEqual([
      'nodes.0.branches.0.condition.any.0.0 unknown_field',
      'nodes.0.branches.0.condition.any.1.0 condition_operator',
      'nodes.0.branches.0.condition.any.2.0 condition_value',
      'nodes.0.branches.0.condition.any.3.0 condition_value',
    ]);
  });

  it('refuses a supervisor chain without bound (points and cc) and a reminder not before the limit', () => {
    const def: FlowDefinition = {
      nodes: [
        point([{ kind: 'supervisor_chain' }]),
        point([{ kind: 'supervisor_chain', levels: 2 }], { timeLimit: { hours: 4, remindBeforeHours: 4, escalate: 'remind' } }),
        point([{ kind: 'supervisor_chain', untilPositionId: 'pos1' }], {
          timeLimit: { hours: 4, remindBeforeHours: 1, escalate: 'admin' },
        }),
      ],
      cc: [{ kind: 'supervisor_chain' }],
    };
    expect(codes(validateFlowDefinition(def, ctx))).toEqual([
      'nodes.0.approvers.0 chain_unbounded',
      'nodes.1.timeLimit.remindBeforeHours remind_too_late',
      'cc.0 chain_unbounded',
    ]);
  });

  it('checks the entry condition the same way', () => {
    expect(validateEntryCondition(null, ctx)).toEqual([]);
    expect(validateEntryCondition(amountOver(5), ctx)).toEqual([]);
    const bad: ConditionGroup = {
      any: [
        [
          { field: 'amount', op: 'gt', value: 100 },
          { field: 'amount', op: 'lt', value: 50 },
        ],
        [{ field: 'nope', op: 'eq', value: 1 }],
      ],
    };
    expect(codes(validateEntryCondition(bad, ctx))).toEqual(['entry.any.0 never_true', 'entry.any.1.0 unknown_field']);
  });

  it('lists the users, positions, approval positions and departments a flow points at, with their paths', () => {
    const def: FlowDefinition = {
      nodes: [
        point([
          { kind: 'users', userIds: ['u1', 'u2'] },
          { kind: 'approval_position', positionId: 'ap1' },
        ]),
        branches(
          branch({ any: [[{ field: '$submitter.department', op: 'dept_in', value: ['d1'] }]] }, [
            point([{ kind: 'role', positionId: 'pos1' }]),
          ]),
          branch(null),
        ),
      ],
      cc: [{ kind: 'supervisor_chain', untilPositionId: 'pos2' }],
    };
    const refs = flowReferences(def, { any: [[{ field: '$submitter.position', op: 'in', value: ['pos3'] }]] });
    expect(refs.users).toEqual([
      { id: 'u1', path: 'nodes.0.approvers.0.userIds.0' },
      { id: 'u2', path: 'nodes.0.approvers.0.userIds.1' },
    ]);
    expect(refs.approvalPositions).toEqual([{ id: 'ap1', path: 'nodes.0.approvers.1.positionId' }]);
    expect(refs.departments).toEqual([{ id: 'd1', path: 'nodes.1.branches.0.condition.any.0.0' }]);
    expect(refs.positions.map((p) => p.path)).toEqual([
      'nodes.1.branches.0.nodes.0.approvers.0.positionId',
      'cc.0.untilPositionId',
      'entry.any.0.0',
    ]);
  });

  it('has a message in both languages for every code', () => {
    for (const code of [
      'no_approvers',
      'empty_branch',
      'unreachable',
      'duplicate_condition',
      'multiple_otherwise',
      'never_true',
      'duplicate_id',
      'unknown_field',
      'condition_operator',
      'condition_value',
      'chain_unbounded',
      'remind_too_late',
    ]) {
      expect(catalogs['zh-CN'][`approvalsapi.invalid.${code}`]).toBeTruthy();
      expect(catalogs['en-US'][`approvalsapi.invalid.${code}`]).toBeTruthy();
    }
  });
});
