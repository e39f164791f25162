import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPES, type Action, type Scope } from '@common/permissions';
import type { Lead } from '@common/schemas/leads';
import type { Db } from '@server/db/types';
import { newId, nowIso } from '@server/db/ids';
import { Client, createTestApp, loginAs, setupAdmin, type TestApp } from '@server/test/app';
import { createDepartment, createPosition, createUser, permissions, setPositionPermissions } from '@server/test/factories';
import { reindexLead } from './leads.repository';

/** 潜在客户: CRUD, keyword search, field rules, the data-scope matrix, transfer and handover, through the API. */

let t: TestApp;
let db: Db;
let admin: Client;
let adminId: string;

/** Owners as seen from "me" (销售部): same layout as the platform's scope matrix. */
const OWNERS = ['me', 'subordinate', 'peer', 'subDept', 'otherDept'] as const;
type Owner = (typeof OWNERS)[number];
const VISIBLE: Record<Scope, Owner[]> = {
  self: ['me'],
  subordinates: ['me', 'subordinate'],
  department: ['me', 'peer'],
  department_tree: ['me', 'peer', 'subDept'],
  all: [...OWNERS],
};
const users = {} as Record<Owner, { id: string; departmentId: string }>;
let me: Client;
let myPosition: string;
let sales: string;
let market: string;

async function grant(modules: Record<string, { actions: Action[]; scope: Scope }>, fields: Record<string, 'hidden' | 'readonly'> = {}) {
  await setPositionPermissions(db, myPosition, permissions(modules, fields));
}

