import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@server/db/types';
import { newId, nowIso } from '@server/db/ids';
import { normaliseCompanyName, normalisePhone } from '@common/customers/normalise';
import { Client, createTestApp, loginAs, setupAdmin, type TestApp } from '@server/test/app';
import { createDepartment, createPosition, createUser, DEFAULT_PASSWORD, permissions } from '@server/test/factories';
import { seedCustomer } from './testing';
import { reindexCustomer } from './customer-search';
import { duplicateCheck } from './duplicates';
import { getCustomerSettings } from './customer-settings.service';

/**
 * Merging duplicates: from a duplicate report, and directly. Every linked record moves to the kept
 * customer; the merged one disappears but its name and phone keep pointing at the kept one.
 */

let t: TestApp;
let db: Db;
let admin: Client;
let alice: Client;
const ids = { alice: '', bob: '', carol: '', dave: '' };

beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
  admin = await setupAdmin(t.app);
  const dept = await createDepartment(db, { name: '华东销售部' });
  const pos = await createPosition(db, {
    name: '销售代表',
    permissions: permissions({ customers: { actions: ['view', 'create', 'edit'], scope: 'self' } }),
  });
  for (const name of ['alice', 'bob', 'carol', 'dave'] as const) {
    ids[name] = (await createUser(db, { username: name, name, departmentId: dept, positionId: pos })).id;
  }
  alice = await loginAs(t.app, 'alice', DEFAULT_PASSWORD);
  // a category without required fields, so seeded customers in it may be edited as they are
  const settings = (await admin.get('/api/v1/customer-settings')).json();
  const put = await admin.put('/api/v1/customer-settings', {
    ...settings,
    categories: [...settings.categories, { key: 'plain', label: '普通', requiredFields: [], visitCycleDays: null }],
  });
  expect(put.statusCode, put.body).toBe(200);
});
afterAll(() => t.close());

const now = () => nowIso();

/** A customer with its duplicate keys (those still free) and search index, as the customer service would leave it. */
async function customer(fields: Parameters<typeof seedCustomer>[1]) {
  const id = await seedCustomer(db, fields);
  const keys = [
    `n:${normaliseCompanyName(fields.name)}`,
    ...(JSON.parse(fields.phones ?? '[]') as string[]).map((p) => `p:${normalisePhone(p)}`),
  ];
  await db
    .insertInto('customer_keys')
    .values(keys.map((key) => ({ key, customer_id: id })))
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  await reindexCustomer(db, id);
  return id;
}

async function contact(customerId: string, name: string, isPrimary = 0) {
  const id = newId();
  await db
    .insertInto('contacts')
    .values({
      id,
      customer_id: customerId,
      name,
      is_primary: isPrimary,
      decision_maker: 0,
      custom: '{}',
      version: 1,
      created_at: now(),
      updated_at: now(),
    })
    .execute();
  return id;
}

/** A source customer with one record of every link kind; returns the ids. */
async function linkedRecords(sourceId: string, targetId: string) {
  const contactId = await contact(sourceId, '王五', 1);
  const followUpId = newId();
  await db
    .insertInto('follow_ups')
    .values({
      id: followUpId,
      customer_id: sourceId,
      contact_id: contactId,
      type: 'phone',
      content: '电话沟通报价',
      at: '2030-01-02T02:00:00.000Z',
      owner_id: ids.alice,
      version: 1,
      created_at: now(),
      updated_at: now(),
    })
    .execute();
  const scheduleId = newId();
  await db
    .insertInto('schedules')
    .values({
      id: scheduleId,
      customer_id: sourceId,
      owner_id: ids.alice,
      title: '上门拜访',
      done: 0,
      all_day: 0,
      start_at: '2030-01-05T02:00:00.000Z',
      version: 1,
      created_at: now(),
      updated_at: now(),
    })
    .execute();
  const dateId = newId();
  await db
    .insertInto('important_dates')
    .values({
      id: dateId,
      customer_id: sourceId,
      title: '公司成立日',
      date: '2010-06-01',
      repeat: 'yearly',
      remind_days: 3,
      created_at: now(),
    })
    .execute();
  const fileId = newId();
  await db
    .insertInto('files')
    .values({
      id: fileId,
      name: '合同.pdf',
      mime: 'application/pdf',
      size: 10,
      sha256: 'x',
      entity: 'customer',
      entity_id: sourceId,
      created_at: now(),
    })
    .execute();
  const leadId = newId();
  await db
    .insertInto('leads')
    .values({
      id: leadId,
      name: '王五',
      status: 'converted',
      converted_customer_id: sourceId,
      custom: '{}',
      version: 1,
      created_at: now(),
      updated_at: now(),
    })
    .execute();
  const historyId = newId();
  await db
    .insertInto('customer_owner_history')
    .values({
      id: historyId,
      customer_id: sourceId,
      from_user_id: null,
      to_user_id: ids.alice,
      reason: 'create',
      actor_id: ids.alice,
      at: now(),
    })
    .execute();
  // teams: carol reads the target and writes the source (→ write); dave reads the source (→ joins);
  // bob, the target's owner, is on the source's team and needs no seat
  await db
    .insertInto('customer_team')
    .values([
      { customer_id: sourceId, user_id: ids.carol, access: 'write', added_at: now() },
      { customer_id: sourceId, user_id: ids.dave, access: 'read', added_at: now() },
      { customer_id: sourceId, user_id: ids.bob, access: 'write', added_at: now() },
      { customer_id: targetId, user_id: ids.carol, access: 'read', added_at: now() },
    ])
    .execute();
  return { contactId, followUpId, scheduleId, dateId, fileId, leadId, historyId };
}

