import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '@common/schemas/customers';
import { createTestApp, type TestApp } from '@server/test/app';
import type { CustomerSettings } from '@common/schemas/customer-settings';
import { create, customersWorld, patchSettings, PLAIN_CATEGORY, type World } from './customers.testing';

/** 客户档案: create, read, edit, delete / restore, team, required fields, caps, numbering, field rules, audit. */

let t: TestApp;
let w: World;

beforeAll(async () => {
  t = await createTestApp();
  w = await customersWorld(t);
});
afterAll(() => t?.close());

const url = (id = '') => `/api/v1/customers${id ? `/${id}` : ''}`;

const complete = {
  category: 'direct',
  importance: 'high',
  phone: '0755-2671 0001',
  contacts: [{ name: '张三', mobile: '13800000001', email: 'zhang@example.cn' }],
};

async function auditOf(entityId: string) {
  return w.db
    .selectFrom('audit_log')
    .selectAll()
    .where('entity', '=', 'customer')
    .where('entity_id', '=', entityId)
    .orderBy('id')
    .execute();
}

describe('create and read', () => {
  it('creates with the caller as owner, a numbered code, contacts, region name and audit', async () => {
    const c = await create(w.alice.client, {
      ...complete,
      name: '深圳市任我行科技有限公司',
      shortName: '任我行',
      stage: 'target',
      regionCode: '440305',
      address: '南山区科技园',
      tags: ['重点', '重点', '软件'],
      notes: '  展会认识  ',
    });
    expect(c).toMatchObject({
      name: '深圳市任我行科技有限公司',
      ownerId: w.alice.id,
      ownerName: '王小丽',
      ownerDepartmentId: w.depts.shenzhen,
      ownerDepartmentName: '深圳销售部',
      createdBy: w.alice.id,
      createdByName: '王小丽',
      regionName: '广东省 / 深圳市 / 南山区',
      phones: ['0755-2671 0001'],
      tags: ['重点', '软件'],
      notes: '展会认识',
      inPool: false,
      canEdit: true,
      hiddenFields: [],
      version: 1,
      team: [],
    });
    expect(c.code).toMatch(/^KH\d{6}0001$/);

    const contacts = await w.db.selectFrom('contacts').select(['name', 'is_primary']).where('customer_id', '=', c.id).execute();
    expect(contacts).toEqual([{ name: '张三', is_primary: 1 }]);
    const history = await w.db.selectFrom('customer_owner_history').selectAll().where('customer_id', '=', c.id).execute();
    expect(history).toMatchObject([{ from_user_id: null, to_user_id: w.alice.id, reason: 'create' }]);
    const entries = await auditOf(c.id);
    expect(entries.map((e) => e.action)).toEqual(['create']);
    expect(JSON.parse(entries[0].changes!).name).toEqual([null, '深圳市任我行科技有限公司']);

    const got = await w.alice.client.get(url(c.id));
    expect(got.statusCode).toBe(200);
    expect(got.json()).toMatchObject({ id: c.id, code: c.code });

    // the next customer of the month gets the next number
    const next = await create(w.alice.client, { name: '广州云端软件有限公司' });
    expect(next.code).toBe(c.code!.replace(/0001$/, '0002'));
  });

  it('follows the numbering rule of the settings and refuses a code typed twice', async () => {
    await patchSettings(w.admin, (s) => ({ ...s, code: { prefix: 'C-', date: 'none', digits: 5 } }));
    try {
      const a = await create(w.bob.client, { name: '东莞精密模具厂' });
      expect(a.code).toBe('C-00001');
      // a code typed by hand is skipped by the counter
      const typed = await create(w.bob.client, { name: '惠州电池有限公司', code: 'C-00002' });
      expect(typed.code).toBe('C-00002');
      const b = await create(w.bob.client, { name: '中山灯饰有限公司' });
      expect(b.code).toBe('C-00003');
      const dup = await w.bob.client.post(url(), { name: '江门摩托有限公司', code: 'C-00003' });
      expect(dup.statusCode).toBe(400);
      expect(dup.json().errors).toMatchObject([{ field: 'code', code: 'duplicate' }]);
    } finally {
      await patchSettings(w.admin, (s) => ({ ...s, code: { prefix: 'KH', date: 'yyyymm', digits: 4 } }));
    }
  });

  it('refuses unknown list keys and region codes, naming the field', async () => {
    for (const [field, body] of [
      ['stage', { stage: 'nope' }],
      ['category', { category: 'nope' }],
      ['industry', { industry: 'nope' }],
      ['regionCode', { regionCode: '449999' }],
    ] as const) {
      const res = await w.alice.client.post(url(), { name: `测试${field}有限公司`, ...body });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().errors).toMatchObject([{ field, code: 'invalid_value' }]);
    }
  });

  it('another owner needs the transfer right, and must be an active user', async () => {
    const refused = await w.alice.client.post(url(), { name: '佛山陶瓷有限公司', ownerId: w.bob.id });
    expect(refused.statusCode).toBe(403);
    const c = await create(w.chief.client, { name: '佛山陶瓷有限公司', ownerId: w.bob.id });
    expect(c).toMatchObject({ ownerId: w.bob.id, createdBy: w.chief.id });
    await w.db.updateTable('users').set({ status: 'left' }).where('id', '=', w.gina.id).execute();
    try {
      const gone = await w.chief.client.post(url(), { name: '珠海游艇有限公司', ownerId: w.gina.id });
      expect(gone.statusCode).toBe(400);
      expect(gone.json().errors).toMatchObject([{ field: 'ownerId', code: 'inactive' }]);
    } finally {
      await w.db.updateTable('users').set({ status: 'active' }).where('id', '=', w.gina.id).execute();
    }
  });

  it('answers 404 for a customer outside the scope', async () => {
    const c = await create(w.carol.client, { name: '北京京东方显示有限公司' });
    expect((await w.alice.client.get(url(c.id))).statusCode).toBe(404);
    expect((await w.alice.client.patch(url(c.id), { version: 1, notes: 'x' })).statusCode).toBe(404);
    expect((await w.alice.client.delete(url(c.id))).statusCode).toBe(404);
    expect((await w.alice.client.get(`/api/v1/audit/customer/${c.id}`)).statusCode).toBe(404);
    expect((await w.carol.client.get(`/api/v1/audit/customer/${c.id}`)).statusCode).toBe(200);
  });
});

