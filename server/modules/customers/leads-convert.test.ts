import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lead } from '@common/schemas/leads';
import type { Db } from '@server/db/types';
import { newId, nowIso } from '@server/db/ids';
import { Client, createTestApp, loginAs, setupAdmin, type TestApp } from '@server/test/app';
import { createDepartment, createPosition, createUser, permissions, rowCounts, setPositionPermissions } from '@server/test/factories';

/** 潜在客户转为客户: the customer and contact it creates, the history it carries over, and what refuses it. */

let t: TestApp;
let db: Db;
let admin: Client;
let rep: Client;
let repId: string;
let otherRepId: string;
let salesPosition: string;

const SALES = permissions({
  leads: { actions: ['view', 'create', 'edit'], scope: 'self' },
  customers: { actions: ['view', 'create', 'edit'], scope: 'self' },
  contacts: { actions: ['view'], scope: 'self' },
  followups: { actions: ['view', 'create'], scope: 'self' },
});

async function createLead(client: Client, body: Record<string, unknown>): Promise<Lead> {
  const res = await client.post('/api/v1/leads', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

/** A follow-up logged on the lead, written straight into the table. */
async function followUp(leadId: string, ownerId: string, at: string, content: string): Promise<string> {
  const id = newId();
  const now = nowIso();
  await db
    .insertInto('follow_ups')
    .values({
      id,
      lead_id: leadId,
      customer_id: null,
      contact_id: null,
      type: 'phone',
      content,
      at,
      owner_id: ownerId,
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

async function schedule(leadId: string, ownerId: string, startAt: string, done: boolean): Promise<string> {
  const id = newId();
  const now = nowIso();
  await db
    .insertInto('schedules')
    .values({
      id,
      lead_id: leadId,
      owner_id: ownerId,
      title: '上门拜访',
      start_at: startAt,
      all_day: 0,
      done: done ? 1 : 0,
      done_at: done ? startAt : null,
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
  admin = await setupAdmin(t.app);
  const company = (await db.selectFrom('departments').select('id').executeTakeFirstOrThrow()).id;
  const sales = await createDepartment(db, { name: '华东销售部', parentId: company });
  salesPosition = await createPosition(db, { name: '销售代表', permissions: SALES });
  const u = await createUser(db, { username: 'wangfang', name: '王芳', departmentId: sales, positionId: salesPosition });
  repId = u.id;
  otherRepId = (await createUser(db, { username: 'lilei', name: '李雷', departmentId: sales, positionId: salesPosition })).id;
  rep = await loginAs(t.app, u.username, u.password);
  // a category that requires nothing (not the first: a conversion without category takes 直销)
  const settings = (await admin.get('/api/v1/customer-settings')).json();
  const put = await admin.put('/api/v1/customer-settings', {
    ...settings,
    categories: [...settings.categories, { key: 'plain', label: '普通', requiredFields: [], visitCycleDays: null }],
  });
  expect(put.statusCode, put.body).toBe(200);
});
afterAll(() => t.close());

describe('converting a lead', () => {
  it('creates the customer and its contact from the lead and carries follow-ups and schedules over', async () => {
    const lead = await createLead(rep, {
      name: '陈静',
      company: '杭州云帆科技有限公司',
      title: '总经理',
      mobile: '13700001111',
      phone: '0571-88880000',
      email: 'chenjing@yunfan.cn',
      wechat: 'chenjing88',
      source: 'web',
      industry: 'it',
      regionCode: '330106',
      address: '文三路 90 号',
    });
    const f1 = await followUp(lead.id, repId, '2026-11-20T02:00:00.000Z', '首次电话沟通');
    const f2 = await followUp(lead.id, repId, '2026-11-25T06:30:00.000Z', '发送报价');
    const s1 = await schedule(lead.id, repId, '2026-11-22T01:00:00.000Z', true);

    // category 直销 requires phones, importance and a contact with mobile and email: the lead's person satisfies the contact part
    const res = await rep.post(`/api/v1/leads/${lead.id}/convert`, {
      customer: { category: 'direct', stage: 'intent', importance: 'high' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const { customerId, contactId, lead: converted } = res.json() as { customerId: string; contactId: string; lead: Lead };
    expect(converted).toMatchObject({
      status: 'converted',
      convertedCustomerId: customerId,
      convertedCustomerName: '杭州云帆科技有限公司',
      convertedContactId: contactId,
      canEdit: false,
    });
    expect(converted.convertedAt).not.toBeNull();

    const customer = (await rep.get(`/api/v1/customers/${customerId}`)).json();
    expect(customer).toMatchObject({
      name: '杭州云帆科技有限公司',
      category: 'direct',
      stage: 'intent',
      importance: 'high',
      source: 'web',
      industry: 'it',
      regionCode: '330106',
      address: '文三路 90 号',
      ownerId: repId,
      lastContactAt: '2026-11-25T06:30:00.000Z',
    });
    expect(customer.phones.sort()).toEqual(['0571-88880000', '13700001111']);
    expect(customer.code).toBeTruthy();
    const contact = await db.selectFrom('contacts').selectAll().where('customer_id', '=', customerId).execute();
    expect(contact).toHaveLength(1);
    expect(contact[0]).toMatchObject({
      id: contactId,
      name: '陈静',
      title: '总经理',
      mobile: '13700001111',
      phone: '0571-88880000',
      email: 'chenjing@yunfan.cn',
      wechat: 'chenjing88',
      is_primary: 1,
    });

    const moved = await db
      .selectFrom('follow_ups')
      .select(['id', 'lead_id', 'customer_id', 'contact_id'])
      .where('id', 'in', [f1, f2])
      .execute();
    expect(moved).toEqual(
      expect.arrayContaining([
        { id: f1, lead_id: lead.id, customer_id: customerId, contact_id: contactId },
        { id: f2, lead_id: lead.id, customer_id: customerId, contact_id: contactId },
      ]),
    );
    const sched = await db.selectFrom('schedules').select(['lead_id', 'customer_id']).where('id', '=', s1).executeTakeFirstOrThrow();
    expect(sched).toEqual({ lead_id: lead.id, customer_id: customerId });

    // findable by keyword, owner history says why
    const foundRes = await rep.get(`/api/v1/customers?q=${encodeURIComponent('云帆')}`);
    expect(foundRes.statusCode, foundRes.body).toBe(200);
    const found = foundRes.json();
    expect(found.items.map((c: { id: string }) => c.id)).toEqual([customerId]);
    const history = await db.selectFrom('customer_owner_history').selectAll().where('customer_id', '=', customerId).execute();
    expect(history).toMatchObject([{ from_user_id: null, to_user_id: repId, reason: 'convert' }]);
    const audit = (await admin.get(`/api/v1/audit?entity=lead&entityId=${lead.id}&action=convert`)).json().items;
    expect(audit).toHaveLength(1);
    expect(audit[0].changes).toMatchObject({ status: ['new', 'converted'], convertedCustomerId: [null, customerId] });
  });

  it('keeps a converted lead read-only: edits and a second conversion answer 409 naming the customer', async () => {
    const lead = await createLead(rep, { name: '林涛', company: '宁波林氏贸易有限公司', mobile: '13600002222' });
    const res = await rep.post(`/api/v1/leads/${lead.id}/convert`, { createContact: false, customer: { category: 'plain' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().contactId).toBeNull();
    const customerId = res.json().customerId;
    expect(await db.selectFrom('contacts').select('id').where('customer_id', '=', customerId).execute()).toEqual([]);

    const current: Lead = (await rep.get(`/api/v1/leads/${lead.id}`)).json();
    const edit = await rep.patch(`/api/v1/leads/${lead.id}`, { version: current.version, notes: '再改一下' });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().code).toBe('lead_converted');
    expect(edit.json().detail).toContain('宁波林氏贸易有限公司');
    const again = await rep.post(`/api/v1/leads/${lead.id}/convert`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('lead_converted');
    expect(await db.selectFrom('customers').select('id').where('name', '=', '宁波林氏贸易有限公司').execute()).toHaveLength(1);
  });

  it('names the customer after the person when the lead has no company, and takes the caller’s overrides', async () => {
    const lead = await createLead(rep, { name: '周杰', mobile: '13500003333' });
    const res = await rep.post(`/api/v1/leads/${lead.id}/convert`, {
      customer: { category: 'direct', importance: 'normal', shortName: '周总' },
      contact: { email: 'zhoujie@example.com', decisionMaker: true },
    });
    expect(res.statusCode, res.body).toBe(200);
    const customer = (await rep.get(`/api/v1/customers/${res.json().customerId}`)).json();
    expect(customer).toMatchObject({ name: '周杰', shortName: '周总', phones: ['13500003333'], importance: 'normal' });
    const contact = await db.selectFrom('contacts').selectAll().where('id', '=', res.json().contactId).executeTakeFirstOrThrow();
    expect(contact).toMatchObject({ name: '周杰', mobile: '13500003333', email: 'zhoujie@example.com', decision_maker: 1 });
  });
});

describe('refused conversions write nothing', () => {
  it('refuses a duplicate company with the existing owner named, leaving the lead and its follow-ups as they were', async () => {
    const existing = await admin.post('/api/v1/customers', {
      name: '深圳市任我行科技有限公司',
      phone: '0755-26000000',
      ownerId: otherRepId,
      importance: 'normal',
      contacts: [{ name: '前台', mobile: '13100000001', email: 'desk@example.com' }],
    });
    expect(existing.statusCode, existing.body).toBe(201);
    const lead = await createLead(rep, { name: '赵磊', company: '任我行科技有限公司', mobile: '13900004444', email: 'zl@example.com' });
    const f = await followUp(lead.id, repId, '2026-11-26T03:00:00.000Z', '电话');
    const before = await rowCounts(db);

    const res = await rep.post(`/api/v1/leads/${lead.id}/convert`, { customer: { importance: 'high' } });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('customer_duplicate');
    expect(res.json().detail).toContain('李雷');

    // only the data-quality trace of the attempt, as on any duplicate save
    const after = await rowCounts(db);
    expect({ ...after, customer_quality_events: 0 }).toEqual({ ...before, customer_quality_events: 0 });
    expect(after.customer_quality_events - before.customer_quality_events).toBe(1);
    const event = await db.selectFrom('customer_quality_events').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(event).toMatchObject({ user_id: repId, kind: 'duplicate_attempt' });
    expect((await rep.get(`/api/v1/leads/${lead.id}`)).json()).toMatchObject({
      status: 'new',
      convertedCustomerId: null,
      version: lead.version,
    });
    expect((await db.selectFrom('follow_ups').select('customer_id').where('id', '=', f).executeTakeFirstOrThrow()).customer_id).toBeNull();
  });

  it('refuses a duplicate phone the same way', async () => {
    const lead = await createLead(rep, {
      name: '钱多多',
      company: '全新名称有限公司',
      phone: '0755 2600 0000',
      mobile: '13900006666',
      email: 'qdd@example.com',
    });
    const res = await rep.post(`/api/v1/leads/${lead.id}/convert`, { customer: { importance: 'high' } });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'customer_duplicate' });
    expect(res.json().detail).toContain('李雷');
    expect(await db.selectFrom('customers').select('id').where('name', '=', '全新名称有限公司').execute()).toEqual([]);
  });

  it('passes the required-fields refusal through unchanged (422 listing what is missing)', async () => {
    const lead = await createLead(rep, { name: '孙丽', company: '苏州孙氏纺织有限公司', mobile: '13800005555' });
    const before = await db
      .selectFrom('customers')
      .select((e) => e.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const res = await rep.post(`/api/v1/leads/${lead.id}/convert`, { customer: { category: 'direct', importance: 'high' } });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('customer_incomplete');
    expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual(['contact.email']);
    const after = await db
      .selectFrom('customers')
      .select((e) => e.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect((await rep.get(`/api/v1/leads/${lead.id}`)).json().status).toBe('new');
  });

  it('applies the first category’s required fields to a conversion without category', async () => {
    const lead = await createLead(rep, { name: '郑文', company: '常州郑氏五金有限公司', mobile: '13800007777' });
    const res = await rep.post(`/api/v1/leads/${lead.id}/convert`, { customer: { importance: 'high' } });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().code).toBe('customer_incomplete');
    expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual(['contact.email']);
    expect((await rep.get(`/api/v1/leads/${lead.id}`)).json().status).toBe('new');

    const ok = await rep.post(`/api/v1/leads/${lead.id}/convert`, {
      customer: { importance: 'high' },
      contact: { email: 'zw@example.com' },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await rep.get(`/api/v1/customers/${ok.json().customerId}`)).json()).toMatchObject({ category: 'direct' });
  });

  it('needs customers.create beside leads.edit, and the lead in scope', async () => {
    const lead = await createLead(rep, { name: '吴昊', company: '无锡吴氏机械厂' });
    await setPositionPermissions(db, salesPosition, permissions({ leads: { actions: ['view', 'create', 'edit'], scope: 'self' } }));
    const refused = await rep.post(`/api/v1/leads/${lead.id}/convert`, {});
    expect(refused.statusCode).toBe(403);
    await setPositionPermissions(db, salesPosition, SALES);

    const other = await loginAs(t.app, 'lilei', 'Passw0rd!x');
    expect((await other.post(`/api/v1/leads/${lead.id}/convert`, {})).statusCode).toBe(404);
    expect((await rep.get(`/api/v1/leads/${lead.id}`)).json().status).toBe('new');
  });
});
