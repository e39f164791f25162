import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApprovalCounts, ApprovalDetail, ApprovalListItem } from '@common/schemas/approvals';
import { createTestApp, loginAs, setupAdmin, type Client, type TestApp } from '@server/test/app';
import { createDepartment, createUser, DEFAULT_PASSWORD } from '@server/test/factories';
import type { Db } from '@server/db/types';
import { branch, insertFlow, point, submitTest, TEST_TYPE, users } from './engine.testing';

/**
 * The approval centre over HTTP: boxes and counts, the detail with what the caller may do,
 * actions with comments and attachments, visibility (404 outside), the realtime event, stored
 * notifications in the recipient's language, and the audit history.
 */

let t: TestApp;
let db: Db;
let admin: Client;
const ids: Record<string, string> = {};
const as: Record<string, Client> = {};

type Page = { items: ApprovalListItem[]; nextCursor: string | null };

beforeAll(async () => {
  t = await createTestApp();
  db = t.app.ctx.db;
  admin = await setupAdmin(t.app);
  for (const n of ['sub', 'a', 'b', 'c', 'cc', 'viewer', 'outsider']) {
    ids[n] = (await createUser(db, { username: n, name: `用户${n}` })).id;
    as[n] = await loginAs(t.app, n, DEFAULT_PASSWORD);
  }
  await db.updateTable('users').set({ locale: 'en-US' }).where('id', '=', ids.c).execute();
  await insertFlow(db, {
    name: '费用审批',
    definition: {
      nodes: [point([users(ids.a, ids.b)], { id: 'first', name: '部门审批' }), point([users(ids.c)], { id: 'second', name: '财务审批' })],
    },
  });
});
afterAll(() => t?.close());