/** A lead row written directly (indexed), for the scope matrix. */
async function seedLead(owner: Owner, fields: { name: string; company?: string }): Promise<string> {
  const id = newId();
  const now = nowIso();
  await db
    .insertInto('leads')
    .values({
      id,
      name: fields.name,
      company: fields.company ?? null,
      status: 'new',
      owner_id: users[owner].id,
      owner_department_id: users[owner].departmentId,
      custom: '{}',
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await reindexLead(db, id);
  return id;
}

async function lead(id: string): Promise<Lead> {
  const res = await admin.get(`/api/v1/leads/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
  admin = await setupAdmin(t.app);
  adminId = (await admin.get('/api/v1/me')).json().user.id;
  const company = (await db.selectFrom('departments').select('id').executeTakeFirstOrThrow()).id;
  sales = await createDepartment(db, { name: '销售部', parentId: company });
  const team = await createDepartment(db, { name: '销售一组', parentId: sales });
  market = await createDepartment(db, { name: '市场部', parentId: company });
  myPosition = await createPosition(db, { name: '销售经理' });
  const staff = await createPosition(db, { name: '销售专员' });
  const mk = async (o: Owner, name: string, departmentId: string, supervisorId: string | null = null) => {
    const u = await createUser(db, {
      username: `lead.${o.toLowerCase()}`,
      name,
      departmentId,
      supervisorId,
      positionId: o === 'me' ? myPosition : staff,
    });
    users[o] = { id: u.id, departmentId };
    return u;
  };
  const mine = await mk('me', '王经理', sales);
  // the subordinate sits in another department, so "subordinates" and "department" stay distinguishable
  await mk('subordinate', '刘洋', market, mine.id);
  await mk('peer', '杨静', sales);
  await mk('subDept', '黄晓东', team);
  await mk('otherDept', '马超', market);
  me = await loginAs(t.app, mine.username, mine.password);
});
afterAll(() => t.close());

describe('leads CRUD', () => {
  it('creates a lead owned by the caller, reads, edits with a version and keeps an audit trail', async () => {
    const res = await admin.post('/api/v1/leads', {
      name: '张伟',
      company: '深圳市鸿运贸易有限公司',
      title: '采购经理',
      mobile: '138 0013 8000',
      email: 'ZhangWei@RenWoXing.cn',
      source: 'exhibition',
      industry: 'it',
      regionCode: '440305',
      address: '科技园南区',
    });
    expect(res.statusCode, res.body).toBe(201);
    const created: Lead = res.json();
    expect(created).toMatchObject({
      name: '张伟',
      company: '深圳市鸿运贸易有限公司',
      email: 'zhangwei@renwoxing.cn',
      status: 'new',
      ownerId: adminId,
      ownerName: '系统管理员',
      createdBy: adminId,
      convertedCustomerId: null,
      canEdit: true,
      hiddenFields: [],
      version: 1,
    });
    expect(await lead(created.id)).toEqual(created);

    const edit = await admin.patch(`/api/v1/leads/${created.id}`, {
      version: 1,
      status: 'following',
      phone: '0755-86000000',
      notes: '展会上留的名片',
    });
    expect(edit.statusCode, edit.body).toBe(200);
    expect(edit.json()).toMatchObject({ status: 'following', phone: '0755-86000000', notes: '展会上留的名片', version: 2 });

    const stale = await admin.patch(`/api/v1/leads/${created.id}`, { version: 1, notes: '旧版本' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('stale_version');
    expect((await lead(created.id)).notes).toBe('展会上留的名片');

    const history = (await admin.get(`/api/v1/audit/lead/${created.id}`)).json().items;
    expect(history.map((h: { action: string }) => h.action)).toEqual(['update', 'create']);
    expect(history[0].changes).toMatchObject({ status: ['new', 'following'], phone: [null, '0755-86000000'] });
  });

  it('refuses bad input naming the field: unknown source, converted as a hand-set status, a bad region code', async () => {
    const bad = await admin.post('/api/v1/leads', { name: '李娜', source: 'spaceship' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ field: 'source', code: 'invalid_value' });
    const status = await admin.post('/api/v1/leads', { name: '李娜', status: 'converted' });
    expect(status.statusCode).toBe(400);
    expect(status.json().errors[0].field).toBe('status');
    const region = await admin.post('/api/v1/leads', { name: '李娜', regionCode: '4403x' });
    expect(region.statusCode).toBe(400);
    expect(region.json().errors[0].field).toBe('regionCode');
    const noName = await admin.post('/api/v1/leads', { company: '无名公司' });
    expect(noName.statusCode).toBe(400);
    expect(noName.json().errors[0]).toMatchObject({ field: 'name', code: 'required' });
  });

  it('deletes into the recycle bin (404 afterwards) and an admin restores it', async () => {
    const id = (await admin.post('/api/v1/leads', { name: '赵敏', company: '东莞赵氏五金厂' })).json().id;
    expect((await admin.delete(`/api/v1/leads/${id}`)).statusCode).toBe(204);
    expect((await admin.get(`/api/v1/leads/${id}`)).statusCode).toBe(404);
    expect((await admin.get('/api/v1/leads?q=赵氏')).json().total).toBe(0);
    const bin = (await admin.get('/api/v1/recycle-bin?entity=lead')).json().items;
    const entry = bin.find((b: { entityId: string }) => b.entityId === id);
    expect(entry).toMatchObject({ label: '赵敏（东莞赵氏五金厂）', labelKey: 'leads.entity' });
    expect((await admin.post(`/api/v1/recycle-bin/${entry.id}/restore`)).statusCode).toBe(200);
    expect((await lead(id)).name).toBe('赵敏');
    expect((await admin.get('/api/v1/leads?q=赵氏')).json().items.map((l: Lead) => l.id)).toEqual([id]);
  });

  it('filters by status, owner and source, newest first, keyset-paged with the total', async () => {
    const ids: string[] = [];
    for (const name of ['筛选甲', '筛选乙', '筛选丙']) {
      ids.push((await admin.post('/api/v1/leads', { name, source: 'referral', status: 'invalid' })).json().id);
    }
    const page1 = (await admin.get('/api/v1/leads?status=invalid&source=referral&limit=2')).json();
    expect(page1.total).toBe(3);
    expect(page1.items.map((l: Lead) => l.id)).toEqual([ids[2], ids[1]]);
    const page2 = (await admin.get(`/api/v1/leads?status=invalid&source=referral&limit=2&cursor=${page1.nextCursor}`)).json();
    expect(page2.items.map((l: Lead) => l.id)).toEqual([ids[0]]);
    expect(page2.nextCursor).toBeNull();
    expect((await admin.get(`/api/v1/leads?status=invalid&ownerId=${users.peer.id}`)).json().total).toBe(0);
    expect((await admin.get(`/api/v1/leads?status=invalid&ownerId=${adminId}`)).json().total).toBe(3);
  });
});

describe('keyword search', () => {
  const ids = {} as Record<string, string>;
  beforeAll(async () => {
    const rows = [
      { key: 'zhangsan', name: '张三', company: '广州市白云科技有限公司', mobile: '13912345678' },
      { key: 'lisi', name: '李四', company: '深圳市任我行科技有限公司', email: 'lisi@example.com' },
      { key: 'wangwu', name: '王五', company: '佛山陶瓷厂', phone: '0757-82223333' },
    ];
    for (const { key, ...body } of rows) ids[key] = (await admin.post('/api/v1/leads', body)).json().id;
  });
  const search = async (q: string) => {
    const res = await admin.get(`/api/v1/leads?q=${encodeURIComponent(q)}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.total).toBe(body.items.length);
    return body.items.map((l: Lead) => l.id).sort();
  };

  it('finds two-character Chinese substrings of names and companies', async () => {
    expect(await search('张三')).toEqual([ids.zhangsan]);
    expect(await search('科技')).toEqual([ids.zhangsan, ids.lisi].sort());
    expect(await search('陶瓷')).toEqual([ids.wangwu]);
  });

  it('finds longer substrings, phones (digits only) and emails', async () => {
    expect(await search('任我行')).toEqual([ids.lisi]);
    expect(await search('1234567')).toEqual([ids.zhangsan]);
    expect(await search('82223333')).toEqual([ids.wangwu]);
    expect(await search('lisi@example')).toEqual([ids.lisi]);
    expect(await search('不存在的')).toEqual([]);
  });

  it('reindexes on edit', async () => {
    const version = (await lead(ids.wangwu)).version;
    await admin.patch(`/api/v1/leads/${ids.wangwu}`, { version, company: '佛山家具城' });
    expect(await search('陶瓷')).toEqual([]);
    expect(await search('家具')).toEqual([ids.wangwu]);
  });
});

