import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@server/test/app';
import { createUser } from '@server/test/factories';
import type { Db } from '@server/db/types';
import { assertNotInApproval, latestInstance, selectFlow, submitDocument } from './engine';
import { inTransaction } from '@server/platform/notify/transaction';
import { SYSTEM_ACTOR } from '@server/platform/audit/audit.service';
import { engineCtx, insertFlow, point, statusCalls, submitTest, taskSummary, TEST_TYPE, testDocs, users } from './engine.testing';

/**
 * The contract other modules code against: which flow runs (priority, entry conditions, the
 * default), submitting (pinned version, snapshot, first tasks, all-skipped → approved at once),
 * refusing a second submission, the document lock and the latest instance.
 */

let t: TestApp;
let db: Db;
let alice: string, bob: string, carol: string;

beforeAll(async () => {
  t = await createTestApp();
  db = t.app.ctx.db;
  alice = (await createUser(db, { username: 'alice' })).id;
  bob = (await createUser(db, { username: 'bob' })).id;
  carol = (await createUser(db, { username: 'carol' })).id;
});
afterAll(() => t?.close());

describe('selectFlow', () => {
  it('answers null when the type has no enabled flow (the document needs no approval)', async () => {
    expect(await selectFlow(db, TEST_TYPE, { amount: 100 }, alice)).toBeNull();
    await insertFlow(db, { isDefault: true, enabled: false, definition: { nodes: [point([users(bob)])] } });
    expect(await selectFlow(db, TEST_TYPE, { amount: 100 }, alice)).toBeNull();
  });

  it('takes the first flow by priority whose entry matches, else the default', async () => {
    const def = await insertFlow(db, { isDefault: true, priority: 0, definition: { nodes: [point([users(bob)])] } });
    const big = await insertFlow(db, {
      isDefault: false,
      priority: 2,
      entry: { any: [[{ field: 'amount', op: 'gt', value: 100000 }]] },
      definition: { nodes: [point([users(carol)])] },
    });
    const huge = await insertFlow(db, {
      isDefault: false,
      priority: 1,
      entry: { any: [[{ field: 'amount', op: 'gt', value: 1000000 }]] },
      definition: { nodes: [point([users(carol)])] },
    });
    await insertFlow(db, {
      isDefault: false,
      priority: 0,
      enabled: false,
      entry: { any: [] },
      definition: { nodes: [point([users(carol)])] },
    });
    expect(await selectFlow(db, TEST_TYPE, { amount: 500 }, alice)).toEqual(def);
    expect(await selectFlow(db, TEST_TYPE, { amount: 200000 }, alice)).toEqual(big);
    expect(await selectFlow(db, TEST_TYPE, { amount: 2000000 }, alice)).toEqual(huge);
    expect(await selectFlow(db, 'nobody_type', { amount: 2000000 }, alice)).toBeNull();
  });
});

