import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginAs, type Client, type TestApp } from '@server/test/app';
import { createUser, DEFAULT_PASSWORD } from '@server/test/factories';
import type { Db } from '@server/db/types';
import { newId, nowIso } from '@server/db/ids';
import { insertFlow, point, statusCalls, submitTest, TEST_TYPE, testDocs, users } from './engine.testing';

/**
 * Two approvers of an any-one point (或签) approving at the same moment — two API calls in
 * flight together (on PostgreSQL on two pooled connections): exactly one decision, the other
 * 409 approval_already_decided, one 'approve' stored, the document told once. Two submits of
 * one document at the same moment: one running instance, the other 409 approval_in_progress.
 */

let t: TestApp;
let db: Db;
let sub: string;
let a: Client, b: Client;

beforeAll(async () => {
  t = await createTestApp();
  db = t.app.ctx.db;
  sub = (await createUser(db, { username: 'sub' })).id;
  const aId = (await createUser(db, { username: 'a' })).id;
  const bId = (await createUser(db, { username: 'b' })).id;
  a = await loginAs(t.app, 'a', DEFAULT_PASSWORD);
  b = await loginAs(t.app, 'b', DEFAULT_PASSWORD);
  await insertFlow(db, { definition: { nodes: [point([users(aId, bId)], { mode: 'any' })] } });
});
afterAll(() => t?.close());

describe('concurrent decisions on an any-one point', () => {
  it('exactly one approval wins, every time', async () => {
    for (let round = 0; round < 5; round++) {
      const { instanceId } = await submitTest(t.app, sub);
      const [ra, rb] = await Promise.all([
        a.post(`/api/v1/approvals/${instanceId}/approve`, { comment: 'a' }),
        b.post(`/api/v1/approvals/${instanceId}/approve`, { comment: 'b' }),
      ]);
      const codes = [ra.statusCode, rb.statusCode].sort();
      expect(codes, `${ra.body} ${rb.body}`).toEqual([200, 409]);
      const loser = ra.statusCode === 409 ? ra : rb;
      expect(loser.json()).toMatchObject({ code: 'approval_already_decided' });
      const approvals = await db
        .selectFrom('approval_actions')
        .select('actor_id')
        .where('instance_id', '=', instanceId)
        .where('action', '=', 'approve')
        .execute();
      expect(approvals.length).toBe(1);
      const tasks = await db.selectFrom('approval_tasks').select('status').where('instance_id', '=', instanceId).execute();
      expect(tasks.map((x) => x.status).sort()).toEqual(['approved', 'cancelled']);
      expect(statusCalls.filter((x) => x.instanceId === instanceId).map((x) => x.status)).toEqual(['pending', 'approved']);
    }
  });

  it('an approval and a rejection at once: one of them decides', async () => {
    const { instanceId } = await submitTest(t.app, sub);
    const [ra, rb] = await Promise.all([
      a.post(`/api/v1/approvals/${instanceId}/approve`, {}),
      b.post(`/api/v1/approvals/${instanceId}/reject`, {}),
    ]);
    expect([ra.statusCode, rb.statusCode].sort()).toEqual([200, 409]);
    const row = await db.selectFrom('approval_instances').select('status').where('id', '=', instanceId).executeTakeFirstOrThrow();
    expect(row.status).toBe(ra.statusCode === 200 ? 'approved' : 'rejected');
    const decided = statusCalls.filter((x) => x.instanceId === instanceId && x.status !== 'pending');
    expect(decided.length).toBe(1);
  });
});

describe('concurrent submits of one document', () => {
  /** a bare instance row, written past the engine */
  const instanceRow = (documentId: string, status: string) => ({
    id: newId(),
    type: TEST_TYPE,
    document_id: documentId,
    title: 'x',
    flow_id: 'f',
    flow_version_id: 'v',
    submitter_id: sub,
    submitter_department_id: null,
    status,
    current_node_id: null,
    fields: '{}',
    state: '{}',
    version: 1,
    created_at: nowIso(),
    updated_at: nowIso(),
    finished_at: null,
  });
  const running = (documentId: string) =>
    db
      .selectFrom('approval_instances')
      .select('id')
      .where('type', '=', TEST_TYPE)
      .where('document_id', '=', documentId)
      .where('status', 'in', ['pending', 'returned'])
      .execute();

  it('exactly one running instance, every time', async () => {
    for (let round = 0; round < 5; round++) {
      const documentId = newId();
      testDocs.set(documentId, { title: `并发提交 ${round}`, values: {} });
      const results = await Promise.allSettled([submitTest(t.app, sub, {}, { documentId }), submitTest(t.app, sub, {}, { documentId })]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
      expect(won).toHaveLength(1);
      expect(lost).toEqual([expect.objectContaining({ code: 'approval_in_progress' })]);
      expect(await running(documentId)).toHaveLength(1);
      // the loser rolled back everything it wrote
      const submits = await db
        .selectFrom('approval_actions as a')
        .innerJoin('approval_instances as i', 'i.id', 'a.instance_id')
        .select('a.id')
        .where('i.document_id', '=', documentId)
        .where('a.action', '=', 'submit')
        .execute();
      expect(submits).toHaveLength(1);
    }
  });

  it('the database holds one pending or returned instance per document; finished ones do not count', async () => {
    const documentId = newId();
    const row = (status: string) => instanceRow(documentId, status);
    for (const status of ['approved', 'rejected', 'withdrawn', 'approved'])
      await db.insertInto('approval_instances').values(row(status)).execute();
    await db.insertInto('approval_instances').values(row('returned')).execute();
    await expect(db.insertInto('approval_instances').values(row('pending')).execute()).rejects.toThrow();
    expect(await running(documentId)).toHaveLength(1);
  });

  it('a submit that loses at the index (after the check passed) answers approval_in_progress', async () => {
    // the newest instance is finished, so the check lets it through; an older one still runs
    const documentId = newId();
    testDocs.set(documentId, { title: '索引兜底', values: {} });
    const first = await submitTest(t.app, sub, {}, { documentId });
    await db.insertInto('approval_instances').values(instanceRow(documentId, 'approved')).execute();
    await expect(submitTest(t.app, sub, {}, { documentId })).rejects.toMatchObject({ code: 'approval_in_progress' });
    expect((await running(documentId)).map((r) => r.id)).toEqual([first.instanceId]);
  });
});