describe.each(SCOPES.map((s) => [s]))('data scope %s', (scope) => {
  const visible = VISIBLE[scope];
  const records = {} as Record<Owner, string>;
  beforeAll(async () => {
    await db.deleteFrom('leads').where('name', 'like', '范围%').execute();
    for (const o of OWNERS) records[o] = await seedLead(o, { name: `范围${o}`, company: `范围测试${o}公司` });
    await grant({ leads: { actions: ['view', 'edit', 'delete'], scope } });
  });

  it('lists and searches exactly the leads in scope, with the right total', async () => {
    const list = (await me.get('/api/v1/leads?q=范围')).json();
    expect(list.items.map((l: Lead) => l.id).sort()).toEqual(visible.map((o) => records[o]).sort());
    expect(list.total).toBe(visible.length);
  });

  it('answers 404 for a lead out of scope on read, edit and delete, and serves the ones in scope', async () => {
    for (const o of OWNERS) {
      const get = await me.get(`/api/v1/leads/${records[o]}`);
      const patch = await me.patch(`/api/v1/leads/${records[o]}`, { version: 1, notes: scope });
      const history = await me.get(`/api/v1/audit/lead/${records[o]}`);
      if (visible.includes(o)) {
        expect(get.statusCode).toBe(200);
        expect(get.json().canEdit).toBe(true);
        expect(patch.statusCode, patch.body).toBe(200);
        expect(history.statusCode).toBe(200);
      } else {
        expect(get.statusCode).toBe(404);
        expect(patch.statusCode).toBe(404);
        expect(history.statusCode).toBe(404);
        expect((await lead(records[o])).notes).toBeNull();
      }
    }
    const outside = OWNERS.find((o) => !visible.includes(o));
    if (outside) expect((await me.delete(`/api/v1/leads/${records[outside]}`)).statusCode).toBe(404);
    expect((await me.delete(`/api/v1/leads/${records.me}`)).statusCode).toBe(204);
  });
});

describe('permissions and field rules', () => {
  it('needs the leads module rights: no create → 403, view only → read-only', async () => {
    await grant({ leads: { actions: ['view'], scope: 'self' } });
    const refused = await me.post('/api/v1/leads', { name: '无权新建' });
    expect(refused.statusCode).toBe(403);
    await grant({ leads: { actions: ['view', 'create'], scope: 'self' } });
    const created = await me.post('/api/v1/leads', { name: '自己的线索' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ ownerId: users.me.id, ownerDepartmentId: sales, ownerDepartmentName: '销售部', canEdit: false });
    expect((await me.patch(`/api/v1/leads/${created.json().id}`, { version: 1, notes: 'x' })).statusCode).toBe(403);
  });

  it('hides a hidden field (null, listed, not searchable) and refuses writing hidden or read-only fields', async () => {
    await grant({ leads: { actions: ['view', 'create', 'edit'], scope: 'all' } }, { 'leads.mobile': 'hidden', 'leads.email': 'readonly' });
    const id = (
      await admin.post('/api/v1/leads', { name: '保密先生', company: '保密有限公司', mobile: '18688889999', email: 'secret@example.com' })
    ).json().id;
    const seen: Lead = (await me.get(`/api/v1/leads/${id}`)).json();
    expect(seen).toMatchObject({ mobile: null, email: 'secret@example.com', hiddenFields: ['mobile'] });
    expect((await me.get('/api/v1/leads?q=18688889999')).json().total).toBe(0);
    expect((await me.get('/api/v1/leads?q=保密')).json().items.map((l: Lead) => l.id)).toEqual([id]);
    expect((await admin.get('/api/v1/leads?q=18688889999')).json().total).toBe(1);

    const mobile = await me.patch(`/api/v1/leads/${id}`, { version: 1, mobile: '13000000000' });
    expect(mobile.statusCode).toBe(400);
    expect(mobile.json().errors[0]).toMatchObject({ field: 'mobile', code: 'readonly' });
    const email = await me.patch(`/api/v1/leads/${id}`, { version: 1, email: 'other@example.com' });
    expect(email.json().errors[0]).toMatchObject({ field: 'email', code: 'readonly' });
    // the form sends back what it showed: hidden null and the unchanged read-only value
    const ok = await me.patch(`/api/v1/leads/${id}`, { version: 1, mobile: null, email: 'secret@example.com', notes: '已联系' });
    expect(ok.statusCode, ok.body).toBe(200);
    const stored = await lead(id);
    expect(stored).toMatchObject({ mobile: '18688889999', email: 'secret@example.com', notes: '已联系' });
    const create = await me.post('/api/v1/leads', { name: '新线索', email: 'x@example.com' });
    expect(create.json().errors[0]).toMatchObject({ field: 'email', code: 'readonly' });
  });
});