describe('merging a reported duplicate', () => {
  it('moves every linked record to the kept customer, and the merged one is gone but still found as a duplicate', async () => {
    const target = await customer({
      name: '深圳市任我行科技有限公司',
      owner_id: ids.bob,
      phones: JSON.stringify(['075586001234']),
      tags: JSON.stringify(['软件']),
      notes: '老客户',
      last_contact_at: '2030-01-01T00:00:00.000Z',
      category: 'direct',
    });
    await contact(target, '张三', 1);
    const source = await customer({
      name: '任我行软件',
      owner_id: ids.alice,
      phones: JSON.stringify(['0755-8600 1234', '13800138000']),
      tags: JSON.stringify(['软件', '重点']),
      notes: '新录入',
      importance: 'high',
      last_contact_at: '2030-01-03T00:00:00.000Z',
      category: 'channel',
    });
    const linked = await linkedRecords(source, target);

    const filed = await alice.post('/api/v1/customer-reports', {
      customerId: source,
      kind: 'duplicate',
      targetCustomerId: target,
      note: '与任我行科技重复',
    });
    expect(filed.statusCode, filed.body).toBe(201);
    // another open report of the same pair (the other way round), and one about the source alone
    const pairId = newId();
    const otherId = newId();
    await db
      .insertInto('customer_reports')
      .values([
        {
          id: pairId,
          customer_id: target,
          kind: 'duplicate',
          target_customer_id: source,
          note: '反向',
          status: 'open',
          reporter_id: ids.dave,
          created_at: now(),
        },
        {
          id: otherId,
          customer_id: source,
          kind: 'wrong_owner',
          target_customer_id: null,
          note: '归属',
          status: 'open',
          reporter_id: ids.dave,
          created_at: now(),
        },
      ])
      .execute();

    const res = await admin.post(`/api/v1/customer-reports/${filed.json().id}/resolve`, { action: 'merge', note: '确认重复，合并' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().report).toMatchObject({ status: 'merged', customerId: source, targetCustomerId: target, customerDeleted: true });
    expect(res.json().merge.moved).toMatchObject({
      'contacts.customer_id': 1,
      'follow_ups.customer_id': 1,
      'schedules.customer_id': 1,
      'important_dates.customer_id': 1,
      'leads.converted_customer_id': 1,
      'files.entity_id': 1,
      'customer_owner_history.customer_id': 1,
      'customer_team.customer_id': 2,
      'customer_keys.customer_id': 2,
    });

    // every link now points at the kept customer
    const one = async (table: 'follow_ups' | 'schedules' | 'important_dates', id: string) =>
      (await db.selectFrom(table).select('customer_id').where('id', '=', id).executeTakeFirstOrThrow()).customer_id;
    expect(await one('follow_ups', linked.followUpId)).toBe(target);
    expect(await one('schedules', linked.scheduleId)).toBe(target);
    expect(await one('important_dates', linked.dateId)).toBe(target);
    const moved = await db
      .selectFrom('contacts')
      .select(['customer_id', 'is_primary', 'version'])
      .where('id', '=', linked.contactId)
      .executeTakeFirstOrThrow();
    // the kept customer already has a primary contact
    expect(moved).toEqual({ customer_id: target, is_primary: 0, version: 2 });
    expect((await db.selectFrom('files').select('entity_id').where('id', '=', linked.fileId).executeTakeFirstOrThrow()).entity_id).toBe(
      target,
    );
    expect(
      (await db.selectFrom('leads').select('converted_customer_id').where('id', '=', linked.leadId).executeTakeFirstOrThrow())
        .converted_customer_id,
    ).toBe(target);
    const team = await db
      .selectFrom('customer_team')
      .select(['customer_id', 'user_id', 'access'])
      .where('customer_id', 'in', [source, target])
      .orderBy('user_id')
      .execute();
    expect(team).toEqual(
      [
        { customer_id: target, user_id: ids.carol, access: 'write' },
        { customer_id: target, user_id: ids.dave, access: 'read' },
      ].sort((a, b) => a.user_id.localeCompare(b.user_id)),
    );
    const history = await db.selectFrom('customer_owner_history').selectAll().where('customer_id', '=', target).orderBy('at').execute();
    expect(history.map((h) => h.id)).toContain(linked.historyId);
    expect(history.find((h) => h.reason === 'merge')).toMatchObject({
      from_user_id: ids.alice,
      to_user_id: ids.bob,
      note: '确认重复，合并',
    });

    // the kept customer gains phones and tags (no duplicates), notes, the later contact time, and fills its gaps
    const kept = await db.selectFrom('customers').selectAll().where('id', '=', target).executeTakeFirstOrThrow();
    expect(JSON.parse(kept.phones)).toEqual(['075586001234', '13800138000']);
    expect(JSON.parse(kept.tags)).toEqual(['软件', '重点']);
    expect(kept.notes).toBe('老客户\n\n【任我行软件】\n新录入');
    expect(kept.last_contact_at).toBe('2030-01-03T00:00:00.000Z');
    expect(kept.importance).toBe('high');
    expect(kept.category).toBe('direct');
    expect(kept.owner_id).toBe(ids.bob);
    expect(kept.deleted_at).toBeNull();

    // the merged customer is gone, its keys find the kept one, its grams left the index
    const gone = await db.selectFrom('customers').select('deleted_at').where('id', '=', source).executeTakeFirstOrThrow();
    expect(gone.deleted_at).not.toBeNull();
    const key = await db
      .selectFrom('customer_keys')
      .select('customer_id')
      .where('key', '=', `n:${normaliseCompanyName('任我行软件')}`)
      .executeTakeFirstOrThrow();
    expect(key.customer_id).toBe(target);
    expect(await db.selectFrom('customer_keys').select('key').where('customer_id', '=', source).execute()).toEqual([]);
    // the duplicate check (查重) on the merged name answers with the kept customer's owner
    expect(await duplicateCheck(db, { name: '任我行软件' }, await getCustomerSettings(db))).toEqual({
      matches: [{ by: 'name', ownerName: 'bob', inPool: false }],
    });
    expect(
      await db.selectFrom('search_grams').select('gram').where('entity', '=', 'customer').where('entity_id', '=', source).execute(),
    ).toEqual([]);
    // the moved contact's name now finds the kept customer
    const grams = (
      await db.selectFrom('search_grams').select('gram').where('entity', '=', 'customer').where('entity_id', '=', target).execute()
    ).map((g) => g.gram);
    expect(grams).toContain('王五');

    // reports: this one and the reverse one of the pair settled; the other open one follows the customer
    const reports = await db.selectFrom('customer_reports').selectAll().where('id', 'in', [filed.json().id, pairId, otherId]).execute();
    const byId = Object.fromEntries(reports.map((r) => [r.id, r]));
    expect(byId[filed.json().id]).toMatchObject({ status: 'merged', customer_id: source, target_customer_id: target });
    expect(byId[pairId]).toMatchObject({ status: 'merged', customer_id: target, target_customer_id: source });
    expect(byId[otherId]).toMatchObject({ status: 'open', customer_id: target });

    // reporters hear of it, alice without the name of the customer she cannot see
    const told = await db.selectFrom('notifications').selectAll().where('type', '=', 'customer_report.resolved').execute();
    expect(told.map((n) => n.user_id).sort()).toEqual([ids.alice, ids.dave].sort());
    const aliceNotice = told.find((n) => n.user_id === ids.alice)!;
    expect(aliceNotice.title).toBe('你举报的客户“任我行软件”已与重复客户合并');
    expect(aliceNotice.title).not.toContain('任我行科技');

    // audited on both, with counts
    const audit = await db.selectFrom('audit_log').selectAll().where('action', '=', 'merge').execute();
    expect(audit.map((a) => a.entity_id).sort()).toEqual([source, target].sort());
    expect(audit[0].detail).toContain('contacts.customer_id=1');
    expect(
      await db
        .selectFrom('audit_log')
        .select('entity_id')
        .where('entity', '=', 'customer_report')
        .where('action', '=', 'resolve')
        .execute(),
    ).toHaveLength(2);

    // through the customer API: gone from the list and its page, its name still taken by the kept customer's owner
    const list = await admin.get('/api/v1/customers?limit=200');
    expect(list.statusCode, list.body).toBe(200);
    const listed = list.json().items.map((c: { id: string }) => c.id);
    expect(listed).toContain(target);
    expect(listed).not.toContain(source);
    expect((await admin.get(`/api/v1/customers/${source}`)).statusCode).toBe(404);
    const check = await alice.get(`/api/v1/customers/duplicate-check?name=${encodeURIComponent('任我行软件')}`);
    expect(check.statusCode, check.body).toBe(200);
    expect(check.json().matches).toEqual([expect.objectContaining({ by: 'name', ownerName: 'bob' })]);

    // merged away: reporting it again answers 404
    const again = await alice.post('/api/v1/customer-reports', { customerId: source, kind: 'other', note: '还在吗' });
    expect(again.statusCode).toBe(404);
  });
});

describe('POST /customers/:id/merge', () => {
  it('is for admins only', async () => {
    const a = await customer({ name: '华强电子', owner_id: ids.alice });
    const b = await customer({ name: '华强电子（深圳）', owner_id: ids.alice });
    const res = await alice.post(`/api/v1/customers/${a}/merge`, { sourceId: b });
    expect(res.statusCode).toBe(403);
    expect((await db.selectFrom('customers').select('deleted_at').where('id', '=', b).executeTakeFirstOrThrow()).deleted_at).toBeNull();
  });

  it('refuses merging a customer into itself, or a missing one', async () => {
    const a = await customer({ name: '赛格科技', owner_id: ids.alice });
    const self = await admin.post(`/api/v1/customers/${a}/merge`, { sourceId: a });
    expect(self.statusCode).toBe(400);
    expect(self.json().errors[0]).toMatchObject({ field: 'sourceId', code: 'customer_merge_self' });
    expect((await admin.post(`/api/v1/customers/${a}/merge`, { sourceId: newId() })).statusCode).toBe(404);
    expect((await admin.post(`/api/v1/customers/${newId()}/merge`, { sourceId: a })).statusCode).toBe(404);
  });

  it('merges directly and settles the open duplicate reports of the pair', async () => {
    const target = await customer({ name: '南山软件园', owner_id: ids.bob, phones: JSON.stringify(['075526000001']) });
    const source = await customer({ name: '南山软件园管理处', owner_id: ids.alice, phones: JSON.stringify(['075526000002']) });
    const c = await contact(source, '李四');
    const filed = await alice.post('/api/v1/customer-reports', {
      customerId: source,
      kind: 'duplicate',
      targetCustomerId: target,
      note: '重复',
    });
    const res = await admin.post(`/api/v1/customers/${target}/merge`, { sourceId: source, note: '直接合并' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ targetId: target, sourceId: source });
    expect((await db.selectFrom('contacts').select('customer_id').where('id', '=', c).executeTakeFirstOrThrow()).customer_id).toBe(target);
    expect(
      (await db.selectFrom('customer_reports').select('status').where('id', '=', filed.json().id).executeTakeFirstOrThrow()).status,
    ).toBe('merged');
    const keys = await db.selectFrom('customer_keys').select('key').where('customer_id', '=', target).execute();
    expect(keys.map((k) => k.key).sort()).toEqual(
      [
        'n:' + normaliseCompanyName('南山软件园'),
        'n:' + normaliseCompanyName('南山软件园管理处'),
        'p:075526000001',
        'p:075526000002',
      ].sort(),
    );
    // a second merge of the same source finds it gone
    expect((await admin.post(`/api/v1/customers/${target}/merge`, { sourceId: source })).statusCode).toBe(404);
  });
});

describe('after a merge', () => {
  const check = async (q: { name?: string; phone?: string }) =>
    (await alice.get(`/api/v1/customers/duplicate-check?${new URLSearchParams(q).toString()}`)).json().matches;

  it('keeps the merged-in name and phones as duplicates of the kept customer through its later edits', async () => {
    const target = await customer({
      name: '恒通精密机械有限公司',
      owner_id: ids.bob,
      category: 'plain',
      phones: JSON.stringify(['075527000001']),
    });
    const source = await customer({ name: '恒通精机贸易商行', owner_id: ids.alice, phones: JSON.stringify(['075527000002']) });
    expect((await admin.post(`/api/v1/customers/${target}/merge`, { sourceId: source })).statusCode).toBe(200);
    const bob = [{ by: 'name', ownerName: 'bob', inPool: false }];
    expect(await check({ name: '恒通精机贸易商行' })).toEqual(bob);

    // an edit of something else leaves every key alone
    let current = (await admin.get(`/api/v1/customers/${target}`)).json();
    const notes = await admin.patch(`/api/v1/customers/${target}`, { version: current.version, notes: '合并后补充' });
    expect(notes.statusCode, notes.body).toBe(200);
    expect(await check({ name: '恒通精机贸易商行' })).toEqual(bob);
    expect(await check({ phone: '0755-2700 0002' })).toEqual([{ by: 'phone', ownerName: 'bob', inPool: false }]);

    // a new name frees the customer's own old name only; a phone taken out frees its key
    current = notes.json();
    expect(current.phones).toEqual(['075527000001', '075527000002']);
    const renamed = await admin.patch(`/api/v1/customers/${target}`, {
      version: current.version,
      name: '恒通智能装备有限公司',
      phones: ['075527000002', '075527000003'],
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(await check({ name: '恒通精机贸易商行' })).toEqual(bob);
    expect(await check({ name: '恒通智能装备有限公司' })).toEqual(bob);
    expect(await check({ name: '恒通精密机械有限公司' })).toEqual([]);
    expect(await check({ phone: '075527000001' })).toEqual([]);
    expect(await check({ phone: '075527000003' })).toEqual([{ by: 'phone', ownerName: 'bob', inPool: false }]);
    const keys = await db.selectFrom('customer_keys').select('key').where('customer_id', '=', target).execute();
    expect(keys.map((k) => k.key).sort()).toEqual(
      [
        'n:' + normaliseCompanyName('恒通智能装备有限公司'),
        'n:' + normaliseCompanyName('恒通精机贸易商行'),
        'p:075527000002',
        'p:075527000003',
      ].sort(),
    );
  });
});

describe('phones of a merge', () => {
  it('keeps at most 20 phones on the kept customer, which its edit form can save again', async () => {
    const numbers = (from: number, n: number) => Array.from({ length: n }, (_v, i) => `0755${String(29000000 + from + i)}`);
    const target = await customer({
      name: '宝安电池有限公司',
      owner_id: ids.bob,
      category: 'plain',
      phones: JSON.stringify(numbers(0, 8)),
    });
    const source = await customer({ name: '宝安电池销售部', owner_id: ids.alice, phones: JSON.stringify(numbers(100, 15)) });
    expect((await admin.post(`/api/v1/customers/${target}/merge`, { sourceId: source })).statusCode).toBe(200);
    const merged = (await admin.get(`/api/v1/customers/${target}`)).json();
    expect(merged.phones).toEqual([...numbers(0, 8), ...numbers(100, 12)]);
    // the numbers left out still find the kept customer
    const dup = await alice.get(`/api/v1/customers/duplicate-check?phone=${numbers(114, 1)[0]}`);
    expect(dup.json().matches).toEqual([{ by: 'phone', ownerName: 'bob', inPool: false }]);

    const saved = await admin.patch(`/api/v1/customers/${target}`, { version: merged.version, phones: [...merged.phones].reverse() });
    expect(saved.statusCode, saved.body).toBe(200);
    const tooMany = await admin.patch(`/api/v1/customers/${target}`, { version: saved.json().version, phones: numbers(200, 21) });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().errors[0].field).toBe('phones');
  });
});
