import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApprovableType, ApprovalForm } from '@common/schemas/approvals';
import type { ApprovalFormEntry, FormSubmitResult } from '@common/approvals/forms';
import type { Db } from '@server/db/types';
import { inTransaction } from '@server/platform/notify/transaction';
import { systemCaller } from '@server/platform/org/caller';
import { createTestApp, loginAs, setupAdmin, type Client, type TestApp } from '@server/test/app';
import { createUser, rowCounts, SAMPLE_ID } from '@server/test/factories';
import { reject, resubmit } from './engine';
import { seedApprovalForms } from './forms.seed';
import { signInDesigner } from './designer.testing';

/**
 * Custom forms (自定义审批单): definitions for the workflow module, the list users submit from, the
 * form's type for flows, submission checked field by field and started in one transaction (nothing
 * stored on a refusal), the entry for its submitter and approvers, edit only while returned.
 */

let t: TestApp;
let db: Db;
let designer: Client;
let staff: Client;
let staffId: string;
let boss: Client;
let bossId: string;
let other: Client;

const forms = '/api/v1/approval-forms';

const LEAVE = {
  name: '请假',
  icon: 'leave',
  fields: [
    { key: 'leave_type', label: '类型', type: 'select', options: ['年假', '事假', '病假', '调休'], required: true },
    { key: 'start_date', label: '开始日期', type: 'date', required: true },
    { key: 'days', label: '天数', type: 'number', required: true },
    { key: 'reason', label: '事由', type: 'textarea', required: true },
    { key: 'proof', label: '附件', type: 'attachments' },
    { key: 'agent', label: '工作代理人', type: 'user' },
  ],
};

async function createForm(body: Record<string, unknown>): Promise<ApprovalForm> {
  const res = await designer.post(forms, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function defaultFlow(formId: string) {
  const res = await designer.post('/api/v1/approval-flows', {
    type: `form.${formId}`,
    name: '请假审批',
    isDefault: true,
    definition: {
      nodes: [{ kind: 'point', id: 'sup', name: '直属上级', approvers: [{ kind: 'supervisor' }], mode: 'any', whenEmpty: 'admin' }],
    },
  });
  expect(res.statusCode, res.body).toBe(201);
}

async function upload(c: Client, name: string): Promise<string> {
  const boundary = `----xt${randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: image/png\r\n\r\n`),
    randomBytes(64),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await c.request('POST', '/api/v1/files', payload, { 'content-type': `multipart/form-data; boundary=${boundary}` });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

const engineCtx = () => ({ db, realtime: t.app.ctx.realtime });

beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
  await setupAdmin(t.app);
  designer = await signInDesigner(t);
  const b = await createUser(db, { username: 'boss', name: '张经理' });
  bossId = b.id;
  boss = await loginAs(t.app, b.username, b.password);
  const s = await createUser(db, { username: 'staff', name: '刘洋', supervisorId: b.id });
  staffId = s.id;
  staff = await loginAs(t.app, s.username, s.password);
  const o = await createUser(db, { username: 'other', name: '旁人' });
  other = await loginAs(t.app, o.username, o.password);
});
afterAll(() => t.close());