describe('transfer (移交) and handover (离职交接)', () => {
  it('transfers leads to another active user with one audit entry each', async () => {
    const a = (await admin.post('/api/v1/leads', { name: '移交甲' })).json().id;
    const b = (await admin.post('/api/v1/leads', { name: '移交乙' })).json().id;
    const res = await admin.post('/api/v1/leads/transfer', { ids: [a, b], toUserId: users.otherDept.id });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ moved: 2 });
    for (const id of [a, b]) {
      expect(await lead(id)).toMatchObject({ ownerId: users.otherDept.id, ownerName: '马超', ownerDepartmentId: market, version: 2 });
      const audit = (await admin.get(`/api/v1/audit?entity=lead&entityId=${id}&action=transfer`)).json().items;
      expect(audit).toHaveLength(1);
      expect(audit[0].changes).toEqual({ ownerId: [adminId, users.otherDept.id] });
    }
    expect((await admin.post('/api/v1/leads/transfer', { ids: [a], toUserId: users.otherDept.id })).json()).toEqual({ moved: 0 });
  });

  it('refuses a lead out of scope or an inactive recipient, moving nothing', async () => {
    await grant({ leads: { actions: ['view', 'transfer'], scope: 'self' } });
    const mine = await seedLead('me', { name: '我的移交' });
    const theirs = await seedLead('peer', { name: '同事的' });
    const res = await me.post('/api/v1/leads/transfer', { ids: [mine, theirs], toUserId: users.subordinate.id });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ field: 'ids.1', code: 'not_found' });
    expect((await lead(mine)).ownerId).toBe(users.me.id);

    const gone = await createUser(db, { username: 'lead.gone', name: '已离职', departmentId: sales, status: 'left' });
    const inactive = await me.post('/api/v1/leads/transfer', { ids: [mine], toUserId: gone.id });
    expect(inactive.statusCode).toBe(400);
    expect(inactive.json().errors[0]).toMatchObject({ field: 'toUserId', code: 'inactive' });

    await grant({ leads: { actions: ['view'], scope: 'self' } });
    expect((await me.post('/api/v1/leads/transfer', { ids: [mine], toUserId: users.subordinate.id })).statusCode).toBe(403);
  });

  it("hands a leaver's leads over to the successor", async () => {
    const leaver = await createUser(db, { username: 'lead.leaver', name: '孙浩', departmentId: market });
    const successor = await createUser(db, { username: 'lead.successor', name: '胡敏', departmentId: sales });
    const ids: string[] = [];
    users.otherDept = { id: leaver.id, departmentId: market };
    for (const name of ['交接一', '交接二', '交接三']) ids.push(await seedLead('otherDept', { name }));
    await admin.post(`/api/v1/users/${leaver.id}/status`, { status: 'left' });
    const summary = (await admin.get(`/api/v1/users/${leaver.id}/handover`)).json().items;
    expect(summary).toContainEqual({ entity: 'leads', labelKey: 'leads.handover', count: 3 });
    const res = await admin.post(`/api/v1/users/${leaver.id}/handover`, { toUserId: successor.id, entities: ['leads'] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items).toEqual([{ entity: 'leads', moved: 3 }]);
    for (const id of ids) expect(await lead(id)).toMatchObject({ ownerId: successor.id, ownerDepartmentId: sales });
    const audit = (await admin.get(`/api/v1/audit?entity=lead&entityId=${ids[0]}&action=transfer`)).json().items;
    expect(audit[0].detail).toContain('handover');
  });
});