const box = async (who: string, query: string) => {
  const res = await as[who].get(`/api/v1/approvals?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Page>();
};
const counts = async (who: string) => (await as[who].get('/api/v1/approvals/counts')).json<ApprovalCounts>();
const detail = async (who: string, id: string) => as[who].get(`/api/v1/approvals/${id}`);

describe('boxes and counts', () => {
  let id: string;
  beforeAll(async () => {
    ({ instanceId: id } = await submitTest(t.app, ids.sub, { amount: 12000 }, { title: '差旅报销-上海', cc: [ids.cc] }));
  });

  it('待办 for the current approvers, with the point and its approvers', async () => {
    const page = await box('a', 'box=todo');
    expect(page.items.map((i) => i.id)).toEqual([id]);
    expect(page.items[0]).toMatchObject({
      type: TEST_TYPE,
      typeLabel: '测试单据',
      title: '差旅报销-上海',
      status: 'pending',
      submitterName: '用户sub',
      currentNodeName: '部门审批',
      currentApprovers: ['用户a', '用户b'],
    });
    expect(await counts('a')).toEqual({ todo: 1, ccUnread: 0 });
    expect((await box('c', 'box=todo')).items).toEqual([]);
    expect((await box('sub', 'box=mine')).items.map((i) => i.id)).toEqual([id]);
  });

  it('抄送: unread until the detail is opened', async () => {
    expect(await counts('cc')).toEqual({ todo: 0, ccUnread: 1 });
    expect((await box('cc', 'box=cc')).items).toMatchObject([{ id, read: false }]);
    expect((await detail('cc', id)).statusCode).toBe(200);
    expect(await counts('cc')).toEqual({ todo: 0, ccUnread: 0 });
    expect((await box('cc', 'box=cc')).items).toMatchObject([{ id, read: true }]);
  });

  it('acting moves it from 待办 to 已办 and on to the next point', async () => {
    const publish = vi.spyOn(t.app.ctx.realtime, 'publish');
    const res = await as.a.post(`/api/v1/approvals/${id}/approve`, { comment: '同意出差' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<ApprovalDetail>();
    expect(body).toMatchObject({ status: 'pending', currentNodeName: '财务审批', currentApprovers: ['用户c'], path: ['first', 'second'] });
    expect(body.can).toMatchObject({ approve: false, withdraw: false });
    expect((await box('a', 'box=todo')).items).toEqual([]);
    expect((await box('b', 'box=todo')).items).toEqual([]);
    expect((await box('a', 'box=done')).items.map((i) => i.id)).toEqual([id]);
    expect((await box('b', 'box=done')).items).toEqual([]);
    expect((await box('c', 'box=todo')).items.map((i) => i.id)).toEqual([id]);

    const events = publish.mock.calls.filter(([, e]) => e.type === 'approval');
    expect(events.map(([u]) => u).sort()).toEqual([ids.sub, ids.a, ids.b, ids.c, ids.cc].sort());
    expect(events[0][1]).toEqual({ type: 'approval', data: { id, status: 'pending', type: TEST_TYPE, documentId: expect.any(String) } });
    publish.mockRestore();

    // the next approver is told in their own language
    const note = await db
      .selectFrom('notifications')
      .selectAll()
      .where('user_id', '=', ids.c)
      .where('type', '=', 'approval.requested')
      .executeTakeFirstOrThrow();
    expect(note).toMatchObject({ link: `/approvals/${id}`, title: '用户sub submitted "差旅报销-上海" for your approval' });
  });

  it('the detail: chain, fields, tasks, history, cc, what the caller may do and where a reject may go', async () => {
    const res = await detail('c', id);
    expect(res.statusCode).toBe(200);
    const d = res.json<ApprovalDetail>();
    expect(d).toMatchObject({ flowName: '费用审批', definitionVersion: 1, documentLink: expect.stringMatching(/^\/test-docs\//) });
    expect(d.fields.find((f) => f.key === 'amount')).toEqual({ key: 'amount', label: '金额', kind: 'money', value: 12000, display: null });
    expect(d).toMatchObject({ path: ['first', 'second'], plannedPath: ['first', 'second'] });
    expect(d.tasks.map((x) => [x.approverName, x.status])).toEqual([
      ['用户a', 'approved'],
      ['用户b', 'cancelled'],
      ['用户c', 'pending'],
    ]);
    expect(d.actions.map((x) => [x.action, x.actorName, x.nodeName, x.comment])).toEqual([
      ['submit', '用户sub', null, null],
      ['cc', null, null, null],
      ['approve', '用户a', '部门审批', '同意出差'],
    ]);
    expect(d.cc).toEqual([{ userId: ids.cc, userName: '用户cc', readAt: expect.any(String) }]);
    expect(d.can).toEqual({ approve: true, reject: true, transfer: true, addApprover: true, withdraw: false, resubmit: false });
    expect(d.rejectTargets).toEqual([{ id: 'first', name: '部门审批' }]);
  });

  it('filters by status, title and type; pages by cursor', async () => {
    await submitTest(t.app, ids.sub, {}, { title: '办公用品' });
    await submitTest(t.app, ids.sub, {}, { title: '办公桌椅' });
    expect((await box('sub', 'box=mine&q=办公')).items.map((i) => i.title)).toEqual(['办公桌椅', '办公用品']);
    expect((await box('sub', 'box=mine&q=%25')).items).toEqual([]);
    expect((await box('sub', 'box=mine&status=approved')).items).toEqual([]);
    expect((await box('sub', 'box=mine&type=other')).items).toEqual([]);
    const first = await box('sub', 'box=mine&limit=2');
    expect(first.items.length).toBe(2);
    const second = await box('sub', `box=mine&limit=2&cursor=${first.nextCursor}`);
    expect(second.items.map((i) => i.title)).toEqual(['差旅报销-上海']);
    expect(second.nextCursor).toBeNull();
  });
});

describe('the detail names ids and shows the planned route', () => {
  it('department values by name; the branch the values decide is planned ahead, a branch passed by is not', async () => {
    const dept = await createDepartment(db, { name: '华东大区' });
    await insertFlow(db, {
      name: '差旅流程',
      isDefault: false,
      entry: { any: [[{ field: 'category', op: 'eq', value: '差旅' }]] },
      definition: {
        nodes: [
          point([users(ids.a)], { id: 't1', name: '主管' }),
          branch(
            'byDept',
            {
              condition: { any: [[{ field: 'dept', op: 'dept_in', value: [dept] }]] },
              nodes: [point([users(ids.c)], { id: 't2', name: '大区' })],
            },
            { condition: null, nodes: [point([users(ids.b)], { id: 't3', name: '其他' })] },
          ),
          branch(
            'big',
            {
              condition: { any: [[{ field: 'amount', op: 'gt', value: 100000 }]] },
              nodes: [point([users(ids.c)], { id: 't4', name: '总经理' })],
            },
            { condition: { any: [[{ field: 'amount', op: 'lt', value: 0 }]] }, nodes: [] },
          ),
          point([users(ids.b)], { id: 't5', name: '财务' }),
        ],
      },
    });
    const { instanceId } = await submitTest(t.app, ids.sub, { category: '差旅', dept, amount: 500 });
    const d = (await detail('sub', instanceId)).json<ApprovalDetail>();
    expect(d).toMatchObject({ flowName: '差旅流程', path: ['t1'], plannedPath: ['t1', 't2', 't5'] });
    expect(d.fields.find((f) => f.key === 'dept')).toMatchObject({ kind: 'department', value: dept, display: '华东大区' });
    expect(d.fields.find((f) => f.key === 'category')).toMatchObject({ value: '差旅', display: null });
  });
});

describe('visibility', () => {
  let id: string;
  let documentId: string;
  beforeAll(async () => {
    ({ instanceId: id, documentId } = await submitTest(t.app, ids.sub, {}, { title: '保密单据', viewers: [ids.viewer] }));
  });

  it('an unrelated user gets 404 on the detail and on every action, and an empty history', async () => {
    expect((await detail('outsider', id)).statusCode).toBe(404);
    for (const [path, body] of [
      ['approve', {}],
      ['reject', {}],
      ['withdraw', {}],
      ['transfer', { toUserId: ids.outsider }],
      ['add-approver', { userIds: [ids.outsider] }],
      ['resubmit', {}],
    ] as const) {
      const res = await as.outsider.post(`/api/v1/approvals/${id}/${path}`, body);
      expect(res.statusCode, `${path} ${res.body}`).toBe(404);
    }
    expect((await box('outsider', `documentType=${TEST_TYPE}&documentId=${documentId}`)).items).toEqual([]);
    expect((await as.outsider.get(`/api/v1/audit/approval/${id}`)).statusCode).toBe(404);
  });

  it('who may see the document sees its approvals, without being able to decide', async () => {
    const res = await detail('viewer', id);
    expect(res.statusCode).toBe(200);
    expect(res.json<ApprovalDetail>().can).toEqual({
      approve: false,
      reject: false,
      transfer: false,
      addApprover: false,
      withdraw: false,
      resubmit: false,
    });
    expect((await box('viewer', `documentType=${TEST_TYPE}&documentId=${documentId}`)).items.map((i) => i.id)).toEqual([id]);
    expect((await as.viewer.post(`/api/v1/approvals/${id}/approve`, {})).statusCode).toBe(403);
    expect((await admin.get(`/api/v1/approvals/${id}`)).statusCode).toBe(200);
  });

  it('the submitter may withdraw before anyone acted; the history is in the audit log', async () => {
    const before = (await detail('sub', id)).json<ApprovalDetail>();
    expect(before.can).toMatchObject({ withdraw: true, approve: false });
    const res = await as.sub.post(`/api/v1/approvals/${id}/withdraw`, { comment: '不需要了' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<ApprovalDetail>()).toMatchObject({ status: 'withdrawn', can: { withdraw: false } });
    const again = await as.sub.post(`/api/v1/approvals/${id}/withdraw`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'approval_not_pending' });
    const audit = await as.sub.get(`/api/v1/audit/approval/${id}`);
    expect(audit.statusCode).toBe(200);
    expect(
      audit
        .json<{ items: { action: string }[] }>()
        .items.map((x) => x.action)
        .sort(),
    ).toEqual(['approval.submit', 'approval.withdraw']);
  });
});

describe('actions over HTTP', () => {
  it('bad input names the field; attachments are readable by whoever sees the instance', async () => {
    const { instanceId: id } = await submitTest(t.app, ids.sub, {}, { title: '附件测试' });
    const bad = await as.a.post(`/api/v1/approvals/${id}/reject`, { to: 'second' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'validation', errors: [{ field: 'to' }] });
    const unknownFile = await as.a.post(`/api/v1/approvals/${id}/approve`, { attachments: ['0000000000000000000000000z'] });
    expect(unknownFile.statusCode).toBe(400);
    expect(unknownFile.json()).toMatchObject({ errors: [{ field: 'attachments.0' }] });

    const boundary = `----xt${randomBytes(8).toString('hex')}`;
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="发票.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
      ),
      Buffer.from('%PDF-1.4 test'),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const up = await as.a.request('POST', '/api/v1/files', payload, { 'content-type': `multipart/form-data; boundary=${boundary}` });
    expect(up.statusCode, up.body).toBe(201);
    const fileId = up.json<{ id: string }>().id;
    const ok = await as.a.post(`/api/v1/approvals/${id}/approve`, { comment: '见发票', attachments: [fileId] });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<ApprovalDetail>().actions.at(-1)).toMatchObject({ action: 'approve', attachments: [{ id: fileId, name: '发票.pdf' }] });
    expect((await as.sub.get(`/api/v1/files/${fileId}`)).statusCode).toBe(200);
    expect((await as.outsider.get(`/api/v1/files/${fileId}`)).statusCode).toBe(404);

    // reject back to the submitter, who resubmits
    const back = await as.c.post(`/api/v1/approvals/${id}/reject`, { to: 'submitter', comment: 'Please fix' });
    expect(back.json<ApprovalDetail>().status).toBe('returned');
    expect((await detail('sub', id)).json<ApprovalDetail>().can).toMatchObject({ resubmit: true, withdraw: true });
    const re = await as.sub.post(`/api/v1/approvals/${id}/resubmit`, {});
    expect(re.statusCode, re.body).toBe(200);
    expect(re.json<ApprovalDetail>()).toMatchObject({ status: 'pending', currentNodeName: '部门审批' });
    const notes = await db
      .selectFrom('notifications')
      .select('type')
      .where('user_id', '=', ids.sub)
      .where('link', '=', `/approvals/${id}`)
      .execute();
    expect(notes.map((n) => n.type)).toEqual(['approval.returned']);
  });
});