describe('form definitions', () => {
  it('creates, updates and deletes forms for the workflow module only; users see the enabled ones', async () => {
    const form = await createForm({
      name: '用印',
      description: '合同盖章',
      fields: [{ key: 'doc', label: '文件名称', type: 'text', required: true }],
    });
    expect(form).toMatchObject({
      name: '用印',
      enabled: true,
      sortOrder: 0,
      version: 1,
      fields: [{ key: 'doc', type: 'text', required: true }],
    });
    expect((await staff.post(forms, { name: 'x', fields: [{ key: 'a', label: 'A', type: 'text' }] })).statusCode).toBe(403);
    expect((await staff.get(forms)).statusCode).toBe(403);
    expect((await staff.patch(`${forms}/${form.id}`, { version: 1, name: 'x' })).statusCode).toBe(403);
    expect((await staff.delete(`${forms}/${form.id}`)).statusCode).toBe(403);

    const available = async () => ((await staff.get(`${forms}/available`)).json().items as ApprovalForm[]).map((f) => f.id);
    expect(await available()).toContain(form.id);
    expect((await staff.get(`${forms}/${form.id}`)).statusCode).toBe(200);
    const off = await designer.patch(`${forms}/${form.id}`, { version: 1, enabled: false });
    expect(off.json()).toMatchObject({ enabled: false, name: '用印', version: 2 });
    expect(await available()).not.toContain(form.id);
    expect((await staff.get(`${forms}/${form.id}`)).statusCode).toBe(404);
    expect((await designer.get(`${forms}/${form.id}`)).statusCode).toBe(200);
    expect((await designer.patch(`${forms}/${form.id}`, { version: 1, name: 'x' })).statusCode).toBe(409);
    expect((await designer.delete(`${forms}/${form.id}?version=2`)).statusCode).toBe(204);
    expect((await designer.get(`${forms}/${form.id}`)).statusCode).toBe(404);
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('entity', '=', 'approval_form')
      .where('entity_id', '=', form.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'delete']);
  });

  it('refuses duplicate keys and choice fields without options, naming the field', async () => {
    const dup = await designer.post(forms, {
      name: 'x',
      fields: [
        { key: 'a', label: 'A', type: 'text' },
        { key: 'a', label: 'B', type: 'number' },
      ],
    });
    expect(dup.statusCode).toBe(400);
    expect(dup.json().errors[0]).toMatchObject({ field: 'fields.1.key', code: 'duplicate' });
    const noOptions = await designer.post(forms, { name: 'x', fields: [{ key: 'a', label: 'A', type: 'select' }] });
    expect(noOptions.json().errors[0]).toMatchObject({ field: 'fields.0.options', code: 'required' });
  });

  it('gives each enabled form a flow type with its testable fields', async () => {
    const form = await createForm(LEAVE);
    const types = (await staff.get('/api/v1/approval-types')).json().items as ApprovableType[];
    const type = types.find((x) => x.type === `form.${form.id}`)!;
    expect(type).toMatchObject({ label: '请假', module: null });
    expect(type.fields.map((f) => [f.key, f.kind])).toEqual([
      ['leave_type', 'select'],
      ['start_date', 'date'],
      ['days', 'number'],
      ['reason', 'text'],
      ['agent', 'user'],
      ['$submitter.department', 'department'],
      ['$submitter.position', 'select'],
      ['$submitter.id', 'user'],
    ]);
    expect(type.fields[0].options).toEqual(['年假', '事假', '病假', '调休']);
    // a flow may test its fields, not others
    const bad = await designer.post('/api/v1/approval-flows', {
      type: `form.${form.id}`,
      name: 'x',
      entry: { any: [[{ field: 'proof', op: 'eq', value: 'x' }]] },
      definition: { nodes: [{ kind: 'point', id: 'a', name: 'A', approvers: [{ kind: 'supervisor' }], mode: 'any', whenEmpty: 'skip' }] },
    });
    expect(bad.json().errors[0]).toMatchObject({ field: 'entry.any.0.0', code: 'unknown_field' });
  });
});

