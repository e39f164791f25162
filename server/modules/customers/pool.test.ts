import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@server/test/app';
import { createUser } from '@server/test/factories';
import { seedCustomer } from './testing';
import { ownerOf, poolWorld, setSettings } from './pool-testing';

/** 公海: release, claim (caps, races), admin assignment and the owner history. */

let t: TestApp;
let w: Awaited<ReturnType<typeof poolWorld>>;

beforeAll(async () => {
  t = await createTestApp();
  w = await poolWorld(t);
});
afterAll(() => t?.close());

const url = (id: string, what: string) => `/api/v1/customers/${id}/${what}`;

describe('release and claim', () => {
  it('an owner releases, another user claims, and the owner history shows both', async () => {
    const { db, alice, bob } = w;
    const id = await seedCustomer(db, { name: '深圳市任我行科技有限公司', owner_id: alice.id });

    // bob cannot see alice's customer, so he cannot release it
    expect((await bob.client.post(url(id, 'release'), {})).statusCode).toBe(404);

    const released = await alice.client.post(url(id, 'release'), { note: '客户暂无需求' });
    expect(released.statusCode, released.body).toBe(200);
    const row = await db
      .selectFrom('customers')
      .select(['owner_id', 'owner_department_id', 'pooled_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ owner_id: null, owner_department_id: null });
    expect(row.pooled_at).toBeTruthy();

    // releasing again: it is in the pool already
    const again = await alice.client.post(url(id, 'release'), {});
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('customer_in_pool');

    const claimed = await bob.client.post(url(id, 'claim'));
    expect(claimed.statusCode, claimed.body).toBe(200);
    expect(await ownerOf(db, id)).toBe(bob.id);
    expect(
      (await db.selectFrom('customers').select('owner_department_id').where('id', '=', id).executeTakeFirstOrThrow()).owner_department_id,
    ).toBe(w.deptA);

    // a claimed customer is no longer in the pool (alice, who no longer sees it, learns only that)
    for (const client of [alice.client, w.admin]) {
      const notInPool = await client.post(url(id, 'claim'));
      expect(notInPool.statusCode).toBe(409);
      expect(notInPool.json().code).toBe('customer_not_in_pool');
    }
    expect((await alice.client.get(url(id, 'owner-history'))).statusCode).toBe(404);

    const history = await bob.client.get(url(id, 'owner-history'));
    expect(history.statusCode, history.body).toBe(200);
    expect(history.json().items).toMatchObject([
      { fromUserId: null, toUserId: bob.id, toName: bob.name, reason: 'claim', actorName: bob.name },
      {
        fromUserId: alice.id,
        fromName: alice.name,
        toUserId: null,
        toName: null,
        reason: 'release',
        note: '客户暂无需求',
        actorName: alice.name,
      },
    ]);
    // the history is as private as the customer
    expect((await alice.client.get(url(id, 'owner-history'))).statusCode).toBe(404);
    // and the changes are audited
    const actions = await db
      .selectFrom('audit_log')
      .select(['action', 'actor_name'])
      .where('entity_id', '=', id)
      .orderBy('at')
      .orderBy('id')
      .execute();
    expect(actions.map((a) => `${a.action}:${a.actor_name}`)).toEqual([`release:${alice.name}`, `claim:${bob.name}`]);
  });

  it('claiming needs the create right; releasing needs to be able to edit the customer', async () => {
    const { db, vic, alice } = w;
    const pooled = await seedCustomer(db, { name: '广州市天河区协同贸易有限公司' });
    const res = await vic.client.post(url(pooled, 'claim'));
    expect(res.statusCode).toBe(403);
    expect(await ownerOf(db, pooled)).toBeNull();
    // a read team member sees the customer but may not release it
    const shared = await seedCustomer(db, { name: '杭州西湖信息技术有限公司', owner_id: alice.id });
    await db
      .insertInto('customer_team')
      .values({ customer_id: shared, user_id: vic.id, access: 'read', added_at: new Date().toISOString() })
      .execute();
    expect((await vic.client.post(url(shared, 'release'), {})).statusCode).toBe(403);
    expect(await ownerOf(db, shared)).toBe(alice.id);
  });

  it('unknown customers answer 404', async () => {
    expect((await w.alice.client.post(url('0000000000000000000000000z', 'claim'))).statusCode).toBe(404);
    expect((await w.alice.client.get(url('0000000000000000000000000z', 'owner-history'))).statusCode).toBe(404);
  });
});

describe('caps', () => {
  it('refuses a claim over the per-user cap and names who and the limit; deal customers count only when configured', async () => {
    const { db, admin, carol } = w;
    await db.updateTable('customers').set({ owner_id: null, owner_department_id: null }).where('owner_id', '=', carol.id).execute();
    await seedCustomer(db, { name: '成都天府软件有限公司', owner_id: carol.id });
    await seedCustomer(db, { name: '成都锦江成交客户有限公司', owner_id: carol.id, stage: 'deal' });
    const pool = await seedCustomer(db, { name: '重庆两江新区物流有限公司' });
    await setSettings(admin, { caps: { perUser: 2, perDepartment: 0, countDeals: true } });

    const refused = await carol.client.post(url(pool, 'claim'));
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('customer_cap_reached');
    expect(refused.json().detail).toContain(carol.name);
    expect(refused.json().detail).toContain('2');
    expect(await ownerOf(db, pool)).toBeNull();

    // deal customers left out of the cap: carol holds 1 counted customer, so she may claim one more
    await setSettings(admin, { caps: { countDeals: false } });
    expect((await carol.client.post(url(pool, 'claim'))).statusCode).toBe(200);
    expect(await ownerOf(db, pool)).toBe(carol.id);
    const next = await seedCustomer(db, { name: '重庆渝中区第二物流有限公司' });
    expect((await carol.client.post(url(next, 'claim'))).json().code).toBe('customer_cap_reached');
    await setSettings(admin, { caps: { perUser: 0 } });
  });

  it('refuses a claim over the per-department cap, naming the department', async () => {
    const { db, admin, alice, bob, carol } = w;
    const count = async (dept: string) =>
      Number(
        (
          await db
            .selectFrom('customers')
            .select((e) => e.fn.countAll<number>().as('n'))
            .where('owner_department_id', '=', dept)
            .where((e) => e.or([e('stage', 'is', null), e('stage', 'not in', ['deal', 'vip'])]))
            .executeTakeFirstOrThrow()
        ).n,
      );
    await seedCustomer(db, { name: '华南部客户甲有限公司', owner_id: alice.id });
    const inA = await count(w.deptA);
    await setSettings(admin, { caps: { perUser: 0, perDepartment: inA, countDeals: false } });
    const pool = await seedCustomer(db, { name: '佛山南海陶瓷有限公司' });
    const refused = await bob.client.post(url(pool, 'claim'));
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('customer_cap_reached');
    expect(refused.json().detail).toContain('华南销售部');
    // another department has room
    if ((await count(w.deptB)) < inA) expect((await carol.client.post(url(pool, 'claim'))).statusCode).toBe(200);
    await setSettings(admin, { caps: { perDepartment: 0 } });
  });
});

describe('concurrent claims', () => {
  it('two users claiming the same pool customer at once: exactly one wins', async () => {
    const { db, alice, carol } = w;
    for (let i = 0; i < 10; i++) {
      const id = await seedCustomer(db, { name: `抢单测试客户${i}有限公司` });
      const [a, c] = await Promise.all([alice.client.post(url(id, 'claim')), carol.client.post(url(id, 'claim'))]);
      expect([a.statusCode, c.statusCode].sort()).toEqual([200, 409]);
      const loser = a.statusCode === 409 ? a : c;
      expect(loser.json().code).toBe('customer_not_in_pool');
      const winner = a.statusCode === 200 ? alice.id : carol.id;
      expect(await ownerOf(db, id)).toBe(winner);
      const rows = await db.selectFrom('customer_owner_history').select(['to_user_id', 'reason']).where('customer_id', '=', id).execute();
      expect(rows).toEqual([{ to_user_id: winner, reason: 'claim' }]);
    }
  });
});

describe('admin assignment', () => {
  it('assigns from the pool and reassigns between owners; caps apply to the target', async () => {
    const { db, admin, alice, bob, carol } = w;
    const pool = await seedCustomer(db, { name: '东莞松山湖电子有限公司' });
    // not for salespeople
    expect((await alice.client.post(url(pool, 'assign'), { userId: alice.id })).statusCode).toBe(403);

    const res = await admin.post(url(pool, 'assign'), { userId: carol.id, note: '按区域分配' });
    expect(res.statusCode, res.body).toBe(200);
    expect(await ownerOf(db, pool)).toBe(carol.id);
    const again = await admin.post(url(pool, 'assign'), { userId: bob.id });
    expect(again.statusCode).toBe(200);
    expect(await ownerOf(db, pool)).toBe(bob.id);
    const history = (await admin.get(url(pool, 'owner-history'))).json().items;
    expect(history).toMatchObject([
      { fromUserId: carol.id, toUserId: bob.id, reason: 'assign', actorName: '系统管理员' },
      { fromUserId: null, toUserId: carol.id, reason: 'assign', note: '按区域分配' },
    ]);

    // a user who has left cannot receive customers
    const left = await createUser(db, { username: 'leftie', name: '已离职', departmentId: w.deptA, status: 'left' });
    const refused = await admin.post(url(pool, 'assign'), { userId: left.id });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0]).toMatchObject({ field: 'userId', code: 'inactive' });

    // over the target's cap
    const owned = Number(
      (
        await db
          .selectFrom('customers')
          .select((e) => e.fn.countAll<number>().as('n'))
          .where('owner_id', '=', alice.id)
          .executeTakeFirstOrThrow()
      ).n,
    );
    await setSettings(admin, { caps: { perUser: owned, countDeals: true } });
    const capped = await admin.post(url(pool, 'assign'), { userId: alice.id });
    expect(capped.statusCode).toBe(409);
    expect(capped.json().code).toBe('customer_cap_reached');
    expect(await ownerOf(db, pool)).toBe(bob.id);
    await setSettings(admin, { caps: { perUser: 0 } });
  });
});
