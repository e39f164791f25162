import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@server/test/app';
import { create, customersWorld, patchSettings, type World } from './customers.testing';

/**
 * Ownership protection (归属保护) end to end: the first to enter a customer owns it; a second entry
 * of the same company or phone, however spelled, is refused with the owner's name. The duplicate
 * check tells anyone who owns a name or phone and nothing more.
 */

let t: TestApp;
let w: World;
let original: { id: string };

beforeAll(async () => {
  t = await createTestApp();
  w = await customersWorld(t);
  original = await create(w.alice.client, {
    name: '深圳市任我行科技有限公司',
    phones: ['13800138000', '0755-2671 0001'],
    website: 'https://renwoxing.example',
  });
});
afterAll(() => t?.close());

const url = '/api/v1/customers';

async function refused(body: Record<string, unknown>, who = w.carol) {
  const res = await who.client.post(url, body);
  expect(res.statusCode, `${JSON.stringify(body)} → ${res.body}`).toBe(409);
  return res.json() as { code: string; detail: string; errors: { field: string; code: string }[] };
}

describe('duplicate names and phones are refused, naming the owner', () => {
  it.each([
    '深圳市任我行科技有限公司',
    '任我行科技有限公司',
    '深圳任我行科技有限责任公司',
    '任我行科技股份有限公司',
    '任我行科技集团',
    '任我行科技（深圳）有限公司',
    '  任我行 科技 有限公司 ',
    '任我行·科技，有限公司。',
    '广东省深圳市任我行科技有限公司',
    '任我行科技集团有限公司',
  ])('%s', async (name) => {
    const body = await refused({ name });
    expect(body.code).toBe('customer_duplicate');
    expect(body.detail).toBe('客户已存在，归属人：王小丽');
    expect(body.errors).toEqual([expect.objectContaining({ field: 'name', code: 'duplicate' })]);
  });

  it('full-width, half-width and case are the same name', async () => {
    await create(w.alice.client, { name: 'ABC Software Co., Ltd.' });
    for (const name of ['ａｂｃ　software　CO.,LTD', 'abc software limited', 'ABC SOFTWARE']) {
      expect((await refused({ name })).detail).toContain('王小丽');
    }
  });

  it.each([
    ['+86 138 0013 8000', 'phones.0'],
    ['0086-138-0013-8000', 'phones.0'],
    ['138-0013-8000', 'phones.0'],
    ['(0755) 2671 0001', 'phones.0'],
    ['+86 755 2671 0001', 'phones.0'],
    ['０７５５－２６７１０００１', 'phones.0'],
  ])('phone %s', async (phone, field) => {
    const body = await refused({ name: '另一家完全不同的公司', phones: [phone] });
    expect(body.detail).toBe('客户已存在，归属人：王小丽');
    expect(body.errors).toEqual([expect.objectContaining({ field, code: 'duplicate' })]);
  });

  it('names the clashing phone among several, and the single `phone` field too', async () => {
    const body = await refused({ name: '又一家不同的公司', phones: ['020-8888 0000', '+8613800138000'] });
    expect(body.errors).toEqual([expect.objectContaining({ field: 'phones.1', code: 'duplicate' })]);
    expect((await refused({ name: '又一家不同的公司', phone: '13800138000' })).detail).toContain('王小丽');
  });

  it('says so in English too, and records a duplicate attempt for the one refused', async () => {
    const res = await w.carol.client.request('POST', url, { name: '任我行科技' }, { 'accept-language': 'en-US' });
    expect(res.json().detail).toBe('This customer already exists; owner: 王小丽');
    const events = await w.db.selectFrom('customer_quality_events').selectAll().where('user_id', '=', w.carol.id).execute();
    expect(events.length).toBeGreaterThanOrEqual(20);
    expect(new Set(events.map((e) => e.kind))).toEqual(new Set(['duplicate_attempt']));
    expect(events.some((e) => e.detail?.startsWith('任我行科技'))).toBe(true);
    // nothing of the refused customers was written
    expect(await w.db.selectFrom('customers').select('id').where('created_by', '=', w.carol.id).execute()).toEqual([]);
  });

  it('a branch (分公司) and a different company of the same region are not duplicates', async () => {
    await create(w.carol.client, { name: '任我行科技有限公司北京分公司' });
    await create(w.carol.client, { name: '深圳市任我通科技有限公司' });
  });

  it('the region prefixes are configurable', async () => {
    await create(w.bob.client, { name: '星河贸易有限公司' });
    await create(w.bob.client, { name: '粤港星河贸易有限公司' });
    await patchSettings(w.admin, (s) => ({ ...s, regionPrefixes: ['粤港', '深圳市', '深圳'] }));
    try {
      await create(w.bob.client, { name: '飞鸿贸易有限公司' });
      expect((await refused({ name: '粤港飞鸿贸易有限公司' })).detail).toContain('李大宝');
    } finally {
      await patchSettings(w.admin, (s) => ({ ...s, regionPrefixes: [] }));
    }
  });

  it('a customer in the public pool is named as such', async () => {
    const pooled = await create(w.bob.client, { name: '东莞公海测试有限公司' });
    await w.db.updateTable('customers').set({ owner_id: null, owner_department_id: null }).where('id', '=', pooled.id).execute();
    expect((await refused({ name: '东莞公海测试有限公司' })).detail).toBe('客户已存在，归属人：公海');
    const en = await w.carol.client.request('POST', url, { name: '东莞公海测试' }, { 'accept-language': 'en' });
    expect(en.json().detail).toBe('This customer already exists; owner: public pool');
  });

  it('two simultaneous entries of one customer: exactly one wins', async () => {
    const results = await Promise.all([
      w.bob.client.post(url, { name: '惠州同时录入有限公司' }),
      w.carol.client.post(url, { name: '惠州同时录入有限责任公司' }),
      w.gina.client.post(url, { name: '惠州市同时录入股份有限公司' }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
    const keys = await w.db.selectFrom('customer_keys').selectAll().where('key', '=', 'n:同时录入').execute();
    expect(keys).toHaveLength(1);
  });
});

describe('editing', () => {
  it('renaming to a taken name is refused and keeps the old keys; a respelling of its own name is fine', async () => {
    const mine = await create(w.carol.client, { name: '北京字节跳动科技有限公司', phone: '010-5825 0000' });
    const res = await w.carol.client.patch(`${url}/${mine.id}`, { version: 1, name: '任我行科技' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'customer_duplicate', detail: '客户已存在，归属人：王小丽' });
    const phoneClash = await w.carol.client.patch(`${url}/${mine.id}`, { version: 1, phones: ['010-5825 0000', '13800138000'] });
    expect(phoneClash.json().errors).toEqual([expect.objectContaining({ field: 'phones.1' })]);
    const keys = await w.db.selectFrom('customer_keys').select('key').where('customer_id', '=', mine.id).orderBy('key').execute();
    expect(keys.map((k) => k.key)).toEqual(['n:字节跳动科技', 'p:01058250000']);

    const ok = await w.carol.client.patch(`${url}/${mine.id}`, {
      version: 1,
      name: '字节跳动科技（北京）有限公司',
      phones: ['010 5825 0001'],
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const after = await w.db.selectFrom('customer_keys').select('key').where('customer_id', '=', mine.id).orderBy('key').execute();
    expect(after.map((k) => k.key)).toEqual(['n:字节跳动科技', 'p:01058250001']);
    // the freed phone can be entered again
    await create(w.bob.client, { name: '北京某某公司', phone: '010-58250000' });
  });
});

describe('the duplicate check', () => {
  it('tells anyone only whether it exists, by what, and who owns it', async () => {
    const res = await w.carol.client.get(
      `${url}/duplicate-check?name=${encodeURIComponent('任我行科技')}&phone=${encodeURIComponent('+86 755 26710001')}`,
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      matches: [
        { by: 'name', ownerName: '王小丽', inPool: false },
        { by: 'phone', ownerName: '王小丽', inPool: false },
      ],
    });
    expect(res.body).not.toContain(original.id);
    expect(res.body).not.toContain('renwoxing');
    const none = await w.carol.client.get(`${url}/duplicate-check?name=${encodeURIComponent('没有这家公司')}`);
    expect(none.json()).toEqual({ matches: [] });
    const pooled = await w.carol.client.get(`${url}/duplicate-check?name=${encodeURIComponent('东莞公海测试')}`);
    expect(pooled.json()).toEqual({ matches: [{ by: 'name', ownerName: null, inPool: true }] });
    expect((await w.carol.client.get(`${url}/duplicate-check`)).statusCode).toBe(400);
  });

  it('needs no customer permission, only a sign-in', async () => {
    const { createUser } = await import('@server/test/factories');
    const { loginAs, Client } = await import('@server/test/app');
    const u = await createUser(w.db, { username: 'nobody', name: '无权限' });
    const c = await loginAs(t.app, u.username, u.password);
    expect((await c.get(`${url}/duplicate-check?phone=13800138000`)).json()).toEqual({
      matches: [{ by: 'phone', ownerName: '王小丽', inPool: false }],
    });
    expect((await c.get(url)).statusCode).toBe(403);
    expect((await new Client(t.app).get(`${url}/duplicate-check?phone=13800138000`)).statusCode).toBe(401);
  });
});

describe('the recycle bin', () => {
  it('restoring is refused while another customer holds the name', async () => {
    const gone = await create(w.bob.client, { name: '中山回收站测试有限公司' });
    expect((await w.bob.client.delete(`${url}/${gone.id}`)).statusCode).toBe(204);
    await create(w.gina.client, { name: '中山回收站测试' });
    const bin = (await w.admin.get('/api/v1/recycle-bin?entity=customer')).json().items as { id: string; entityId: string }[];
    const entry = bin.find((b) => b.entityId === gone.id)!;
    const res = await w.admin.post(`/api/v1/recycle-bin/${entry.id}/restore`);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'customer_duplicate', detail: '客户已存在，归属人：陈广州' });
    const still = (await w.admin.get('/api/v1/recycle-bin?entity=customer')).json().items as { entityId: string }[];
    expect(still.some((b) => b.entityId === gone.id)).toBe(true);
  });
});