describe('submitDocument', () => {
  it('pins the version, snapshots the values, opens the first point and tells the approver', async () => {
    const before = statusCalls.length;
    const r = await submitTest(t.app, alice, { amount: 500 }, { title: '办公用品采购' });
    expect(r.status).toBe('pending');
    const inst = await db.selectFrom('approval_instances').selectAll().where('id', '=', r.instanceId).executeTakeFirstOrThrow();
    expect(inst).toMatchObject({
      type: TEST_TYPE,
      document_id: r.documentId,
      title: '办公用品采购',
      submitter_id: alice,
      status: 'pending',
    });
    expect(JSON.parse(inst.fields)).toEqual({ amount: 500 });
    const flow = await db
      .selectFrom('approval_flows')
      .select('current_version_id')
      .where('id', '=', inst.flow_id)
      .executeTakeFirstOrThrow();
    expect(inst.flow_version_id).toBe(flow.current_version_id);
    expect(await taskSummary(db, r.instanceId)).toMatchObject([{ approverId: bob, status: 'pending', round: 1 }]);
    expect(statusCalls.slice(before)).toEqual([{ documentId: r.documentId, instanceId: r.instanceId, status: 'pending', actorId: alice }]);
    const note = await db
      .selectFrom('notifications')
      .selectAll()
      .where('user_id', '=', bob)
      .where('type', '=', 'approval.requested')
      .executeTakeFirstOrThrow();
    expect(note.link).toBe(`/approvals/${r.instanceId}`);
    expect(note.title).toContain('办公用品采购');
    const actions = await db
      .selectFrom('approval_actions')
      .select(['action', 'actor_id'])
      .where('instance_id', '=', r.instanceId)
      .execute();
    expect(actions).toEqual([{ action: 'submit', actor_id: alice }]);
    const audit = await db.selectFrom('audit_log').select(['action', 'entity']).where('entity_id', '=', r.instanceId).execute();
    expect(audit).toEqual([{ action: 'approval.submit', entity: 'approval' }]);

    expect(await latestInstance(db, TEST_TYPE, r.documentId)).toEqual({ id: r.instanceId, status: 'pending' });
    await expect(assertNotInApproval(db, TEST_TYPE, r.documentId)).rejects.toMatchObject({ code: 'approval_document_locked' });
    await expect(
      inTransaction(db, (tx) =>
        submitDocument(
          engineCtx(t.app),
          tx,
          { type: TEST_TYPE, documentId: r.documentId, submitterId: alice },
          { ...SYSTEM_ACTOR, id: alice },
        ),
      ),
    ).rejects.toMatchObject({ code: 'approval_in_progress' });
  });

  it('is approved at once when every point is skipped for want of approvers', async () => {
    await db.updateTable('approval_flows').set({ enabled: 0 }).execute();
    await insertFlow(db, { definition: { nodes: [point([{ kind: 'supervisor' }], { whenEmpty: 'skip' })] } });
    const before = statusCalls.length;
    const r = await submitTest(t.app, alice, { amount: 1 });
    expect(r.status).toBe('approved');
    expect(statusCalls.slice(before).map((c) => c.status)).toEqual(['approved']);
    const actions = await db
      .selectFrom('approval_actions')
      .select('action')
      .where('instance_id', '=', r.instanceId)
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action)).toEqual(['submit', 'skip']);
    await expect(assertNotInApproval(db, TEST_TYPE, r.documentId)).resolves.toBeUndefined();
    const note = await db
      .selectFrom('notifications')
      .select('type')
      .where('user_id', '=', alice)
      .where('link', '=', `/approvals/${r.instanceId}`)
      .execute();
    expect(note.map((n) => n.type)).toEqual(['approval.approved']);
  });

  it('refuses a type without a flow and rolls back what the document did', async () => {
    await db.updateTable('approval_flows').set({ enabled: 0 }).execute();
    const documentId = 'doc-without-flow';
    testDocs.set(documentId, { title: 'x', values: {} });
    await expect(
      inTransaction(db, (tx) =>
        submitDocument(engineCtx(t.app), tx, { type: TEST_TYPE, documentId, submitterId: alice }, { ...SYSTEM_ACTOR, id: alice }),
      ),
    ).rejects.toMatchObject({ code: 'approval_no_flow' });
    expect(await latestInstance(db, TEST_TYPE, documentId)).toBeUndefined();
  });

  it('an onStatus that throws rolls the submission back', async () => {
    await insertFlow(db, { definition: { nodes: [point([users(bob)])] } });
    const documentId = 'doc-refusing';
    testDocs.set(documentId, { title: 'x', values: {}, failOn: 'pending' });
    await expect(
      inTransaction(db, (tx) =>
        submitDocument(engineCtx(t.app), tx, { type: TEST_TYPE, documentId, submitterId: alice }, { ...SYSTEM_ACTOR, id: alice }),
      ),
    ).rejects.toThrow('document refused');
    expect(await latestInstance(db, TEST_TYPE, documentId)).toBeUndefined();
  });
});
