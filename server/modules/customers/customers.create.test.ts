import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KyselyPlugin } from 'kysely';
import type { CreateCustomerBody } from '@common/schemas/customers';
import { createTestApp, type TestApp } from '@server/test/app';
import { authOfUser } from '@server/platform/transfers/transfers.runner';
import { actorOfAuth } from './contacts.service';
import { createCustomer, type CreateCustomerCache } from './customers.service';
import { create, customersWorld, type World } from './customers.testing';

/**
 * Creating a customer writes what it must without reading it back: nested contacts (primary flag,
 * search, audit), team, search index and audit as the stored rows are; and it costs a bounded number
 * of SQL statements (settings and field definitions read once per call, or once per import batch).
 */

let t: TestApp;
let w: World;

beforeAll(async () => {
  t = await createTestApp();
  w = await customersWorld(t);
});
afterAll(() => t?.close());

let serial = 0;
function complete(): CreateCustomerBody {
  serial += 1;
  const n = String(serial).padStart(4, '0');
  return {
    name: `福田成本测试${n}号有限公司`,
    category: 'direct',
    importance: 'high',
    phone: `0755-8300${n}`,
    contacts: [{ name: `测试联系人${n}`, mobile: `1370000${n}`, email: `cost${n}@example.cn` }],
  };
}

/** The app's database with a statement counter (begin / commit not counted). */
function counted() {
  const seen = { n: 0 };
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      seen.n += 1;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  return { db: t.database.db.withPlugin(plugin), seen };
}

describe('create', () => {
  it('stores nested contacts, team, index and audit as the answer and the rows say', async () => {
    const c = await create(w.alice.client, {
      name: '福田三联系人有限公司',
      phone: '0755-8311 0000',
      contacts: [{ name: '甲经理' }, { name: '乙总监', mobile: '13700001111', isPrimary: true }, { name: '丙助理' }],
      team: [
        { userId: w.lead.id, access: 'read' },
        { userId: w.bob.id, access: 'write' },
      ],
    });
    const members = [
      { userId: w.lead.id, name: '周组长', access: 'read' },
      { userId: w.bob.id, name: '李大宝', access: 'write' },
    ].sort((a, b) => (a.userId < b.userId ? -1 : 1));
    expect(c.team).toEqual(members);
    expect((await w.alice.client.get(`/api/v1/customers/${c.id}`)).json().team).toEqual(members);

    const contacts = await w.db
      .selectFrom('contacts')
      .select(['id', 'name', 'is_primary'])
      .where('customer_id', '=', c.id)
      .orderBy('name')
      .execute();
    expect(contacts.map((k) => [k.name, k.is_primary])).toEqual([
      ['丙助理', 0],
      ['乙总监', 1],
      ['甲经理', 0],
    ]);
    // each contact's audit entry says what was stored; the customer's says the stored code and category
    const audits = await w.db
      .selectFrom('audit_log')
      .select(['entity', 'entity_id', 'changes'])
      .where('action', '=', 'create')
      .where((e) =>
        e.or([
          e('entity_id', '=', c.id),
          e(
            'entity_id',
            'in',
            contacts.map((k) => k.id),
          ),
        ]),
      )
      .execute();
    expect(audits).toHaveLength(4);
    for (const k of contacts) {
      const changes = JSON.parse(audits.find((a) => a.entity_id === k.id)!.changes!);
      expect(changes.name).toEqual([null, k.name]);
      expect(changes.customerId).toEqual([null, c.id]);
    }
    const mine = JSON.parse(audits.find((a) => a.entity_id === c.id)!.changes!);
    expect(mine).toMatchObject({ code: [null, c.code], category: [null, 'plain'], phones: [null, ['0755-8311 0000']] });

    // the customer is found by a contact's name and by its code; the contacts by their own fields
    for (const q of ['丙助理', c.code!]) {
      const found = (await w.alice.client.get(`/api/v1/customers?q=${encodeURIComponent(q)}`)).json();
      expect(
        found.items.map((x: { id: string }) => x.id),
        q,
      ).toEqual([c.id]);
    }
    const byMobile = (await w.alice.client.get('/api/v1/contacts?q=13700001111')).json();
    expect(byMobile.items.map((x: { name: string }) => x.name)).toEqual(['乙总监']);
  });

  it('costs at most 16 statements through the service, 11 per row of an import batch', async () => {
    const auth = await authOfUser(t.database.db, w.alice.id);
    const actor = actorOfAuth(auth);
    // settings, users, field definitions ×2, keys, company time zone, sequence, code check, customer,
    // contact, its grams and audit, owner history, customer grams and audit, the answer
    const one = counted();
    await createCustomer(one.db, complete(), auth, { actor });
    expect(one.seen.n).toBeLessThanOrEqual(16);

    const batch = counted();
    const rows = 20;
    await batch.db.transaction().execute(async (tx) => {
      const cache: CreateCustomerCache = {};
      for (let i = 0; i < rows; i++) await createCustomer(tx, complete(), auth, { actor, present: false, cache });
    });
    // what the batch reads once: settings, both field definitions, the company time zone
    expect(batch.seen.n).toBeLessThanOrEqual(rows * 11 + 4);
    const stored = await t.database.db.selectFrom('customers').select('id').where('name', 'like', '福田成本测试%').execute();
    expect(stored).toHaveLength(rows + 1);
  });
});