describe('submit', () => {
  let form: ApprovalForm;
  const good = { leave_type: '年假', start_date: '2026-12-01', days: 2, reason: '回家探亲' };

  beforeAll(async () => {
    form = await createForm({ ...LEAVE, name: '请假单' });
  });

  it('answers 422 approval_no_flow while the form has no flow, storing nothing', async () => {
    const before = await rowCounts(db);
    const res = await staff.post(`${forms}/${form.id}/submit`, { values: good });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('approval_no_flow');
    expect(await rowCounts(db)).toEqual(before);
  });

  it('refuses missing, unknown and ill-typed values naming values.<key>, storing nothing', async () => {
    await defaultFlow(form.id);
    const before = await rowCounts(db);
    const cases: [Record<string, unknown>, string, string][] = [
      [{ ...good, reason: '  ' }, 'values.reason', 'required'],
      [{ leave_type: '年假', start_date: '2026-12-01', days: 2 }, 'values.reason', 'required'],
      [{ ...good, colour: 'red' }, 'values.colour', 'unrecognized_keys'],
      [{ ...good, days: '两天' }, 'values.days', 'invalid_type'],
      [{ ...good, leave_type: '婚假' }, 'values.leave_type', 'invalid_value'],
      [{ ...good, start_date: '2026-02-30' }, 'values.start_date', 'invalid_format'],
      [{ ...good, agent: SAMPLE_ID }, 'values.agent', 'inactive'],
      [{ ...good, proof: [SAMPLE_ID] }, 'values.proof.0', 'not_found'],
    ];
    for (const [values, field, code] of cases) {
      const res = await staff.post(`${forms}/${form.id}/submit`, { values });
      expect(res.statusCode, JSON.stringify(values)).toBe(400);
      expect(res.json().errors).toContainEqual(expect.objectContaining({ field, code }));
    }
    expect(await rowCounts(db)).toEqual(before);
  });

  it('stores the entry, attaches its files and starts the flow in one go; the approver sees it, others do not', async () => {
    const file = await upload(staff, '病历.png');
    const res = await staff.post(`${forms}/${form.id}/submit`, { values: { ...good, proof: [file], agent: bossId } });
    expect(res.statusCode, res.body).toBe(201);
    const out = res.json() as FormSubmitResult;
    expect(out.status).toBe('pending');
    const inst = await db.selectFrom('approval_instances').selectAll().where('id', '=', out.instanceId).executeTakeFirstOrThrow();
    expect(inst).toMatchObject({ type: `form.${form.id}`, document_id: out.entryId, title: '请假单 - 刘洋', submitter_id: staffId });
    expect(JSON.parse(inst.fields)).toMatchObject({ leave_type: '年假', days: 2 });
    const tasks = await db
      .selectFrom('approval_tasks')
      .select(['approver_id', 'status'])
      .where('instance_id', '=', out.instanceId)
      .execute();
    expect(tasks).toEqual([{ approver_id: bossId, status: 'pending' }]);

    const mine = await staff.get(`/api/v1/approval-form-entries/${out.entryId}`);
    expect(mine.statusCode).toBe(200);
    const entry = mine.json() as ApprovalFormEntry;
    expect(entry).toMatchObject({
      formName: '请假单',
      submitterName: '刘洋',
      instanceId: out.instanceId,
      status: 'pending',
      editable: false,
    });
    expect(entry.values).toEqual({ ...good, proof: [file], agent: bossId });
    expect(entry.files.map((f) => f.id)).toEqual([file]);
    // the 代理人 by name: an ordinary user cannot look users up by id
    expect(entry.userNames).toEqual({ [bossId]: '张经理' });
    expect((await boss.get(`/api/v1/approval-form-entries/${out.entryId}`)).statusCode).toBe(200);
    expect((await boss.get(`/api/v1/files/${file}`)).statusCode).toBe(200);
    expect((await other.get(`/api/v1/approval-form-entries/${out.entryId}`)).statusCode).toBe(404);
    expect((await other.get(`/api/v1/files/${file}`)).statusCode).toBe(404);
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('entity', '=', 'approval_form_entry')
      .where('entity_id', '=', out.entryId)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['create']);
  });

  it('lets the submitter change a returned entry (only then) and resubmit it with the new values', async () => {
    const res = await staff.post(`${forms}/${form.id}/submit`, { values: good });
    const { entryId, instanceId } = res.json() as FormSubmitResult;
    const url = `/api/v1/approval-form-entries/${entryId}`;
    const locked = await staff.patch(url, { version: 1, values: { days: 3 } });
    expect(locked.statusCode).toBe(409);
    expect(locked.json().code).toBe('approval_document_locked');

    const bossActor = { id: bossId, name: '张经理', ip: null };
    await inTransaction(db, (tx) =>
      reject(engineCtx(), tx, instanceId, bossActor, { to: 'submitter', comment: '天数不对', attachments: [] }),
    );
    const returned = (await staff.get(url)).json() as ApprovalFormEntry;
    expect(returned).toMatchObject({ status: 'returned', editable: true });

    expect((await boss.patch(url, { version: 1, values: { days: 3 } })).statusCode).toBe(403);
    expect((await other.patch(url, { version: 1, values: { days: 3 } })).statusCode).toBe(404);
    const bad = await staff.patch(url, { version: 1, values: { reason: null } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ field: 'values.reason', code: 'required' });
    const ok = await staff.patch(url, { version: 1, values: { days: 3 } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ version: 2, values: { ...good, days: 3 } });
    expect((await staff.patch(url, { version: 1, values: { days: 4 } })).statusCode).toBe(409);

    await inTransaction(db, (tx) => resubmit(engineCtx(), tx, instanceId, { id: staffId, name: '刘洋', ip: null }, { comment: null }));
    const inst = await db
      .selectFrom('approval_instances')
      .select(['status', 'fields'])
      .where('id', '=', instanceId)
      .executeTakeFirstOrThrow();
    expect(inst.status).toBe('pending');
    expect(JSON.parse(inst.fields)).toMatchObject({ days: 3 });
    expect((await staff.patch(url, { version: 2, values: { days: 5 } })).json().code).toBe('approval_document_locked');
  });

  it('refuses a disabled form (409) and a deleted one (404)', async () => {
    const f = await createForm({ name: '临时', fields: [{ key: 'a', label: 'A', type: 'text' }] });
    await designer.patch(`${forms}/${f.id}`, { version: 1, enabled: false });
    const disabled = await staff.post(`${forms}/${f.id}/submit`, { values: { a: 'x' } });
    expect(disabled.statusCode).toBe(409);
    expect(disabled.json().code).toBe('approval_form_disabled');
    await designer.delete(`${forms}/${f.id}`);
    expect((await staff.post(`${forms}/${f.id}/submit`, { values: { a: 'x' } })).statusCode).toBe(404);
  });
});

describe('seed', () => {
  it('adds 请假 and 报销 with a default supervisor flow that a user can submit at once', async () => {
    await seedApprovalForms(db, systemCaller('seed').actor);
    const available = (await staff.get(`${forms}/available`)).json().items as ApprovalForm[];
    const leave = available.find((f) => f.name === '请假' && f.sortOrder === 1)!;
    const expense = available.find((f) => f.name === '报销' && f.sortOrder === 2)!;
    expect(leave.fields.map((f) => f.label)).toEqual(['类型', '开始日期', '结束日期', '天数', '事由']);
    // icons by the short names the web knows (FormIcon)
    expect([leave.icon, expense.icon]).toEqual(['leave', 'expense']);
    expect(expense.fields.map((f) => f.type)).toEqual(['money', 'select', 'textarea', 'attachments']);
    const res = await staff.post(`${forms}/${expense.id}/submit`, { values: { amount: 12800, category: '差旅费', note: '上海出差' } });
    expect(res.statusCode, res.body).toBe(201);
    const tasks = await db.selectFrom('approval_tasks').select('approver_id').where('instance_id', '=', res.json().instanceId).execute();
    expect(tasks).toEqual([{ approver_id: bossId }]);
  });
});
