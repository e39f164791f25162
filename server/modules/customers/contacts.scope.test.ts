import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPES, type Scope } from '@common/permissions';
import type { Contact } from '@common/schemas/contacts';
import type { Db } from '@server/db/types';
import { nowIso } from '@server/db/ids';
import { Client, createTestApp, loginAs, setupAdmin, type TestApp } from '@server/test/app';
import { createDepartment, createPosition, createUser, permissions, setPositionPermissions } from '@server/test/factories';
import { seedCustomer } from './testing';

/**
 * The contacts permission matrix: a user sees the contacts of the customers within the contacts
 * module's data scope (over the customer's owner), plus team grants and the public pool; anything
 * else answers 404. Changing a contact needs the right to edit its customer as well.
 */

const OWNERS = [
  'me',
  'subordinate',
  'subordinate2',
  'peer',
  'subDept',
  'subSubDept',
  'otherDept',
  'teamRead',
  'teamWrite',
  'pool',
] as const;
type Owner = (typeof OWNERS)[number];

/** Customers visible whatever the scope: team grants and the pool. */
const ALWAYS: Owner[] = ['teamRead', 'teamWrite', 'pool'];
const VISIBLE: Record<Scope, Owner[]> = {
  self: ['me', ...ALWAYS],
  subordinates: ['me', 'subordinate', 'subordinate2', ...ALWAYS],
  department: ['me', 'peer', ...ALWAYS],
  department_tree: ['me', 'peer', 'subDept', 'subSubDept', ...ALWAYS],
  all: [...OWNERS],
};

let t: TestApp;
let db: Db;
let admin: Client;
let me: Client;
let myPosition: string;
const contacts = {} as Record<Owner, Contact>;

beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
  admin = await setupAdmin(t.app);
  const company = (await db.selectFrom('departments').select('id').executeTakeFirstOrThrow()).id;
  const sales = await createDepartment(db, { name: '销售部', parentId: company });
  const team = await createDepartment(db, { name: '销售一组', parentId: sales });
  const squad = await createDepartment(db, { name: '一组华南小组', parentId: team });
  const market = await createDepartment(db, { name: '市场部', parentId: company });
  myPosition = await createPosition(db, { name: '销售经理' });
  const staff = await createPosition(db, { name: '专员' });

  const ids = {} as Record<Owner, string | null>;
  const mk = async (o: Owner, departmentId: string, supervisorId: string | null = null) => {
    const u = await createUser(db, {
      username: `u.${o.toLowerCase()}`,
      name: o,
      departmentId,
      supervisorId,
      positionId: o === 'me' ? myPosition : staff,
    });
    ids[o] = u.id;
    return u;
  };
  const mine = await mk('me', sales);
  await mk('subordinate', market, mine.id);
  await mk('subordinate2', market, ids.subordinate);
  await mk('peer', sales);
  await mk('subDept', team);
  await mk('subSubDept', squad);
  await mk('otherDept', market);
  await mk('teamRead', market);
  await mk('teamWrite', market);
  ids.pool = null;
  me = await loginAs(t.app, mine.username, mine.password);

  for (const o of OWNERS) {
    // the pool customer gets its contact while still owned (pool customers change only by claim / assign)
    const customerId = await seedCustomer(db, { name: `${o} 的客户`, owner_id: ids[o] ?? ids.otherDept });
    if (o === 'teamRead' || o === 'teamWrite') {
      await db
        .insertInto('customer_team')
        .values({ customer_id: customerId, user_id: mine.id, access: o === 'teamRead' ? 'read' : 'write', added_at: nowIso() })
        .execute();
    }
    const res = await admin.post('/api/v1/contacts', { customerId, name: `${o}联系人` });
    expect(res.statusCode, res.body).toBe(201);
    contacts[o] = res.json();
    if (o === 'pool') {
      await db
        .updateTable('customers')
        .set({ owner_id: null, owner_department_id: null, pooled_at: nowIso() })
        .where('id', '=', customerId)
        .execute();
    }
  }
});
afterAll(() => t.close());

async function grant(scope: Scope) {
  await setPositionPermissions(
    db,
    myPosition,
    permissions({
      customers: { actions: ['view', 'edit'], scope: 'self' },
      contacts: { actions: ['view', 'create', 'edit', 'delete'], scope },
    }),
  );
}

describe.each(SCOPES.map((s) => [s]))('contacts scope %s', (scope) => {
  const visible = VISIBLE[scope];
  const hidden = OWNERS.filter((o) => !visible.includes(o));

  beforeAll(() => grant(scope));

  it('lists exactly the contacts of customers in scope, with a matching total', async () => {
    const res = await me.get('/api/v1/contacts?limit=200');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { items: Contact[]; total: number };
    expect(body.items.map((c) => c.name).sort()).toEqual(visible.map((o) => `${o}联系人`).sort());
    expect(body.total).toBe(visible.length);
  });

  it('reads contacts in scope and answers 404 for the others (record, history, edit, delete)', async () => {
    for (const o of visible) {
      expect((await me.get(`/api/v1/contacts/${contacts[o].id}`)).statusCode, o).toBe(200);
      expect((await me.get(`/api/v1/audit/contact/${contacts[o].id}`)).statusCode, o).toBe(200);
    }
    for (const o of hidden) {
      const c = contacts[o];
      expect((await me.get(`/api/v1/contacts/${c.id}`)).statusCode, o).toBe(404);
      expect((await me.get(`/api/v1/audit/contact/${c.id}`)).statusCode, o).toBe(404);
      expect((await me.patch(`/api/v1/contacts/${c.id}`, { version: c.version, title: 'x' })).statusCode, o).toBe(404);
      expect((await me.delete(`/api/v1/contacts/${c.id}?version=${c.version}`)).statusCode, o).toBe(404);
      expect((await me.post('/api/v1/contacts', { customerId: c.customerId, name: '新人' })).statusCode, o).toBe(404);
    }
  });

  it('changes only contacts of customers the user may edit (own, write grant); others visible are 403', async () => {
    for (const o of visible) {
      const c = (await me.get(`/api/v1/contacts/${contacts[o].id}`)).json() as Contact;
      const editable = o === 'me' || o === 'teamWrite';
      const res = await me.patch(`/api/v1/contacts/${c.id}`, { version: c.version, title: `职务-${scope}` });
      expect(res.statusCode, `${o} ${res.body}`).toBe(editable ? 200 : 403);
    }
  });
});

it('a position without the contacts view right is refused', async () => {
  await setPositionPermissions(db, myPosition, permissions({ customers: { actions: ['view', 'edit'], scope: 'all' } }));
  expect((await me.get('/api/v1/contacts')).statusCode).toBe(403);
});
