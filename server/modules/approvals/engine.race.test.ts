import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginAs, type Client, type TestApp } from '@server/test/app';
import { createUser, DEFAULT_PASSWORD } from '@server/test/factories';
import type { Db } from '@server/db/types';
import { insertFlow, point, statusCalls, submitTest, users } from './engine.testing';

/**
 * Two approvers of an any-one point (或签) approving at the same moment — two API calls in
 * flight together (on PostgreSQL on two pooled connections): exactly one decision, the other
 * 409 approval_already_decided, one 'approve' stored, the document told once.
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
