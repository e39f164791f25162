import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPES, type Action, type Scope } from '@common/permissions';
import type { FollowUp } from '@common/schemas/followups';
import type { Db } from '@server/db/types';
import { newId, nowIso } from '@server/db/ids';
import { Client, createTestApp, loginAs, setupAdmin, type TestApp } from '@server/test/app';
import { createDepartment, createPosition, createUser, permissions, setPositionPermissions } from '@server/test/factories';
import { seedCustomer } from './testing';

/**
 * 跟单 through the API: contact times on the customer / lead, the pool and scope refusals, the
 * 360° timeline seen by the customer's owner, attachments, author-only edits, the recycle bin and
 * the follow-up data-scope matrix.
 */

let t: TestApp;
let db: Db;
let admin: Client;

const OWNERS = ['me', 'subordinate', 'peer', 'subDept', 'otherDept'] as const;
type Owner = (typeof OWNERS)[number];
const VISIBLE: Record<Scope, Owner[]> = {
  self: ['me'],
  subordinates: ['me', 'subordinate'],
  department: ['me', 'peer'],
  department_tree: ['me', 'peer', 'subDept'],
  all: [...OWNERS],
};
const users = {} as Record<Owner, { id: string; departmentId: string; username: string; password: string }>;
let me: Client;
let colleague: Client;
let myPosition: string;

const MIN = 60_000;
const DAY = 86_400_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const ahead = (ms: number) => new Date(Date.now() + ms).toISOString();

async function grant(modules: Record<string, { actions: Action[]; scope: Scope }>) {
  await setPositionPermissions(db, myPosition, permissions(modules));
}
const ALL: Action[] = ['view', 'create', 'edit', 'delete'];

