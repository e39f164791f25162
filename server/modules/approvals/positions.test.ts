import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApprovalPosition } from '@common/schemas/approvals';
import type { Db } from '@server/db/types';
import { createTestApp, loginAs, setupAdmin, type Client, type TestApp } from '@server/test/app';
import { createDepartment, createUser, SAMPLE_ID } from '@server/test/factories';
import { registerApprovable } from './registry';
import { signInDesigner } from './designer.testing';

/**
 * /approval-positions (审批职位): CRUD with members scoped to departments, workflow right only,
 * stale versions, and no delete while an enabled flow's current version names the position.
 */

registerApprovable({
  type: 'fixture_contract',
  label: 'Contract',
  module: null,
  fields: [{ key: 'amount', label: 'Amount', kind: 'money' }],
  load: async () => ({ title: 'contract', values: {}, link: null }),
  canView: async () => true,
});

let t: TestApp;
let db: Db;
let designer: Client;
let plain: Client;
let finance: string;
let legal: string;
let south: string;
let north: string;

const base = '/api/v1/approval-positions';

async function create(body: Record<string, unknown>): Promise<ApprovalPosition> {
  const res = await designer.post(base, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
  await setupAdmin(t.app);
  designer = await signInDesigner(t);
  const p = await createUser(db, { username: 'plain', name: '普通员工' });
  plain = await loginAs(t.app, p.username, p.password);
  finance = (await createUser(db, { username: 'finance', name: '林会计' })).id;
  legal = (await createUser(db, { username: 'legal', name: '王法务' })).id;
  south = await createDepartment(db, { name: '华南大区' });
  north = await createDepartment(db, { name: '华北大区' });
});
afterAll(() => t.close());

describe('approval positions', () => {
  it('creates with members and their departments, reads, lists, updates, and audits', async () => {
    const p = await create({
      name: '财务审批',
      description: '费用类单据',
      members: [
        { userId: finance, departmentIds: [south] },
        { userId: legal, departmentIds: [] },
      ],
    });
    expect(p).toMatchObject({ name: '财务审批', description: '费用类单据', version: 1 });
    expect(p.members).toEqual([
      { userId: finance, userName: '林会计', departmentIds: [south] },
      { userId: legal, userName: '王法务', departmentIds: [] },
    ]);
    expect((await designer.get(`${base}/${p.id}`)).json()).toEqual(p);
    expect(((await designer.get(base)).json().items as ApprovalPosition[]).map((x) => x.id)).toContain(p.id);

    // members only: the name stays, the version moves
    const res = await designer.patch(`${base}/${p.id}`, { version: 1, members: [{ userId: finance, departmentIds: [south, north] }] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ name: '财务审批', version: 2, members: [{ userId: finance, departmentIds: [south, north] }] });
    // name only: the members stay
    const renamed = await designer.patch(`${base}/${p.id}`, { version: 2, name: '财务复核' });
    expect(renamed.json()).toMatchObject({ name: '财务复核', version: 3, members: [{ userId: finance }] });
    const stale = await designer.patch(`${base}/${p.id}`, { version: 2, name: 'x' });
    expect(stale.statusCode).toBe(409);
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('entity', '=', 'approval_position')
      .where('entity_id', '=', p.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'update']);
  });

  it('refuses unknown users and departments, a member twice, a name in use — naming the field', async () => {
    await create({ name: '法务审批' });
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'x1', members: [{ userId: SAMPLE_ID }] }, 'members.0.userId'],
      [{ name: 'x2', members: [{ userId: finance, departmentIds: [SAMPLE_ID] }] }, 'members.0.departmentIds.0'],
      [{ name: 'x3', members: [{ userId: finance }, { userId: finance }] }, 'members.1.userId'],
      [{ name: '法务审批' }, 'name'],
    ];
    for (const [body, field] of cases) {
      const res = await designer.post(base, body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().errors[0].field).toBe(field);
    }
  });

  it('answers 403 to users without the workflow right', async () => {
    const p = await create({ name: '行政审批' });
    expect((await plain.get(base)).statusCode).toBe(403);
    expect((await plain.get(`${base}/${p.id}`)).statusCode).toBe(403);
    expect((await plain.post(base, { name: 'x' })).statusCode).toBe(403);
    expect((await plain.patch(`${base}/${p.id}`, { version: 1, name: 'x' })).statusCode).toBe(403);
    expect((await plain.delete(`${base}/${p.id}`)).statusCode).toBe(403);
  });

  it('refuses deleting a position an enabled flow uses (409 naming the flow); deletes it once the flow is disabled', async () => {
    const p = await create({ name: '总经理审批', members: [{ userId: legal }] });
    const flow = await designer.post('/api/v1/approval-flows', {
      type: 'fixture_contract',
      name: '合同审批',
      definition: {
        nodes: [
          {
            kind: 'branch',
            id: 'b',
            branches: [
              {
                id: 'big',
                name: '大额',
                condition: { any: [[{ field: 'amount', op: 'gt', value: 1000000 }]] },
                nodes: [
                  {
                    kind: 'point',
                    id: 'ceo',
                    name: '总经理',
                    approvers: [{ kind: 'approval_position', positionId: p.id }],
                    mode: 'any',
                    whenEmpty: 'admin',
                  },
                ],
              },
              {
                id: 'small',
                name: '其他',
                condition: null,
                nodes: [{ kind: 'point', id: 'sup', name: '上级', approvers: [{ kind: 'supervisor' }], mode: 'any', whenEmpty: 'admin' }],
              },
            ],
          },
        ],
      },
    });
    expect(flow.statusCode, flow.body).toBe(201);
    const refused = await designer.delete(`${base}/${p.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('approval_position_in_use');
    expect(refused.json().detail).toContain('合同审批');
    expect((await designer.get(`${base}/${p.id}`)).statusCode).toBe(200);

    const off = await designer.patch(`/api/v1/approval-flows/${flow.json().id}`, { version: 1, enabled: false });
    expect(off.statusCode, off.body).toBe(200);
    expect((await designer.delete(`${base}/${p.id}?version=1`)).statusCode).toBe(204);
    expect((await designer.get(`${base}/${p.id}`)).statusCode).toBe(404);
    // a flow may no longer name it
    const again = await designer.patch(`/api/v1/approval-flows/${flow.json().id}`, {
      version: 2,
      definition: {
        nodes: [
          {
            kind: 'point',
            id: 'ceo2',
            name: '总经理',
            approvers: [{ kind: 'approval_position', positionId: p.id }],
            mode: 'any',
            whenEmpty: 'admin',
          },
        ],
      },
    });
    expect(again.statusCode).toBe(400);
    expect(again.json().errors).toEqual([
      expect.objectContaining({ field: 'nodes.0.approvers.0.positionId', code: 'approval_position_not_found' }),
    ]);
  });
});
