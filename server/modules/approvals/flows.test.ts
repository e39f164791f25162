import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApprovableType, ApprovalFlow, FlowDefinition, FlowNode, PointNode } from '@common/schemas/approvals';
import type { Db } from '@server/db/types';
import { inTransaction } from '@server/platform/notify/transaction';
import { createTestApp, loginAs, setupAdmin, type Client, type TestApp } from '@server/test/app';
import { createUser, SAMPLE_ID } from '@server/test/factories';
import { registerApprovable } from './registry';
import { approve, submitDocument } from './engine';
import { signInDesigner } from './designer.testing';

/**
 * /approval-types and /approval-flows: types with their fields in the caller's language, flow CRUD
 * for the workflow module only, validation with the path of every error, one default per type,
 * definition versions (an instance keeps the version it started with), soft delete.
 */

// document types of a fixture module: its documents live in memory ('fixture_trip' only for the versions test)
const docs = new Map<string, Record<string, unknown>>();
for (const type of ['fixture_expense', 'fixture_trip']) {
  registerApprovable({
    type,
    labelKey: 'approvalsapi.field.submitter_id',
    module: null,
    fields: [
      { key: 'amount', label: 'Amount', kind: 'money' },
      { key: 'category', label: 'Category', kind: 'select', options: ['travel', 'office'] },
    ],
    load: async (_db, id) => ({ title: `expense ${id}`, values: docs.get(id) ?? {}, link: null }),
    canView: async () => true,
  });
}

let t: TestApp;
let db: Db;
let admin: Client;
let designer: Client;
let plain: Client;
let approverId: string;
let submitterId: string;

const base = '/api/v1/approval-flows';
const point = (id: string, approvers: PointNode['approvers'] = []): FlowNode => ({
  kind: 'point',
  id,
  name: `点${id}`,
  approvers,
  mode: 'any',
  whenEmpty: 'skip',
});
const chain = (...nodes: FlowNode[]): FlowDefinition => ({ nodes, cc: [] });
const okDefinition = () => chain(point('p1', [{ kind: 'users', userIds: [approverId] }]));

