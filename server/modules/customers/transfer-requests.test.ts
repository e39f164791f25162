import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApprovalDetail, ConditionGroup, FlowDefinition } from '@common/schemas/approvals';
import type { Db } from '@server/db/types';
import { newId, nowIso } from '@server/db/ids';
import { createTestApp, loginAs, type Client, type TestApp } from '@server/test/app';
import { createUser } from '@server/test/factories';
import { approvable } from '@server/modules/approvals/registry';
import type { Auth } from '@server/platform/access/types';
import { seedCustomer } from './testing';
import { ownerOf, poolWorld, seedSchedule, setSettings, type Person } from './pool-testing';
import { runPoolRecycle } from './pool-recycle';
import { TRANSFER_TYPE } from './transfer-requests.service';

/**
 * 移交审批: a transfer an approval flow applies to becomes a request; its customers are held until
 * the approval ends, move when it is approved (those whose owner changed meanwhile are skipped),
 * stay when it is rejected or withdrawn.
 */

let t: TestApp;
let w: Awaited<ReturnType<typeof poolWorld>>;
let mgr: Person;
let n = 0;

beforeAll(async () => {
  t = await createTestApp();
  w = await poolWorld(t);
  const u = await createUser(w.db, { username: 'mgr', name: '钱经理', departmentId: w.deptA });
  mgr = { id: u.id, name: '钱经理', client: await loginAs(t.app, u.username, u.password) };
});
afterAll(() => t?.close());

/** A customer_transfer flow written straight to the tables: one point decided by `approverId`. */
async function createFlow(db: Db, entry: ConditionGroup | null, approverId: string): Promise<string> {
  const id = newId();
  const versionId = newId();
  const now = nowIso();
  const definition: FlowDefinition = {
    nodes: [
      { kind: 'point', id: 'p1', name: '经理审批', approvers: [{ kind: 'users', userIds: [approverId] }], mode: 'any', whenEmpty: 'skip' },
    ],
    cc: [],
  };
  await db
    .insertInto('approval_flows')
    .values({
      id,
      version: 1,
      created_by: null,
      created_at: now,
      updated_at: now,
      deleted_at: null,
      type: TRANSFER_TYPE,
      name: '大批量移交审批',
      description: null,
      priority: 0,
      is_default: 0,
      enabled: 1,
      entry: entry ? JSON.stringify(entry) : null,
      current_version_id: versionId,
    })
    .execute();
  await db
    .insertInto('approval_flow_versions')
    .values({ id: versionId, flow_id: id, number: 1, definition: JSON.stringify(definition), created_by: null, created_at: now })
    .execute();
  return id;
}

async function customersOf(owner: Person, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(await seedCustomer(w.db, { name: `移交审批客户${++n}有限公司`, owner_id: owner.id }));
  return ids;
}

async function owners(ids: string[]): Promise<(string | null)[]> {
  return Promise.all(ids.map((id) => ownerOf(w.db, id)));
}

async function request(id: string) {
  return w.db.selectFrom('customer_transfer_requests').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** Submits a transfer of `ids` from alice to bob that needs approval. */
async function submit(ids: string[], note: string | null = '区域调整') {
  const res = await w.alice.client.post('/api/v1/customers/transfer', { ids, toUserId: w.bob.id, note });
  expect(res.statusCode, res.body).toBe(202);
  const body = res.json() as { status: string; requestId: string; approvalId: string };
  expect(body).toMatchObject({ status: 'pending', requestId: expect.any(String), approvalId: expect.any(String) });
  return body;
}

async function expectHeld(client: Client, id: string) {
  const release = await client.post(`/api/v1/customers/${id}/release`, {});
  expect(release.statusCode, release.body).toBe(409);
  expect(release.json().code).toBe('approval_document_locked');
}

describe('without a flow', () => {
  it('transfers at once, as before', async () => {
    const ids = await customersOf(w.alice, 2);
    const res = await w.alice.client.post('/api/v1/customers/transfer', { ids, toUserId: w.bob.id });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ transferred: 2, done: 2 });
    expect(await owners(ids)).toEqual([w.bob.id, w.bob.id]);
    expect(await w.db.selectFrom('customer_transfer_requests').select('id').execute()).toEqual([]);
  });
});

