import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Contact } from '@common/schemas/contacts';
import type { Db } from '@server/db/types';
import { nowIso } from '@server/db/ids';
import { Client, createTestApp, loginAs, setupAdmin, type TestApp } from '@server/test/app';
import { createDepartment, createPosition, createUser, permissions } from '@server/test/factories';
import { seedCustomer } from './testing';

/** Contacts (联系人) through the API: create/edit/delete, primary contact, reporting line, field rules, search, recycle bin. */

let t: TestApp;
let db: Db;
let admin: Client;
let sales: Client;
let salesUser: { id: string };

const base = '/api/v1/contacts';

async function create(c: Client, body: Record<string, unknown>): Promise<Contact> {
  const res = await c.post(base, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function get(c: Client, id: string): Promise<Contact> {
  const res = await c.get(`${base}/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function list(c: Client, query: string): Promise<{ items: Contact[]; nextCursor: string | null; total: number }> {
  const res = await c.get(`${base}?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

const fieldErrors = (res: { json(): unknown }) => (res.json() as { errors?: { field: string; code: string }[] }).errors ?? [];

beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
  admin = await setupAdmin(t.app);
  const company = (await db.selectFrom('departments').select('id').executeTakeFirstOrThrow()).id;
  const dept = await createDepartment(db, { name: '销售部', parentId: company });
  const position = await createPosition(db, {
    name: '销售',
    permissions: permissions({
      customers: { actions: ['view', 'edit'], scope: 'self' },
      contacts: { actions: ['view', 'create', 'edit', 'delete'], scope: 'self' },
    }),
  });
  const u = await createUser(db, { username: 'sales1', name: '销售一', departmentId: dept, positionId: position });
  salesUser = u;
  sales = await loginAs(t.app, u.username, u.password);
});
afterAll(() => t.close());

describe('create, edit, delete', () => {
  it('makes the first contact primary and keeps one primary per customer', async () => {
    const customerId = await seedCustomer(db, { name: '深圳市华强电子有限公司', owner_id: salesUser.id });
    const a = await create(sales, { customerId, name: '王建国', mobile: '13800138000', decisionMaker: true, birthday: '1980-05-01' });
    expect(a).toMatchObject({ isPrimary: true, decisionMaker: true, birthday: '1980-05-01', customerName: '深圳市华强电子有限公司' });
    const b = await create(sales, { customerId, name: '李建华' });
    expect(b.isPrimary).toBe(false);
    const c = await create(sales, { customerId, name: '赵敏', isPrimary: true });
    expect(c.isPrimary).toBe(true);
    const all = await list(sales, `customerId=${customerId}`);
    expect(all.total).toBe(3);
    expect(all.items.filter((x) => x.isPrimary).map((x) => x.name)).toEqual(['赵敏']);

    // un-flagging the primary hands it to the oldest other contact
    const res = await sales.patch(`${base}/${c.id}`, { version: c.version, isPrimary: false });
    expect(res.statusCode, res.body).toBe(200);
    expect((await get(sales, a.id)).isPrimary).toBe(true);
    expect((await get(sales, c.id)).isPrimary).toBe(false);

    // deleting the primary: the oldest remaining becomes primary
    const a2 = await get(sales, a.id);
    expect((await sales.delete(`${base}/${a.id}?version=${a2.version}`)).statusCode).toBe(204);
    expect((await sales.get(`${base}/${a.id}`)).statusCode).toBe(404);
    expect((await get(sales, b.id)).isPrimary).toBe(true);
    expect((await list(sales, `customerId=${customerId}`)).total).toBe(2);
  });

  it('edits with optimistic locking and audits the change', async () => {
    const customerId = await seedCustomer(db, { name: '广州白云贸易有限公司', owner_id: salesUser.id });
    const a = await create(sales, { customerId, name: '陈静', email: 'CHEN@Example.com', hobbies: '高尔夫' });
    expect(a.email).toBe('chen@example.com');
    const res = await sales.patch(`${base}/${a.id}`, { version: a.version, title: '采购经理', notes: '周三拜访' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ title: '采购经理', notes: '周三拜访', hobbies: '高尔夫', version: a.version + 1 });
    const stale = await sales.patch(`${base}/${a.id}`, { version: a.version, title: '总监' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('stale_version');
    const history = await sales.get(`/api/v1/audit/contact/${a.id}`);
    expect(history.statusCode, history.body).toBe(200);
    const entries = history.json().items as { action: string; changes: Record<string, [unknown, unknown]> | null }[];
    expect(entries.map((e) => e.action).sort()).toEqual(['create', 'update']);
    expect(entries.find((e) => e.action === 'update')!.changes!.title).toEqual([null, '采购经理']);
    // stale delete refused too
    expect((await sales.delete(`${base}/${a.id}?version=${a.version}`)).statusCode).toBe(409);
  });

  it('refuses a reporting line that leaves the customer or forms a cycle', async () => {
    const customerId = await seedCustomer(db, { name: '杭州西湖软件有限公司', owner_id: salesUser.id });
    const other = await seedCustomer(db, { name: '杭州钱塘软件有限公司', owner_id: salesUser.id });
    const boss = await create(sales, { customerId, name: '总经理' });
    const mid = await create(sales, { customerId, name: '部门经理', reportsToId: boss.id });
    const low = await create(sales, { customerId, name: '专员', reportsToId: mid.id });
    expect(low.reportsToName).toBe('部门经理');
    const outsider = await create(sales, { customerId: other, name: '外人' });

    const cycle = await sales.patch(`${base}/${boss.id}`, { version: boss.version, reportsToId: low.id });
    expect(cycle.statusCode).toBe(400);
    expect(fieldErrors(cycle)).toEqual([expect.objectContaining({ field: 'reportsToId', code: 'cycle' })]);
    const self = await sales.patch(`${base}/${boss.id}`, { version: boss.version, reportsToId: boss.id });
    expect(fieldErrors(self)).toEqual([expect.objectContaining({ field: 'reportsToId', code: 'cycle' })]);
    const elsewhere = await sales.post(base, { customerId, name: '新人', reportsToId: outsider.id });
    expect(elsewhere.statusCode).toBe(400);
    expect(fieldErrors(elsewhere)).toEqual([expect.objectContaining({ field: 'reportsToId', code: 'not_found' })]);
    // a legal change: the clerk now reports to the boss directly
    const ok = await sales.patch(`${base}/${low.id}`, { version: low.version, reportsToId: boss.id });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().reportsToId).toBe(boss.id);
  });

  it('moves a contact to another editable customer, re-indexing both', async () => {
    const from = await seedCustomer(db, { name: '南京紫金物流有限公司', owner_id: salesUser.id });
    const to = await seedCustomer(db, { name: '南京秦淮物流有限公司', owner_id: salesUser.id });
    const notMine = await seedCustomer(db, { name: '南京鼓楼物流有限公司', owner_id: null, pooled_at: nowIso() });
    const stay = await create(sales, { customerId: from, name: '留守者' });
    const mover = await create(sales, { customerId: from, name: '欧阳锋', reportsToId: stay.id, isPrimary: true });
    const sub = await create(sales, { customerId: from, name: '下属', reportsToId: mover.id });
    const existing = await create(sales, { customerId: to, name: '原联系人' });

    // a pool customer is visible but not editable
    const pool = await sales.patch(`${base}/${mover.id}`, { version: mover.version, customerId: notMine });
    expect(pool.statusCode).toBe(403);

    const res = await sales.patch(`${base}/${mover.id}`, { version: mover.version, customerId: to });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ customerId: to, reportsToId: null, isPrimary: false });
    expect((await get(sales, stay.id)).isPrimary).toBe(true);
    expect((await get(sales, existing.id)).isPrimary).toBe(true);
    expect((await get(sales, sub.id)).reportsToId).toBeNull();
    const grams = async (customerId: string) =>
      (
        await db.selectFrom('search_grams').select('gram').where('entity', '=', 'customer').where('entity_id', '=', customerId).execute()
      ).map((g) => g.gram);
    expect(await grams(to)).toContain('欧阳');
    expect(await grams(from)).not.toContain('欧阳');
  });

  it('restores a deleted contact from the recycle bin', async () => {
    const customerId = await seedCustomer(db, { name: '成都天府茶业有限公司', owner_id: salesUser.id });
    const a = await create(sales, { customerId, name: '司马懿' });
    const b = await create(sales, { customerId, name: '诸葛亮' });
    expect((await sales.delete(`${base}/${a.id}?version=${a.version}`)).statusCode).toBe(204);
    expect((await list(sales, 'q=司马')).items).toHaveLength(0);
    expect((await get(sales, b.id)).isPrimary).toBe(true);

    const bin = await admin.get('/api/v1/recycle-bin?entity=contact');
    const entry = (bin.json().items as { id: string; entityId: string; label: string; labelKey: string }[]).find(
      (e) => e.entityId === a.id,
    )!;
    expect(entry).toMatchObject({ label: '司马懿（成都天府茶业有限公司）', labelKey: 'contacts.entity' });
    const restored = await admin.post(`/api/v1/recycle-bin/${entry.id}/restore`);
    expect(restored.statusCode, restored.body).toBe(200);

    const back = await get(sales, a.id);
    expect(back.isPrimary).toBe(false); // 诸葛亮 kept the flag
    expect((await list(sales, 'q=司马')).items.map((x) => x.id)).toEqual([a.id]);

    // a contact whose customer is gone cannot come back on its own
    expect((await sales.delete(`${base}/${a.id}?version=${back.version}`)).statusCode).toBe(204);
    await db.updateTable('customers').set({ deleted_at: nowIso() }).where('id', '=', customerId).execute();
    const bin2 = await admin.get('/api/v1/recycle-bin?entity=contact');
    const entry2 = (bin2.json().items as { id: string; entityId: string }[]).find((e) => e.entityId === a.id)!;
    const refused = await admin.post(`/api/v1/recycle-bin/${entry2.id}/restore`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('contact_customer_deleted');
  });

  it('checks the customer on create: 404 when unseen, 403 when read-only, 400 on bad input', async () => {
    const other = await createUser(db, { username: 'other1', name: '别人' });
    const theirs = await seedCustomer(db, { name: '别人的客户', owner_id: other.id });
    expect((await sales.post(base, { customerId: theirs, name: '张三' })).statusCode).toBe(404);
    const pool = await seedCustomer(db, { name: '公海客户', owner_id: null, pooled_at: nowIso() });
    expect((await sales.post(base, { customerId: pool, name: '张三' })).statusCode).toBe(403);
    const mine = await seedCustomer(db, { name: '我的客户', owner_id: salesUser.id });
    const bad = await sales.post(base, { customerId: mine, name: '张三', birthday: '1990-13-01' });
    expect(bad.statusCode).toBe(400);
    expect(fieldErrors(bad).map((e) => e.field)).toEqual(['birthday']);
    expect((await sales.post(base, { customerId: mine, name: '' })).statusCode).toBe(400);
  });
});

describe('keyword search', () => {
  it('finds contacts by a 2-character Chinese substring of the name, and by mobile, phone, email, WeChat', async () => {
    const customerId = await seedCustomer(db, { name: '武汉光谷科技有限公司', owner_id: salesUser.id });
    const a = await create(sales, { customerId, name: '欧阳修文', mobile: '139-1234-5678' });
    const b = await create(sales, { customerId, name: '司徒修远', email: 'situ@guanggu.cn', wechat: 'situ_wx' });
    const c = await create(sales, { customerId, name: '上官婉儿', phone: '027-88886666' });
    const ids = async (q: string) =>
      (await list(sales, `customerId=${customerId}&q=${encodeURIComponent(q)}`)).items.map((x) => x.id).sort();
    expect(await ids('修文')).toEqual([a.id]);
    expect(await ids('修')).toEqual([a.id, b.id].sort());
    expect(await ids('婉儿')).toEqual([c.id]);
    expect(await ids('13912345678')).toEqual([a.id]);
    expect(await ids('88886666')).toEqual([c.id]);
    expect(await ids('guanggu')).toEqual([b.id]);
    expect(await ids('situ_wx')).toEqual([b.id]);
    expect(await ids('无此人')).toEqual([]);
    const page = await list(sales, `q=${encodeURIComponent('修')}&limit=1`);
    expect(page).toMatchObject({ total: 2, items: [expect.any(Object)] });
    expect(page.nextCursor).toBe(page.items[0].id);
    const next = await list(sales, `q=${encodeURIComponent('修')}&limit=1&cursor=${page.nextCursor}`);
    expect(next.items.map((x) => x.id)).not.toContain(page.items[0].id);
    expect(next.nextCursor).toBeNull();

    // renaming re-indexes the contact and its customer
    const renamed = await sales.patch(`${base}/${c.id}`, { version: c.version, name: '慕容复' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(await ids('婉儿')).toEqual([]);
    expect(await ids('慕容')).toEqual([c.id]);
    const customerGrams = (
      await db.selectFrom('search_grams').select('gram').where('entity', '=', 'customer').where('entity_id', '=', customerId).execute()
    ).map((g) => g.gram);
    expect(customerGrams).toContain('慕容');
    expect(customerGrams).not.toContain('婉儿');
  });
});

describe('field rules', () => {
  let restricted: Client;
  let customerId: string;
  let contact: Contact;

  beforeAll(async () => {
    const position = await createPosition(db, {
      name: '受限销售',
      permissions: permissions(
        {
          customers: { actions: ['view', 'edit'], scope: 'all' },
          contacts: { actions: ['view', 'create', 'edit'], scope: 'all' },
        },
        { 'contacts.idNumber': 'hidden', 'contacts.wechat': 'hidden', 'contacts.mobile': 'readonly' },
      ),
    });
    const u = await createUser(db, { username: 'restricted', name: '受限', positionId: position });
    restricted = await loginAs(t.app, u.username, u.password);
    customerId = await seedCustomer(db, { name: '苏州园林建筑有限公司', owner_id: u.id });
    contact = await create(admin, {
      customerId,
      name: '钱学森',
      mobile: '13600001111',
      wechat: 'qian_wx',
      idNumber: '110101198001010011',
    });
    const res = await admin.patch(`${base}/${contact.id}`, { version: contact.version, idNumber: '110101198001010022' });
    expect(res.statusCode, res.body).toBe(200);
    contact = res.json();
  });

  it('hides hidden fields in the list and the record, and says which', async () => {
    const one = await get(restricted, contact.id);
    expect(one).toMatchObject({ idNumber: null, wechat: null, mobile: '13600001111', hiddenFields: ['wechat', 'idNumber'] });
    const rows = (await list(restricted, `customerId=${customerId}`)).items;
    expect(rows).toEqual([expect.objectContaining({ id: contact.id, idNumber: null, wechat: null, hiddenFields: ['wechat', 'idNumber'] })]);
    expect((await get(admin, contact.id)).idNumber).toBe('110101198001010022');
  });

  it('never shows the ID number in the record history', async () => {
    const res = await restricted.get(`/api/v1/audit/contact/${contact.id}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).not.toContain('1101011980');
    const entries = res.json().items as { action: string; changes: Record<string, [unknown, unknown]> }[];
    expect(entries.find((e) => e.action === 'update')!.changes.idNumber).toEqual(['***', '***']);
    expect(entries.find((e) => e.action === 'create')!.changes.idNumber).toEqual(['***', '***']);
  });

  it('does not find contacts by the value of a hidden field', async () => {
    expect((await list(restricted, 'q=qian_wx')).items).toEqual([]);
    expect((await list(admin, 'q=qian_wx')).items.map((x) => x.id)).toEqual([contact.id]);
    expect((await list(restricted, `q=${encodeURIComponent('学森')}`)).items.map((x) => x.id)).toEqual([contact.id]);
  });

  it('refuses writing a hidden or read-only field', async () => {
    const hidden = await restricted.post(base, { customerId, name: '新联系人', idNumber: '110101199001010033' });
    expect(hidden.statusCode).toBe(400);
    expect(fieldErrors(hidden)).toEqual([expect.objectContaining({ field: 'idNumber', code: 'readonly' })]);
    const ro = await restricted.post(base, { customerId, name: '新联系人', mobile: '13700002222' });
    expect(fieldErrors(ro)).toEqual([expect.objectContaining({ field: 'mobile', code: 'readonly' })]);
    const change = await restricted.patch(`${base}/${contact.id}`, { version: contact.version, mobile: '13700002222' });
    expect(fieldErrors(change)).toEqual([expect.objectContaining({ field: 'mobile', code: 'readonly' })]);
    const hiddenEdit = await restricted.patch(`${base}/${contact.id}`, { version: contact.version, wechat: null });
    expect(fieldErrors(hiddenEdit)).toEqual([expect.objectContaining({ field: 'wechat', code: 'readonly' })]);
    // unchanged read-only value and other fields are fine; hidden values survive the edit
    const ok = await restricted.patch(`${base}/${contact.id}`, { version: contact.version, mobile: '13600001111', title: '院长' });
    expect(ok.statusCode, ok.body).toBe(200);
    const stored = await get(admin, contact.id);
    expect(stored).toMatchObject({ title: '院长', wechat: 'qian_wx', idNumber: '110101198001010022', mobile: '13600001111' });
    // a new contact without the restricted fields is fine
    expect((await restricted.post(base, { customerId, name: '新联系人', idNumber: null })).statusCode).toBe(201);
  });
});