async function customerRow(id: string) {
  return db
    .selectFrom('customers')
    .select(['last_contact_at', 'next_follow_up_at', 'version'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

async function post(c: Client, body: Record<string, unknown>): Promise<FollowUp> {
  const res = await c.post('/api/v1/follow-ups', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function seedFile(ownerId: string, entity: string | null = null) {
  const id = newId();
  await db
    .insertInto('files')
    .values({
      id,
      name: '拜访照片.jpg',
      mime: 'image/jpeg',
      size: 1234,
      sha256: 'x'.repeat(64),
      entity,
      entity_id: null,
      owner_id: ownerId,
      created_at: nowIso(),
    })
    .execute();
  return id;
}

beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
  admin = await setupAdmin(t.app);
  const company = (await db.selectFrom('departments').select('id').executeTakeFirstOrThrow()).id;
  const sales = await createDepartment(db, { name: '销售部', parentId: company });
  const team = await createDepartment(db, { name: '销售一组', parentId: sales });
  const market = await createDepartment(db, { name: '市场部', parentId: company });
  myPosition = await createPosition(db, { name: '销售经理' });
  const staff = await createPosition(db, {
    name: '销售专员',
    permissions: permissions({ customers: { actions: ['view'], scope: 'self' }, followups: { actions: ALL, scope: 'self' } }),
  });
  const mk = async (o: Owner, name: string, departmentId: string, supervisorId: string | null = null) => {
    const u = await createUser(db, {
      username: `fu.${o.toLowerCase()}`,
      name,
      departmentId,
      supervisorId,
      positionId: o === 'me' ? myPosition : staff,
    });
    users[o] = { id: u.id, departmentId, username: u.username, password: u.password };
  };
  await mk('me', '王经理', sales);
  // the subordinate sits in another department, so "subordinates" and "department" stay distinguishable
  await mk('subordinate', '刘洋', market, users.me.id);
  await mk('peer', '杨静', sales);
  await mk('subDept', '黄晓东', team);
  await mk('otherDept', '马超', market);
  await grant({
    customers: { actions: ['view'], scope: 'self' },
    followups: { actions: ALL, scope: 'self' },
    leads: { actions: ['view'], scope: 'self' },
  });
  me = await loginAs(t.app, users.me.username, users.me.password);
  colleague = await loginAs(t.app, users.otherDept.username, users.otherDept.password);
});
afterAll(() => t.close());

describe('a follow-up counts as contact', () => {
  it('sets last contact to the latest contact time and next follow-up to the earliest future next date, audited', async () => {
    const customerId = await seedCustomer(db, { name: '深圳市鸿运贸易有限公司', owner_id: users.me.id });
    const first = await post(me, { customerId, type: 'phone', content: '电话沟通报价', at: ago(2 * DAY), nextAt: ahead(3 * DAY) });
    expect(first).toMatchObject({
      customerId,
      customerName: '深圳市鸿运贸易有限公司',
      ownerId: users.me.id,
      ownerName: '王经理',
      type: 'phone',
    });
    let c = await customerRow(customerId);
    expect(c.last_contact_at).toBe(first.at);
    expect(c.next_follow_up_at).toBe(first.nextAt);

    // an earlier contact logged later does not move last contact back; an earlier next date wins
    const older = await post(me, { customerId, type: 'visit', content: '上门拜访', at: ago(5 * DAY), nextAt: ahead(1 * DAY) });
    c = await customerRow(customerId);
    expect(c.last_contact_at).toBe(first.at);
    expect(c.next_follow_up_at).toBe(older.nextAt);
    // a later next date does not push the earliest one out
    const latest = await post(me, { customerId, type: 'wechat', content: '微信确认', at: ago(1 * DAY), nextAt: ahead(10 * DAY) });
    c = await customerRow(customerId);
    expect(c.last_contact_at).toBe(latest.at);
    expect(c.next_follow_up_at).toBe(older.nextAt);
    // the customer's version is not bumped: an edit form open elsewhere is not made stale
    expect(c.version).toBe(1);

    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'changes'])
      .where('entity', '=', 'customer')
      .where('entity_id', '=', customerId)
      .execute();
    expect(audit.filter((a) => a.action === 'contact').length).toBe(3);

    // deleting recomputes from what remains: last contact back to the first, next date to the nearest left
    expect((await me.delete(`/api/v1/follow-ups/${latest.id}`)).statusCode).toBe(204);
    c = await customerRow(customerId);
    expect(c.last_contact_at).toBe(first.at);
    expect((await me.delete(`/api/v1/follow-ups/${older.id}`)).statusCode).toBe(204);
    c = await customerRow(customerId);
    expect(c.next_follow_up_at).toBe(first.nextAt);
    expect((await me.delete(`/api/v1/follow-ups/${first.id}`)).statusCode).toBe(204);
    c = await customerRow(customerId);
    expect(c.last_contact_at).toBeNull();
    expect(c.next_follow_up_at).toBeNull();
  });

  it('a done schedule still counts when a follow-up is deleted', async () => {
    const customerId = await seedCustomer(db, { name: '广州白云电器', owner_id: users.me.id });
    const s = await me.post('/api/v1/schedules', { title: '拜访', startAt: ago(3 * DAY), customerId });
    expect(s.statusCode, s.body).toBe(201);
    const done = await me.post(`/api/v1/schedules/${s.json().id}/done`, { done: true });
    expect(done.statusCode, done.body).toBe(200);
    const f = await post(me, { customerId, type: 'phone', content: '回访' });
    expect((await customerRow(customerId)).last_contact_at).toBe(f.at);
    await me.delete(`/api/v1/follow-ups/${f.id}`);
    expect((await customerRow(customerId)).last_contact_at).toBe(done.json().doneAt);
  });

  it('defaults the time to now, refuses one more than a minute ahead, and an edit of the time recomputes', async () => {
    const customerId = await seedCustomer(db, { name: '佛山顺德家具厂', owner_id: users.me.id });
    const before = Date.now();
    const f = await post(me, { customerId, type: 'other', content: '现场沟通' });
    expect(Date.parse(f.at)).toBeGreaterThanOrEqual(before - 1000);
    const future = await me.post('/api/v1/follow-ups', { customerId, type: 'phone', content: '未来', at: ahead(5 * MIN) });
    expect(future.statusCode).toBe(400);
    expect(future.json().errors.map((e: { field: string }) => e.field)).toEqual(['at']);
    // a time given with an offset is stored as UTC
    const upd = await me.patch(`/api/v1/follow-ups/${f.id}`, { version: f.version, at: '2025-06-01T10:00:00+08:00' });
    expect(upd.statusCode, upd.body).toBe(200);
    expect(upd.json().at).toBe('2025-06-01T02:00:00.000Z');
    expect((await customerRow(customerId)).last_contact_at).toBe('2025-06-01T02:00:00.000Z');
    const stale = await me.patch(`/api/v1/follow-ups/${f.id}`, { version: f.version, content: '旧版本' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('stale_version');
  });

  it('on a lead: sets the lead contact times', async () => {
    const leadId = newId();
    const now = nowIso();
    await db
      .insertInto('leads')
      .values({
        id: leadId,
        name: '陈先生',
        status: 'new',
        owner_id: users.me.id,
        owner_department_id: users.me.departmentId,
        custom: '{}',
        version: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const f = await post(me, { leadId, type: 'phone', content: '初次电话', at: ago(DAY), nextAt: ahead(DAY) });
    expect(f.leadName).toBe('陈先生');
    const lead = await db
      .selectFrom('leads')
      .select(['last_contact_at', 'next_follow_up_at'])
      .where('id', '=', leadId)
      .executeTakeFirstOrThrow();
    expect(lead).toEqual({ last_contact_at: f.at, next_follow_up_at: f.nextAt });
    const list = await me.get(`/api/v1/follow-ups?leadId=${leadId}`);
    expect(list.json().items.map((x: FollowUp) => x.id)).toEqual([f.id]);
  });
});

describe('refusals', () => {
  it('needs exactly one of a customer or a lead', async () => {
    const none = await me.post('/api/v1/follow-ups', { type: 'phone', content: '无对象' });
    expect(none.statusCode).toBe(400);
    expect(none.json().errors[0].field).toBe('customerId');
    const customerId = await seedCustomer(db, { name: '东莞精密模具', owner_id: users.me.id });
    const both = await me.post('/api/v1/follow-ups', { customerId, leadId: newId(), type: 'phone', content: '两个' });
    expect(both.statusCode).toBe(400);
    expect(both.json().errors[0].field).toBe('leadId');
  });

  it('refuses a pool customer (claim first) and an out-of-scope customer as absent', async () => {
    const pool = await seedCustomer(db, { name: '公海客户有限公司', owner_id: null, pooled_at: nowIso() });
    const res = await me.post('/api/v1/follow-ups', { customerId: pool, type: 'phone', content: '公海' });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('customer_in_pool');
    const theirs = await seedCustomer(db, { name: '别人的客户', owner_id: users.otherDept.id });
    const hidden = await me.post('/api/v1/follow-ups', { customerId: theirs, type: 'phone', content: '越权' });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json().code).toBe('not_found');
    expect(await db.selectFrom('follow_ups').select('id').where('customer_id', 'in', [pool, theirs]).execute()).toEqual([]);
  });

  it('takes a contact only of that customer', async () => {
    const customerId = await seedCustomer(db, { name: '中山灯饰', owner_id: users.me.id });
    const other = await seedCustomer(db, { name: '江门五金', owner_id: users.me.id });
    const contactId = newId();
    const now = nowIso();
    await db
      .insertInto('contacts')
      .values({
        id: contactId,
        customer_id: other,
        name: '李娜',
        is_primary: 1,
        decision_maker: 0,
        custom: '{}',
        version: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const res = await me.post('/api/v1/follow-ups', { customerId, contactId, type: 'phone', content: '联系人不对' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('contactId');
    const ok = await post(me, { customerId: other, contactId, type: 'phone', content: '联系李娜' });
    expect(ok.contactName).toBe('李娜');
  });
});

describe('the 360° timeline', () => {
  it("shows the owner a colleague's follow-up on their customer, but only the author may change it", async () => {
    const customerId = await seedCustomer(db, { name: '珠海海洋科技', owner_id: users.me.id });
    // the colleague (another department) works on it as a team member
    await db
      .insertInto('customer_team')
      .values({ customer_id: customerId, user_id: users.otherDept.id, access: 'read', added_at: nowIso() })
      .execute();
    const theirs = await post(colleague, { customerId, type: 'visit', content: '协助拜访', at: ago(2 * MIN) });
    const mine = await post(me, { customerId, type: 'phone', content: '电话跟进', at: ago(MIN) });

    const timeline = await me.get(`/api/v1/follow-ups?customerId=${customerId}`);
    expect(timeline.statusCode).toBe(200);
    expect(timeline.json().items.map((f: FollowUp) => [f.id, f.ownerName, f.canEdit])).toEqual([
      [mine.id, '王经理', true],
      [theirs.id, '马超', false],
    ]);
    // the customer's owner sees it, but it is not theirs to change
    expect((await me.get(`/api/v1/follow-ups/${theirs.id}`)).statusCode).toBe(200);
    const edit = await me.patch(`/api/v1/follow-ups/${theirs.id}`, { version: theirs.version, content: '改别人的' });
    expect(edit.statusCode).toBe(403);
    expect((await me.delete(`/api/v1/follow-ups/${theirs.id}`)).statusCode).toBe(403);
    // the team view (authors in my follow-up scope) leaves the colleague's out
    const team = await me.get(`/api/v1/follow-ups?customerId=${customerId}&view=team`);
    expect(team.json().items.map((f: FollowUp) => f.id)).toEqual([mine.id]);
    // an admin may change anyone's
    const byAdmin = await admin.patch(`/api/v1/follow-ups/${theirs.id}`, { version: theirs.version, content: '管理员更正' });
    expect(byAdmin.statusCode, byAdmin.body).toBe(200);
  });

  it('pages newest first with a keyset cursor and filters by type and time', async () => {
    const customerId = await seedCustomer(db, { name: '惠州电子', owner_id: users.me.id });
    const made: FollowUp[] = [];
    for (let i = 0; i < 5; i++)
      made.push(await post(me, { customerId, type: i % 2 ? 'mail' : 'phone', content: `第${i}次`, at: ago((10 - i) * DAY) }));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const body: { items: FollowUp[]; nextCursor: string | null } = (
        await me.get(`/api/v1/follow-ups?customerId=${customerId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...body.items.map((f) => f.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(made.map((f) => f.id).reverse());
    const mails = (await me.get(`/api/v1/follow-ups?customerId=${customerId}&type=mail`)).json();
    expect(mails.items.map((f: FollowUp) => f.content)).toEqual(['第3次', '第1次']);
    const range = (
      await me.get(
        `/api/v1/follow-ups?customerId=${customerId}&from=${encodeURIComponent(made[1].at)}&to=${encodeURIComponent(made[3].at)}`,
      )
    ).json();
    expect(range.items.map((f: FollowUp) => f.content)).toEqual(['第2次', '第1次']);
    const bad = await me.get(`/api/v1/follow-ups?cursor=nonsense`);
    expect(bad.statusCode).toBe(400);
  });
});

describe('attachments', () => {
  it('links files the author uploaded; refuses unknown and foreign ones; a new list removes the rest', async () => {
    const customerId = await seedCustomer(db, { name: '汕头玩具', owner_id: users.me.id });
    const a = await seedFile(users.me.id);
    const b = await seedFile(users.me.id);
    const foreign = await seedFile(users.otherDept.id);
    const refused = await me.post('/api/v1/follow-ups', { customerId, type: 'visit', content: '附件', attachmentIds: [a, foreign] });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0].field).toBe('attachmentIds.1');
    const unknown = await me.post('/api/v1/follow-ups', { customerId, type: 'visit', content: '附件', attachmentIds: [newId()] });
    expect(unknown.json().errors[0].field).toBe('attachmentIds.0');
    // nothing was linked by the refused calls
    expect((await db.selectFrom('files').select('entity').where('id', '=', a).executeTakeFirstOrThrow()).entity).toBeNull();

    const f = await post(me, { customerId, type: 'visit', content: '附件', attachmentIds: [a, b] });
    expect(f.attachments.map((x) => x.id)).toEqual([a, b]);
    expect(await db.selectFrom('files').select(['entity', 'entity_id']).where('id', '=', a).executeTakeFirstOrThrow()).toEqual({
      entity: 'follow_up',
      entity_id: f.id,
    });
    // a file already attached cannot go on another follow-up
    const again = await me.post('/api/v1/follow-ups', { customerId, type: 'visit', content: '再用', attachmentIds: [a] });
    expect(again.statusCode).toBe(400);
    const upd = await me.patch(`/api/v1/follow-ups/${f.id}`, { version: f.version, attachmentIds: [b] });
    expect(upd.statusCode, upd.body).toBe(200);
    expect(upd.json().attachments.map((x: { id: string }) => x.id)).toEqual([b]);
    expect((await db.selectFrom('files').select('deleted_at').where('id', '=', a).executeTakeFirstOrThrow()).deleted_at).not.toBeNull();
  });
});

describe('recycle bin', () => {
  it('a deleted follow-up is restored by an admin and counts as contact again', async () => {
    const customerId = await seedCustomer(db, { name: '湛江水产', owner_id: users.me.id });
    const f = await post(me, { customerId, type: 'phone', content: '恢复测试', at: ago(DAY) });
    await me.delete(`/api/v1/follow-ups/${f.id}`);
    expect((await customerRow(customerId)).last_contact_at).toBeNull();
    expect((await me.get(`/api/v1/follow-ups/${f.id}`)).statusCode).toBe(404);
    const bin = (await admin.get('/api/v1/recycle-bin?entity=follow_up')).json();
    const entry = bin.items.find((i: { entityId: string }) => i.entityId === f.id);
    expect(entry).toMatchObject({ label: '恢复测试', labelKey: 'followups.entity' });
    expect((await admin.post(`/api/v1/recycle-bin/${entry.id}/restore`)).statusCode).toBe(200);
    expect((await customerRow(customerId)).last_contact_at).toBe(f.at);
    const history = await me.get(`/api/v1/audit/follow_up/${f.id}`);
    expect(history.statusCode).toBe(200);
    expect(
      history
        .json()
        .items.map((e: { action: string }) => e.action)
        .sort(),
    ).toEqual(['create', 'delete', 'restore']);
  });
});

describe.each(SCOPES.map((s) => [s]))('follow-up data scope %s', (scope) => {
  const visible = VISIBLE[scope];
  const records = {} as Record<Owner, string>;

  beforeAll(async () => {
    await db.deleteFrom('follow_ups').execute();
    await grant({ customers: { actions: ['view'], scope: 'self' }, followups: { actions: ALL, scope } });
    for (const o of OWNERS) {
      // each writes on a customer of their own, so only the follow-up scope decides
      const customerId = await seedCustomer(db, { name: `${scope}-${o}-客户`, owner_id: users[o].id });
      const id = newId();
      const now = nowIso();
      await db
        .insertInto('follow_ups')
        .values({
          id,
          customer_id: customerId,
          type: 'phone',
          content: `${o} 的跟单`,
          at: now,
          owner_id: users[o].id,
          owner_department_id: users[o].departmentId,
          version: 1,
          created_at: now,
          updated_at: now,
        })
        .execute();
      records[o] = id;
    }
  });

  it(`lists exactly ${visible.join(', ')}`, async () => {
    for (const q of ['', '?view=team']) {
      const res = await me.get(`/api/v1/follow-ups${q}`);
      expect(res.statusCode).toBe(200);
      expect(
        res
          .json()
          .items.map((f: FollowUp) => f.id)
          .sort(),
        q,
      ).toEqual(visible.map((o) => records[o]).sort());
    }
    const mine = (await me.get('/api/v1/follow-ups?view=mine')).json();
    expect(mine.items.map((f: FollowUp) => f.id)).toEqual([records.me]);
  });

  it.each(OWNERS.map((o) => [o]))('reads the follow-up of %s only within scope; changes only its own', async (owner) => {
    const res = await me.get(`/api/v1/follow-ups/${records[owner]}`);
    expect(res.statusCode).toBe(visible.includes(owner) ? 200 : 404);
    const edit = await me.patch(`/api/v1/follow-ups/${records[owner]}`, { version: 1, content: '改' });
    expect(edit.statusCode).toBe(owner === 'me' ? 200 : visible.includes(owner) ? 403 : 404);
  });
});