async function createFlow(body: Record<string, unknown>): Promise<ApprovalFlow> {
  const res = await designer.post(base, { type: 'fixture_expense', name: '报销审批', definition: okDefinition(), ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function submit(type: string, documentId: string, values: Record<string, unknown>) {
  docs.set(documentId, values);
  const ctx = { db, realtime: t.app.ctx.realtime };
  return inTransaction(db, (tx) =>
    submitDocument(ctx, tx, { type, documentId, submitterId }, { id: submitterId, name: 'submitter', ip: null }),
  );
}

beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
  admin = await setupAdmin(t.app);
  designer = await signInDesigner(t);
  const p = await createUser(db, { username: 'plain', name: '普通员工' });
  plain = await loginAs(t.app, p.username, p.password);
  submitterId = p.id;
  approverId = (await createUser(db, { username: 'approver', name: '审批人' })).id;
});
afterAll(() => t.close());

describe('GET /approval-types', () => {
  it('lists the registered types with their fields and the submitter pseudo-fields, in the caller language', async () => {
    const zh = await plain.get('/api/v1/approval-types');
    expect(zh.statusCode).toBe(200);
    const type = (zh.json().items as ApprovableType[]).find((x) => x.type === 'fixture_expense')!;
    expect(type.label).toBe('提交人');
    expect(type.fields.map((f) => f.key)).toEqual(['amount', 'category', '$submitter.department', '$submitter.position', '$submitter.id']);
    expect(type.fields.find((f) => f.key === '$submitter.department')).toMatchObject({ label: '提交人部门', kind: 'department' });
    const en = await plain.get('/api/v1/approval-types', { 'accept-language': 'en-US' });
    const enType = (en.json().items as ApprovableType[]).find((x) => x.type === 'fixture_expense')!;
    expect(enType.fields.find((f) => f.key === '$submitter.department')!.label).toBe("Submitter's department");
  });
});

describe('flows CRUD', () => {
  it('creates, reads, lists by type, and is audited', async () => {
    const flow = await createFlow({ entry: { any: [[{ field: 'amount', op: 'gt', value: 100000 }]] }, priority: 5 });
    expect(flow).toMatchObject({
      type: 'fixture_expense',
      name: '报销审批',
      priority: 5,
      isDefault: false,
      enabled: true,
      definitionVersion: 1,
      version: 1,
    });
    expect((await designer.get(`${base}/${flow.id}`)).json()).toEqual(flow);
    const list = (await designer.get(`${base}?type=fixture_expense`)).json().items as ApprovalFlow[];
    expect(list.map((f) => f.id)).toContain(flow.id);
    expect((await designer.get(`${base}?type=other`)).json().items).toEqual([]);
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'actor_name'])
      .where('entity', '=', 'approval_flow')
      .where('entity_id', '=', flow.id)
      .execute();
    expect(audit).toEqual([{ action: 'create', actor_name: '流程设计' }]);
  });

  it('refuses users without the workflow right (403) but lets them list the types', async () => {
    const flow = await createFlow({});
    expect((await plain.get(base)).statusCode).toBe(403);
    expect((await plain.get(`${base}/${flow.id}`)).statusCode).toBe(403);
    expect((await plain.post(base, { type: 'fixture_expense', name: 'x', definition: okDefinition() })).statusCode).toBe(403);
    expect((await plain.patch(`${base}/${flow.id}`, { version: 1, name: 'x' })).statusCode).toBe(403);
    expect((await plain.delete(`${base}/${flow.id}`)).statusCode).toBe(403);
    expect((await plain.get('/api/v1/approval-types')).statusCode).toBe(200);
  });

  it('refuses an unknown type on `type` and an unknown flow with 404', async () => {
    const res = await designer.post(base, { type: 'no_such_type', name: 'x', definition: okDefinition() });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('type');
    expect((await designer.get(`${base}/${SAMPLE_ID}`)).statusCode).toBe(404);
    expect((await designer.patch(`${base}/${SAMPLE_ID}`, { version: 1, name: 'x' })).statusCode).toBe(404);
  });

  it('refuses every invalid definition with approval_flow_invalid naming the path, storing nothing', async () => {
    const before = (await db.selectFrom('approval_flows').select('id').execute()).length;
    const branch = (id: string, condition: unknown, nodes: FlowNode[]) => ({ id, name: `分支${id}`, condition, nodes });
    const cases: [FlowDefinition | Record<string, unknown>, string, string][] = [
      [chain(point('a')), 'nodes.0', 'no_approvers'],
      [
        chain({
          kind: 'branch',
          id: 'b',
          branches: [
            branch('x', null, [point('c', [{ kind: 'supervisor' }])]),
            branch('y', { any: [[{ field: 'amount', op: 'gt', value: 1 }]] }, [point('d', [{ kind: 'supervisor' }])]),
          ],
        } as FlowNode),
        'nodes.0.branches.1',
        'unreachable',
      ],
      [
        chain({
          kind: 'branch',
          id: 'b',
          branches: [
            branch('x', { any: [[{ field: 'amount', op: 'gt', value: 1 }]] }, []),
            branch('y', null, [point('d', [{ kind: 'supervisor' }])]),
          ],
        } as FlowNode),
        'nodes.0.branches.0',
        'empty_branch',
      ],
      [chain(point('a', [{ kind: 'supervisor' }]), point('a', [{ kind: 'supervisor' }])), 'nodes.1', 'duplicate_id'],
      [chain(point('a', [{ kind: 'supervisor_chain' }])), 'nodes.0.approvers.0', 'chain_unbounded'],
      [chain(point('a', [{ kind: 'users', userIds: [SAMPLE_ID] }])), 'nodes.0.approvers.0.userIds.0', 'user_not_found'],
      [
        chain(point('a', [{ kind: 'approval_position', positionId: SAMPLE_ID }])),
        'nodes.0.approvers.0.positionId',
        'approval_position_not_found',
      ],
      [chain(point('a', [{ kind: 'role', positionId: SAMPLE_ID }])), 'nodes.0.approvers.0.positionId', 'position_not_found'],
    ];
    for (const [definition, path, code] of cases) {
      const res = await designer.post(base, { type: 'fixture_expense', name: 'bad', definition });
      expect(res.statusCode, JSON.stringify(definition)).toBe(400);
      expect(res.json().code).toBe('approval_flow_invalid');
      expect(res.json().errors).toContainEqual(expect.objectContaining({ field: path, code }));
    }
    // the entry condition is checked the same way
    const entry = await designer.post(base, {
      type: 'fixture_expense',
      name: 'bad',
      definition: okDefinition(),
      entry: {
        any: [
          [
            { field: 'amount', op: 'gt', value: 100 },
            { field: 'amount', op: 'lt', value: 50 },
          ],
          [{ field: 'colour', op: 'eq', value: 'red' }],
          [{ field: '$submitter.department', op: 'dept_in', value: [SAMPLE_ID] }],
        ],
      },
    });
    expect(entry.statusCode).toBe(400);
    expect(entry.json().errors.map((e: { field: string; code: string }) => `${e.field} ${e.code}`)).toEqual([
      'entry.any.0 never_true',
      'entry.any.1.0 unknown_field',
      'entry.any.2.0 department_not_found',
    ]);
    expect(entry.json().errors[0].message).toBe('条件“Amount”自相矛盾，永远不会成立');
    expect((await db.selectFrom('approval_flows').select('id').execute()).length).toBe(before);
  });
});