describe('with a flow for more than 5 customers', () => {
  beforeAll(async () => {
    await createFlow(w.db, { any: [[{ field: 'customerCount', op: 'gt', value: 5 }]] }, mgr.id);
  });

  it('transfers 3 at once', async () => {
    const ids = await customersOf(w.alice, 3);
    const res = await w.alice.client.post('/api/v1/customers/transfer', { ids, toUserId: w.bob.id });
    expect(res.statusCode, res.body).toBe(200);
    expect(await owners(ids)).toEqual([w.bob.id, w.bob.id, w.bob.id]);
  });

  it('sends 6 to approval, holds them, and moves them with their open schedules once approved', async () => {
    const ids = await customersOf(w.alice, 6);
    const open = await seedSchedule(w.db, { ownerId: w.alice.id, customerId: ids[0] });
    const { requestId, approvalId } = await submit(ids);

    expect(await owners(ids)).toEqual(ids.map(() => w.alice.id));
    const r = await request(requestId);
    expect(r).toMatchObject({
      status: 'pending',
      instance_id: approvalId,
      submitter_id: w.alice.id,
      to_user_id: w.bob.id,
      note: '区域调整',
    });
    const items = await w.db.selectFrom('customer_transfer_request_items').selectAll().where('request_id', '=', requestId).execute();
    expect(items.map((i) => i.customer_id).sort()).toEqual([...ids].sort());
    expect(items.every((i) => i.from_user_id === w.alice.id)).toBe(true);

    // held: no release, no second transfer (even of one, which needs no approval), no delete, assign, merge
    await expectHeld(w.alice.client, ids[1]);
    const again = await w.alice.client.post('/api/v1/customers/transfer', { ids: [ids[2]], toUserId: w.carol.id });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({
      code: 'approval_document_locked',
      errors: [{ field: 'ids.0', code: 'approval_document_locked' }],
    });
    const del = await w.alice.client.delete(`/api/v1/customers/${ids[3]}`);
    expect(del.statusCode).toBe(409);
    expect(del.json().code).toBe('approval_document_locked');
    const bulk = await w.alice.client.post('/api/v1/customers/bulk', { action: 'delete', ids: [ids[3], ids[4]] });
    expect(bulk.statusCode, bulk.body).toBe(200);
    expect(bulk.json()).toMatchObject({
      done: 0,
      failed: [
        { id: ids[3], code: 'approval_document_locked' },
        { id: ids[4], code: 'approval_document_locked' },
      ],
    });
    const bulkRelease = await w.alice.client.post('/api/v1/customers/bulk', { action: 'release', ids: [ids[5]] });
    expect(bulkRelease.json().failed).toMatchObject([{ id: ids[5], code: 'approval_document_locked' }]);
    const assign = await w.admin.post(`/api/v1/customers/${ids[0]}/assign`, { userId: w.carol.id });
    expect(assign.statusCode).toBe(409);
    expect(assign.json().code).toBe('approval_document_locked');
    const other = (await customersOf(w.alice, 1))[0];
    const merge = await w.admin.post(`/api/v1/customers/${other}/merge`, { sourceId: ids[0] });
    expect(merge.statusCode).toBe(409);
    expect(merge.json().code).toBe('approval_document_locked');
    expect(await owners(ids)).toEqual(ids.map(() => w.alice.id));
    const live = await w.db.selectFrom('customers').select('id').where('id', 'in', ids).where('deleted_at', 'is', null).execute();
    expect(live).toHaveLength(6);

    // the customer's page lists the request
    const listed = await w.alice.client.get(`/api/v1/customers/${ids[0]}/transfer-requests`);
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().items).toMatchObject([
      { id: requestId, status: 'pending', approvalId, toUserId: w.bob.id, toName: w.bob.name, fromUserId: w.alice.id, customerCount: 6 },
    ]);

    const ok = await mgr.client.post(`/api/v1/approvals/${approvalId}/approve`, { comment: '同意' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await owners(ids)).toEqual(ids.map(() => w.bob.id));
    const schedule = await w.db.selectFrom('schedules').select('owner_id').where('id', '=', open).executeTakeFirstOrThrow();
    expect(schedule.owner_id).toBe(w.bob.id);
    const history = (await w.bob.client.get(`/api/v1/customers/${ids[0]}/owner-history`)).json().items;
    expect(history[0]).toMatchObject({ fromUserId: w.alice.id, toUserId: w.bob.id, reason: 'transfer', note: '区域调整' });
    const done = await request(requestId);
    expect(done.status).toBe('approved');
    expect(JSON.parse(done.result!)).toEqual({ transferred: 6, done: 6, schedules: 1, followUps: 0, skipped: [] });
    // the hold is over: bob may release one now
    expect((await w.bob.client.post(`/api/v1/customers/${ids[1]}/release`, {})).statusCode).toBe(200);
  });

  it('a rejected request moves nothing and ends the hold; returned still holds', async () => {
    const ids = await customersOf(w.alice, 6);
    const first = await submit(ids);
    const back = await mgr.client.post(`/api/v1/approvals/${first.approvalId}/reject`, { comment: '请补充说明', to: 'submitter' });
    expect(back.statusCode, back.body).toBe(200);
    expect((await request(first.requestId)).status).toBe('returned');
    await expectHeld(w.alice.client, ids[0]);
    const withdrawn = await w.alice.client.post(`/api/v1/approvals/${first.approvalId}/withdraw`, {});
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect((await request(first.requestId)).status).toBe('withdrawn');

    const second = await submit(ids);
    const no = await mgr.client.post(`/api/v1/approvals/${second.approvalId}/reject`, { comment: '不同意', to: 'end' });
    expect(no.statusCode, no.body).toBe(200);
    expect((await request(second.requestId)).status).toBe('rejected');
    expect(await owners(ids)).toEqual(ids.map(() => w.alice.id));
    const listed = (await w.alice.client.get(`/api/v1/customers/${ids[0]}/transfer-requests`)).json().items;
    expect(listed.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual([
      [second.requestId, 'rejected'],
      [first.requestId, 'withdrawn'],
    ]);
    expect((await w.alice.client.post(`/api/v1/customers/${ids[0]}/release`, {})).statusCode).toBe(200);
  });

  it('the submitter may withdraw a pending request before anyone acted; the hold ends', async () => {
    const ids = await customersOf(w.alice, 6);
    const { requestId, approvalId } = await submit(ids);
    const res = await w.alice.client.post(`/api/v1/approvals/${approvalId}/withdraw`, { comment: '发错了' });
    expect(res.statusCode, res.body).toBe(200);
    expect((await request(requestId)).status).toBe('withdrawn');
    expect(await owners(ids)).toEqual(ids.map(() => w.alice.id));
    const now = await w.alice.client.post('/api/v1/customers/transfer', { ids: ids.slice(0, 2), toUserId: w.carol.id });
    expect(now.statusCode, now.body).toBe(200);
  });

  it('skips and reports a customer whose owner changed meanwhile', async () => {
    const ids = await customersOf(w.alice, 6);
    const { requestId, approvalId } = await submit(ids);
    const assign = await w.admin.post(`/api/v1/customers/${ids[2]}/assign`, { userId: w.carol.id });
    expect(assign.statusCode).toBe(409);
    // something outside the rules moved it anyway
    await w.db.updateTable('customers').set({ owner_id: w.carol.id, owner_department_id: w.deptB }).where('id', '=', ids[2]).execute();

    expect((await mgr.client.post(`/api/v1/approvals/${approvalId}/approve`, {})).statusCode).toBe(200);
    expect(await owners(ids)).toEqual(ids.map((id) => (id === ids[2] ? w.carol.id : w.bob.id)));
    const result = JSON.parse((await request(requestId)).result!);
    expect(result).toMatchObject({ transferred: 5, skipped: [{ id: ids[2], reason: 'owner_changed' }] });
    const listed = (await w.bob.client.get(`/api/v1/customers/${ids[0]}/transfer-requests`)).json().items;
    expect(listed[0]).toMatchObject({ status: 'approved', result: { transferred: 5, skipped: [{ id: ids[2], reason: 'owner_changed' }] } });
  });

  it('the bulk transfer action submits the customers that pass and lists the rest', async () => {
    const ids = await customersOf(w.alice, 6);
    const theirs = (await customersOf(w.carol, 1))[0];
    const res = await w.alice.client.post('/api/v1/customers/bulk', { action: 'transfer', ids: [...ids, theirs], toUserId: w.bob.id });
    expect(res.statusCode, res.body).toBe(202);
    const body = res.json();
    expect(body).toMatchObject({ status: 'pending', approvalId: expect.any(String), failed: [{ id: theirs, code: 'not_found' }] });
    expect(await owners(ids)).toEqual(ids.map(() => w.alice.id));
    const items = await w.db
      .selectFrom('customer_transfer_request_items')
      .select('customer_id')
      .where('request_id', '=', body.requestId)
      .execute();
    expect(items).toHaveLength(6);
    // held against the bulk transfer too
    const again = await w.alice.client.post('/api/v1/customers/bulk', { action: 'transfer', ids: [ids[0]], toUserId: w.carol.id });
    expect(again.json()).toMatchObject({ done: 0, failed: [{ id: ids[0], code: 'approval_document_locked' }] });
    expect((await mgr.client.post(`/api/v1/approvals/${body.approvalId}/approve`, {})).statusCode).toBe(200);
    expect(await owners(ids)).toEqual(ids.map(() => w.bob.id));
  });

  it('GET /customers/:id/transfer-requests only for who sees the customer; the document for submitter, target and viewers', async () => {
    const ids = await customersOf(w.alice, 6);
    const { requestId, approvalId } = await submit(ids, null);
    const url = `/api/v1/customers/${ids[0]}/transfer-requests`;
    expect((await w.alice.client.get(url)).statusCode).toBe(200);
    expect((await w.admin.get(url)).statusCode).toBe(200);
    // bob is the target but does not see alice's customers yet; carol and vic see neither
    for (const c of [w.bob.client, w.carol.client, w.vic.client]) expect((await c.get(url)).statusCode).toBe(404);
    expect((await w.alice.client.get('/api/v1/customers/0000000000000000000000000z/transfer-requests')).statusCode).toBe(404);

    const def = (await approvable(w.db, TRANSFER_TYPE))!;
    const auth = (id: string) => ({ user: { id } }) as unknown as Auth;
    expect(await def.canView(w.db, auth(w.alice.id), requestId)).toBe(true);
    expect(await def.canView(w.db, auth(w.bob.id), requestId)).toBe(true);
    const loaded = await def.load(w.db, requestId);
    const first = [...ids].sort()[0];
    const firstName = (await w.db.selectFrom('customers').select('name').where('id', '=', first).executeTakeFirstOrThrow()).name;
    expect(loaded).toEqual({
      title: `客户移交：${firstName}等6个客户 → ${w.bob.name}`,
      link: `/customers/${first}`,
      values: { customerCount: 6, toUser: w.bob.id, toDepartment: w.deptA, crossDepartment: false, fromOwner: w.alice.id, note: null },
    });
    // the type and its fields as the flow designer lists them, in the caller's language
    const types = (await w.admin.get('/api/v1/approval-types')).json();
    const type = (Array.isArray(types) ? types : types.items).find((x: { type: string }) => x.type === TRANSFER_TYPE);
    expect(type).toMatchObject({ label: '客户移交', module: 'customers' });
    expect(type.fields).toEqual(
      expect.arrayContaining([
        { key: 'customerCount', label: '客户数量', kind: 'number' },
        { key: 'crossDepartment', label: '跨部门移交', kind: 'boolean' },
      ]),
    );
    // the approval's own page follows canView: carol sees nothing of it
    expect((await w.carol.client.get(`/api/v1/approvals/${approvalId}`)).statusCode).toBe(404);
    const detail = await w.bob.client.get(`/api/v1/approvals/${approvalId}`);
    expect(detail.statusCode).toBe(200);
    // ids come with names: bob may not look users or departments up himself
    const shown = Object.fromEntries((detail.json() as ApprovalDetail).fields.map((f) => [f.key, [f.label, f.display]]));
    expect(shown).toMatchObject({
      toUser: ['接收人', w.bob.name],
      toDepartment: [expect.any(String), '华南销售部'],
      fromOwner: [expect.any(String), w.alice.name],
      customerCount: ['客户数量', null],
    });
    await w.alice.client.post(`/api/v1/approvals/${approvalId}/withdraw`, {});
  });

  it("a merged-away customer's finished requests follow the kept customer; a request listing both keeps one row", async () => {
    const ids = await customersOf(w.alice, 6);
    const first = await submit(ids);
    expect((await mgr.client.post(`/api/v1/approvals/${first.approvalId}/reject`, { to: 'end' })).statusCode).toBe(200);
    const others = await customersOf(w.alice, 6);
    const second = await submit(others);
    expect((await w.alice.client.post(`/api/v1/approvals/${second.approvalId}/withdraw`, {})).statusCode).toBe(200);

    // both in the first request: the kept customer's row stays, the merged one's goes
    const same = await w.admin.post(`/api/v1/customers/${ids[1]}/merge`, { sourceId: ids[0] });
    expect(same.statusCode, same.body).toBe(200);
    expect(same.json().moved).toMatchObject({ 'customer_transfer_request_items.customer_id': 1 });
    const firstItems = await w.db
      .selectFrom('customer_transfer_request_items')
      .select('customer_id')
      .where('request_id', '=', first.requestId)
      .execute();
    expect(firstItems.map((i) => i.customer_id).sort()).toEqual(ids.slice(1).sort());

    // from another request: the row moves to the kept customer, whose page lists both requests
    const other = await w.admin.post(`/api/v1/customers/${ids[1]}/merge`, { sourceId: others[0] });
    expect(other.statusCode, other.body).toBe(200);
    const listed = (await w.alice.client.get(`/api/v1/customers/${ids[1]}/transfer-requests`)).json().items;
    expect(listed.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual([
      [second.requestId, 'withdrawn'],
      [first.requestId, 'rejected'],
    ]);
    const left = await w.db
      .selectFrom('customer_transfer_request_items')
      .select('request_id')
      .where('customer_id', 'in', [ids[0], others[0]])
      .execute();
    expect(left).toEqual([]);
  });

  it('the recycle job leaves held customers with their owner until the approval ends', async () => {
    await setSettings(w.admin, {
      pool: { enabled: true, noContactDays: 30, noDealDays: 0, warnDays: 0, exemptLocked: true, exemptDeals: true },
    });
    const ids: string[] = [];
    for (let i = 0; i < 6; i++)
      ids.push(
        await seedCustomer(w.db, { name: `回收期间移交客户${i}有限公司`, owner_id: w.alice.id, created_at: '2025-01-01T04:00:00.000Z' }),
      );
    const { approvalId } = await submit(ids);
    const at = new Date('2025-06-01T02:00:00+08:00');
    expect(await runPoolRecycle(w.db, t.app.ctx, at)).toMatchObject({ recycled: 0 });
    expect(await owners(ids)).toEqual(ids.map(() => w.alice.id));
    expect((await w.alice.client.post(`/api/v1/approvals/${approvalId}/withdraw`, {})).statusCode).toBe(200);
    expect(await runPoolRecycle(w.db, t.app.ctx, at)).toMatchObject({ recycled: 6 });
    expect(await owners(ids)).toEqual(ids.map(() => null));
    await setSettings(w.admin, { pool: { enabled: false } });
  });
});
