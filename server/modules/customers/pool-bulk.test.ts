import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@server/test/app';
import { seedCustomer } from './testing';
import { ownerOf, poolWorld, setSettings } from './pool-testing';

/** Bulk actions on customers: each customer on its own, failures listed with their reason. */

let t: TestApp;
let w: Awaited<ReturnType<typeof poolWorld>>;

beforeAll(async () => {
  t = await createTestApp();
  w = await poolWorld(t);
});
afterAll(() => t?.close());

const bulk = (client: typeof w.alice.client, body: Record<string, unknown>) => client.post('/api/v1/customers/bulk', body);

async function tagsOf(id: string) {
  const r = await w.db.selectFrom('customers').select(['tags', 'version']).where('id', '=', id).executeTakeFirstOrThrow();
  return { tags: JSON.parse(r.tags) as string[], version: r.version };
}

describe('bulk tag and untag', () => {
  it('tags the customers the caller may edit and reports the one that failed', async () => {
    const { db, alice, carol } = w;
    const a1 = await seedCustomer(db, { name: '批量标签甲有限公司', owner_id: alice.id, tags: '["老客户"]' });
    const a2 = await seedCustomer(db, { name: '批量标签乙有限公司', owner_id: alice.id });
    const other = await seedCustomer(db, { name: '批量标签丙有限公司', owner_id: carol.id });

    const res = await bulk(alice.client, { action: 'tag', ids: [a1, other, a2], tags: ['重点', '华南'] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().done).toBe(2);
    expect(res.json().failed).toHaveLength(1);
    expect(res.json().failed[0]).toMatchObject({ id: other, code: 'not_found' });
    expect(res.json().failed[0].message).toBe('记录不存在或无权查看');
    expect(await tagsOf(a1)).toEqual({ tags: ['老客户', '重点', '华南'], version: 2 });
    expect(await tagsOf(a2)).toEqual({ tags: ['重点', '华南'], version: 2 });
    expect((await tagsOf(other)).tags).toEqual([]);
    const audit = await db.selectFrom('audit_log').select(['action', 'changes']).where('entity_id', '=', a1).executeTakeFirstOrThrow();
    expect(audit.action).toBe('update');
    expect(JSON.parse(audit.changes!)).toEqual({ tags: [['老客户'], ['老客户', '重点', '华南']] });

    // the reason comes in the caller's language
    const en = await alice.client.post(
      '/api/v1/customers/bulk',
      { action: 'untag', ids: [other, a1], tags: ['华南'] },
      { 'accept-language': 'en-US' },
    );
    expect(en.json().done).toBe(1);
    expect(en.json().failed[0].message).not.toBe('记录不存在或无权查看');
    expect((await tagsOf(a1)).tags).toEqual(['老客户', '重点']);
  });

  it('needs tags for a tag action and the edit right', async () => {
    const { alice, vic, db } = w;
    const a = await seedCustomer(db, { name: '缺少标签有限公司', owner_id: alice.id });
    const res = await bulk(alice.client, { action: 'tag', ids: [a] });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('tags');
    // vic may edit but not delete
    const del = await bulk(vic.client, { action: 'delete', ids: [a] });
    expect(del.statusCode).toBe(403);
    expect(await ownerOf(db, a)).toBe(alice.id);
  });
});

describe('bulk delete', () => {
  it('moves the caller’s customers to the recycle bin and reports the others', async () => {
    const { db, alice, carol } = w;
    const a1 = await seedCustomer(db, { name: '批量删除甲有限公司', owner_id: alice.id });
    const other = await seedCustomer(db, { name: '批量删除乙有限公司', owner_id: carol.id });
    const res = await bulk(alice.client, { action: 'delete', ids: [a1, other] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ done: 1, failed: [{ id: other, code: 'not_found' }] });
    const rows = await db.selectFrom('customers').select(['id', 'deleted_at']).where('id', 'in', [a1, other]).execute();
    expect(rows.find((r) => r.id === a1)!.deleted_at).toBeTruthy();
    expect(rows.find((r) => r.id === other)!.deleted_at).toBeNull();
    expect(await db.selectFrom('recycle_bin').select('entity').where('entity_id', '=', a1).executeTakeFirst()).toEqual({
      entity: 'customer',
    });
  });
});

describe('bulk release and transfer', () => {
  it('releases to the pool; a customer already in the pool is reported, the others released', async () => {
    const { db, alice } = w;
    const a1 = await seedCustomer(db, { name: '批量放入公海甲有限公司', owner_id: alice.id });
    const pooled = await seedCustomer(db, { name: '批量放入公海乙有限公司' });
    const a2 = await seedCustomer(db, { name: '批量放入公海丙有限公司', owner_id: alice.id });
    const res = await bulk(alice.client, { action: 'release', ids: [a1, pooled, a2], note: '季度清理' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ done: 2, failed: [{ id: pooled, code: 'customer_in_pool' }] });
    expect(await ownerOf(db, a1)).toBeNull();
    expect(await ownerOf(db, a2)).toBeNull();
    const h = await db
      .selectFrom('customer_owner_history')
      .select(['reason', 'note'])
      .where('customer_id', '=', a2)
      .executeTakeFirstOrThrow();
    expect(h).toEqual({ reason: 'release', note: '季度清理' });
  });

  it('transfers one by one: the ones over the target’s cap fail, the rest move', async () => {
    const { db, admin, alice, bob } = w;
    const owned = Number(
      (
        await db
          .selectFrom('customers')
          .select((e) => e.fn.countAll<number>().as('n'))
          .where('owner_id', '=', bob.id)
          .executeTakeFirstOrThrow()
      ).n,
    );
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await seedCustomer(db, { name: `批量移交${i}有限公司`, owner_id: alice.id }));
    await setSettings(admin, { caps: { perUser: owned + 2, perDepartment: 0, countDeals: true } });
    const res = await bulk(alice.client, { action: 'transfer', ids, toUserId: bob.id });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().done).toBe(2);
    expect(res.json().failed).toMatchObject([{ id: ids[2], code: 'customer_cap_reached' }]);
    expect(res.json().failed[0].message).toContain(bob.name);
    expect([await ownerOf(db, ids[0]), await ownerOf(db, ids[1]), await ownerOf(db, ids[2])]).toEqual([bob.id, bob.id, alice.id]);
    await setSettings(admin, { caps: { perUser: 0 } });

    // transfer needs a target
    const missing = await bulk(alice.client, { action: 'transfer', ids });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors[0].field).toBe('toUserId');
  });
});