describe('default flow', () => {
  it('keeps one default per type: setting it clears the others in the same change', async () => {
    const a = await createFlow({ name: '默认A', isDefault: true });
    const b = await createFlow({ name: '默认B', isDefault: true });
    const get = async (id: string) => (await designer.get(`${base}/${id}`)).json() as ApprovalFlow;
    expect((await get(a.id)).isDefault).toBe(false);
    expect((await get(b.id)).isDefault).toBe(true);
    const res = await designer.patch(`${base}/${a.id}`, { version: (await get(a.id)).version, isDefault: true });
    expect(res.statusCode, res.body).toBe(200);
    expect((await get(a.id)).isDefault).toBe(true);
    expect((await get(b.id)).isDefault).toBe(false);
    const defaults = await db
      .selectFrom('approval_flows')
      .select('id')
      .where('type', '=', 'fixture_expense')
      .where('is_default', '=', 1)
      .where('deleted_at', 'is', null)
      .execute();
    expect(defaults).toEqual([{ id: a.id }]);
  });
});

describe('versions', () => {
  it('saves a changed definition as version 2; an instance started before keeps version 1; a delete leaves it working', async () => {
    // a flow of its own entry condition, first in priority
    const flow = await createFlow({
      type: 'fixture_trip',
      name: '大额',
      priority: 0,
      entry: { any: [[{ field: 'category', op: 'eq', value: 'travel' }]] },
    });
    const v1 = await submit('fixture_trip', 'doc-1', { amount: 500, category: 'travel' });
    expect(v1.status).toBe('pending');
    const inst1 = await db.selectFrom('approval_instances').selectAll().where('id', '=', v1.instanceId).executeTakeFirstOrThrow();
    expect(inst1.flow_id).toBe(flow.id);

    // only the name: no new version
    const renamed = await designer.patch(`${base}/${flow.id}`, { version: flow.version, name: '差旅' });
    expect(renamed.json()).toMatchObject({ name: '差旅', definitionVersion: 1, version: 2 });
    // the same definition again: still no new version
    const same = await designer.patch(`${base}/${flow.id}`, { version: 2, definition: okDefinition() });
    expect(same.json()).toMatchObject({ definitionVersion: 1, version: 3 });

    const two = chain(point('p1', [{ kind: 'users', userIds: [approverId] }]), point('p2', [{ kind: 'department_head' }]));
    const changed = await designer.patch(`${base}/${flow.id}`, { version: 3, definition: two });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ definitionVersion: 2, version: 4, definition: two });
    const versions = await db
      .selectFrom('approval_flow_versions')
      .select(['id', 'number'])
      .where('flow_id', '=', flow.id)
      .orderBy('number')
      .execute();
    expect(versions.map((v) => v.number)).toEqual([1, 2]);
    expect(inst1.flow_version_id).toBe(versions[0].id);
    const after = await db
      .selectFrom('approval_instances')
      .select('flow_version_id')
      .where('id', '=', v1.instanceId)
      .executeTakeFirstOrThrow();
    expect(after.flow_version_id).toBe(versions[0].id);
    const v2 = await submit('fixture_trip', 'doc-2', { amount: 500, category: 'travel' });
    const inst2 = await db
      .selectFrom('approval_instances')
      .select('flow_version_id')
      .where('id', '=', v2.instanceId)
      .executeTakeFirstOrThrow();
    expect(inst2.flow_version_id).toBe(versions[1].id);

    // stale version → 409, nothing changed
    const stale = await designer.patch(`${base}/${flow.id}`, { version: 3, name: '旧' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('stale_version');

    // soft delete: gone from the designer, the running instance still finishes on version 1
    expect((await designer.delete(`${base}/${flow.id}?version=4`)).statusCode).toBe(204);
    expect((await designer.get(`${base}/${flow.id}`)).statusCode).toBe(404);
    expect(((await designer.get(base)).json().items as ApprovalFlow[]).map((f) => f.id)).not.toContain(flow.id);
    const ctx = { db, realtime: t.app.ctx.realtime };
    await inTransaction(db, (tx) =>
      approve(ctx, tx, v1.instanceId, { id: approverId, name: '审批人', ip: null }, { comment: null, attachments: [] }),
    );
    const done = await db.selectFrom('approval_instances').select('status').where('id', '=', v1.instanceId).executeTakeFirstOrThrow();
    expect(done.status).toBe('approved');
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('entity', '=', 'approval_flow')
      .where('entity_id', '=', flow.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'update', 'update', 'delete']);
  });

  it('an admin passes the workflow check', async () => {
    expect((await admin.get(base)).statusCode).toBe(200);
  });
});