describe('required fields per category', () => {
  it('lists what is missing in the caller language and records an incomplete save', async () => {
    const res = await w.bob.client.post(url(), { name: '深圳华强电子有限公司', category: 'direct' });
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.code).toBe('customer_incomplete');
    expect(body.detail).toBe('客户资料不完整，缺少：电话、重要程度、联系人手机、联系人邮箱');
    expect(body.errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`)).toEqual([
      'phones:required',
      'importance:required',
      'contact.mobile:required',
      'contact.email:required',
    ]);
    const en = await w.bob.client.request('POST', url(), { name: '深圳华强电子有限公司', category: 'direct' }, { 'accept-language': 'en' });
    expect(en.json().detail).toBe('The customer record is incomplete; missing: Phones, Importance, Contact mobile, Contact email');
    expect(await w.db.selectFrom('customers').select('id').where('name', '=', '深圳华强电子有限公司').execute()).toEqual([]);
    const events = await w.db.selectFrom('customer_quality_events').selectAll().where('user_id', '=', w.bob.id).execute();
    expect(events.filter((e) => e.kind === 'incomplete_save')).toHaveLength(2);

    // a contact with only a mobile still lacks the email
    const partly = await w.bob.client.post(url(), {
      ...complete,
      phone: '0755-8321 0000',
      name: '深圳华强电子有限公司',
      contacts: [{ name: '李四', mobile: '13900000002' }],
    });
    expect(partly.json().errors).toMatchObject([{ field: 'contact.email', code: 'required' }]);
    await create(w.bob.client, { ...complete, name: '深圳华强电子有限公司', phone: '0755-8321 0000' });
  });

  it('checks the live contacts and the new values on edit', async () => {
    const c = await create(w.bob.client, { name: '深圳赛格电子有限公司', phone: '0755-8888 1234' });
    const res = await w.bob.client.patch(url(c.id), { version: c.version, category: 'channel' });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual(['importance', 'contact.mobile', 'contact.email']);
    const ok = await w.bob.client.post('/api/v1/contacts', {
      customerId: c.id,
      name: '王五',
      mobile: '13700000003',
      email: 'w@example.cn',
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const fixed = await w.bob.client.patch(url(c.id), { version: c.version, category: 'channel', importance: 'normal' });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(fixed.json()).toMatchObject({ category: 'channel', importance: 'normal' });
  });
});

describe('the default category', () => {
  it('gives a customer created or edited without a category the first one, whose required fields apply', async () => {
    // the settings as installed (直销 first), with the world's 普通 moved to the end
    const original = (await w.admin.get('/api/v1/customer-settings')).json() as CustomerSettings;
    const rest = original.categories.filter((c) => c.key !== PLAIN_CATEGORY.key);
    await patchSettings(w.admin, (s) => ({ ...s, categories: [...rest, PLAIN_CATEGORY] }));
    try {
      const bare = await w.bob.client.post(url(), { name: '深圳无类别电子有限公司' });
      expect(bare.statusCode).toBe(422);
      expect(bare.json().errors.map((e: { field: string }) => e.field)).toEqual([
        'phones',
        'importance',
        'contact.mobile',
        'contact.email',
      ]);
      const { category: _category, ...withoutCategory } = complete;
      const direct = await create(w.bob.client, { ...withoutCategory, name: '深圳无类别电子有限公司', phone: '0755-7000 0001' });
      expect(direct.category).toBe('direct');

      // whatever category comes first is the default
      await patchSettings(w.admin, (s) => ({ ...s, categories: [rest[1], rest[0], PLAIN_CATEGORY] }));
      const channel = await create(w.bob.client, { ...withoutCategory, name: '深圳渠道默认有限公司', phone: '0755-7000 0002' });
      expect(channel.category).toBe('channel');

      // clearing the category on edit gives the default one, with its rules
      const plain = await create(w.bob.client, { name: '深圳普通类别有限公司', category: 'plain' });
      const cleared = await w.bob.client.patch(url(plain.id), { version: plain.version, category: null });
      expect(cleared.statusCode).toBe(422);
      expect(cleared.json().errors.map((e: { field: string }) => e.field)).toEqual([
        'phones',
        'importance',
        'contact.mobile',
        'contact.email',
      ]);
      const moved = await w.bob.client.patch(url(direct.id), { version: direct.version, category: '' });
      expect(moved.statusCode, moved.body).toBe(200);
      expect(moved.json().category).toBe('channel');
    } finally {
      await patchSettings(w.admin, (s) => ({ ...s, categories: original.categories }));
    }
  });
});

describe('caps', () => {
  it('refuses a create over the per-user cap with the reason', async () => {
    const owned = Number(
      (
        await w.db
          .selectFrom('customers')
          .select((e) => e.fn.countAll().as('n'))
          .where('owner_id', '=', w.gina.id)
          .executeTakeFirstOrThrow()
      ).n,
    );
    await patchSettings(w.admin, (s) => ({ ...s, caps: { ...s.caps, perUser: owned + 1 } }));
    try {
      await create(w.gina.client, { name: '广州白云机场物流有限公司' });
      const over = await w.gina.client.post(url(), { name: '广州天河城百货有限公司' });
      expect(over.statusCode).toBe(409);
      expect(over.json()).toMatchObject({ code: 'customer_cap_reached', detail: expect.stringContaining('陈广州') });
      // a deal customer does not count while deals are left out of the caps
      await create(w.gina.client, { name: '广州天河城百货有限公司', stage: 'deal' });
    } finally {
      await patchSettings(w.admin, (s) => ({ ...s, caps: { ...s.caps, perUser: 0 } }));
    }
  });
});

describe('edit, delete and restore', () => {
  let c: Customer;
  beforeAll(async () => {
    c = await create(w.alice.client, { name: '深圳大疆创新科技有限公司', phones: ['0755-2665 6677'], website: 'https://dji.example' });
  });

  it('edits with the version and refuses a stale one', async () => {
    const res = await w.alice.client.patch(url(c.id), { version: 1, shortName: '大疆', stage: 'intent', custom: {} });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ shortName: '大疆', stage: 'intent', version: 2 });
    const stale = await w.alice.client.patch(url(c.id), { version: 1, notes: '旧的' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('stale_version');
    const entries = await auditOf(c.id);
    const update = entries.find((e) => e.action === 'update')!;
    expect(JSON.parse(update.changes!)).toEqual({ shortName: [null, '大疆'], stage: [null, 'intent'] });
  });

  it('field rules: hidden phones are emptied and listed, and cannot be written', async () => {
    const mine = await create(w.intern.client, { name: '深圳顺丰速运有限公司' });
    expect(mine).toMatchObject({ phones: [], hiddenFields: ['phones'] });
    const refused = await w.intern.client.post(url(), { name: '深圳腾讯计算机系统有限公司', phone: '0755-8601 3388' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors).toMatchObject([{ field: 'phones', code: 'readonly' }]);
    const patch = await w.intern.client.patch(url(mine.id), { version: 1, phones: [] });
    expect(patch.json().errors).toMatchObject([{ field: 'phones', code: 'readonly' }]);
    // website is read-only: unchanged is fine, a change is refused
    expect((await w.intern.client.patch(url(mine.id), { version: 1, website: null })).statusCode).toBe(200);
    const web = await w.intern.client.patch(url(mine.id), { version: 2, website: 'https://sf.example' });
    expect(web.json().errors).toMatchObject([{ field: 'website', code: 'readonly' }]);
  });

  it('locking needs the transfer right', async () => {
    const res = await w.alice.client.patch(url(c.id), { version: 2, locked: true });
    expect(res.json().errors).toMatchObject([{ field: 'locked', code: 'readonly' }]);
  });

  it('team members get read or write access; read cannot edit', async () => {
    const bad = await w.alice.client.put(`${url(c.id)}/team`, { members: [{ userId: '0000000000000000000000000z', access: 'read' }] });
    expect(bad.statusCode).toBe(400);
    expect((await w.bob.client.get(url(c.id))).statusCode).toBe(404);
    const res = await w.alice.client.put(`${url(c.id)}/team`, {
      members: [
        { userId: w.bob.id, access: 'read' },
        { userId: w.carol.id, access: 'write' },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().team).toEqual([
      { userId: w.bob.id, name: '李大宝', access: 'read' },
      { userId: w.carol.id, name: '赵北京', access: 'write' },
    ]);
    const asBob = await w.bob.client.get(url(c.id));
    expect(asBob.json()).toMatchObject({ canEdit: false });
    expect((await w.bob.client.patch(url(c.id), { version: 2, notes: 'x' })).statusCode).toBe(403);
    const asCarol = await w.carol.client.patch(url(c.id), { version: 2, notes: '北京同事补充' });
    expect(asCarol.statusCode, asCarol.body).toBe(200);
    expect((await auditOf(c.id)).some((e) => e.action === 'team')).toBe(true);
  });

  it('deletes into the recycle bin, frees the name, and restores', async () => {
    const current = (await w.alice.client.get(url(c.id))).json() as Customer;
    expect((await w.alice.client.delete(`${url(c.id)}?version=${current.version - 1}`)).statusCode).toBe(409);
    const del = await w.alice.client.delete(`${url(c.id)}?version=${current.version}`);
    expect(del.statusCode).toBe(204);
    expect((await w.alice.client.get(url(c.id))).statusCode).toBe(404);
    expect(await w.db.selectFrom('customer_keys').select('key').where('customer_id', '=', c.id).execute()).toEqual([]);
    const search = await w.alice.client.get(`${url()}?q=${encodeURIComponent('大疆')}`);
    expect(search.json().items).toEqual([]);

    const bin = (await w.admin.get('/api/v1/recycle-bin?entity=customer')).json().items as { id: string; entityId: string }[];
    const entry = bin.find((b) => b.entityId === c.id)!;
    expect((await w.admin.post(`/api/v1/recycle-bin/${entry.id}/restore`)).statusCode).toBe(200);
    const back = await w.alice.client.get(url(c.id));
    expect(back.statusCode).toBe(200);
    expect((await w.alice.client.get(`${url()}?q=${encodeURIComponent('大疆')}`)).json().items).toHaveLength(1);
    expect((await w.alice.client.post(url(), { name: '大疆创新科技有限公司' })).statusCode).toBe(409);
  });

  it('purging removes the customer with its contacts, keys and history', async () => {
    const p = await create(w.alice.client, { ...complete, name: '深圳比亚迪汽车有限公司', phone: '0755-8988 8888' });
    expect((await w.alice.client.delete(url(p.id))).statusCode).toBe(204);
    const bin = (await w.admin.get('/api/v1/recycle-bin?entity=customer')).json().items as { id: string; entityId: string }[];
    const entry = bin.find((b) => b.entityId === p.id)!;
    expect((await w.admin.delete(`/api/v1/recycle-bin/${entry.id}`)).statusCode).toBe(204);
    expect(await w.db.selectFrom('customers').select('id').where('id', '=', p.id).execute()).toEqual([]);
    expect(await w.db.selectFrom('contacts').select('id').where('customer_id', '=', p.id).execute()).toEqual([]);
    expect(await w.db.selectFrom('customer_owner_history').select('id').where('customer_id', '=', p.id).execute()).toEqual([]);
  });
});
