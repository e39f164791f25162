import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Kysely } from 'kysely';
import { SCOPES, type Action, type Scope } from '@common/permissions';
import { idSchema } from '@common/schemas/fields';
import { newId } from '@server/db/ids';
import { Client, createTestApp, loginAs, setupAdmin, type TestApp } from '@server/test/app';
import { createDepartment, createPosition, createUser, permissions, setPositionPermissions } from '@server/test/factories';
import { notFound } from '../http/errors';
import { requireAuth } from './check';
import { scopeFilter } from './scope';

/**
 * The permission matrix: every data scope against records owned by each kind of colleague, through
 * a fixture module whose routes apply `scopeFilter` inside the SQL like a business module does.
 */

type FixtureDb = { fixture_records: { id: string; title: string; owner_id: string; owner_department_id: string | null } };
const COLS = { owner: 'fixture_records.owner_id', department: 'fixture_records.owner_department_id' };

/** A minimal business module: list (keyset + total), get, update, delete, each limited by the data scope. */
async function fixtureModule(root: FastifyInstance) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const db = root.ctx.db as unknown as Kysely<FixtureDb>;
  const params = z.object({ id: idSchema });

  app.get(
    '/fixture-records',
    {
      config: { access: { module: 'fixture', action: 'view' } },
      schema: {
        querystring: z.object({
          cursor: idSchema.optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          // 'owner': no department column, so the filter falls back to the owner's current department
          by: z.enum(['record', 'owner']).default('record'),
        }),
      },
    },
    async (request) => {
      const where = scopeFilter(requireAuth(request), 'fixture', request.query.by === 'owner' ? { owner: COLS.owner } : COLS);
      let q = db
        .selectFrom('fixture_records')
        .select(['id', 'title', 'owner_id'])
        .where(where)
        .orderBy('id')
        .limit(request.query.limit + 1);
      if (request.query.cursor) q = q.where('id', '>', request.query.cursor);
      const rows = await q.execute();
      const { n } = await db
        .selectFrom('fixture_records')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where(where)
        .executeTakeFirstOrThrow();
      const items = rows.slice(0, request.query.limit);
      return { items, nextCursor: rows.length > request.query.limit ? items[items.length - 1].id : null, total: Number(n) };
    },
  );

  app.get('/fixture-records/:id', { config: { access: { module: 'fixture', action: 'view' } }, schema: { params } }, async (request) => {
    const row = await db
      .selectFrom('fixture_records')
      .selectAll()
      .where('id', '=', request.params.id)
      .where(scopeFilter(requireAuth(request), 'fixture', COLS))
      .executeTakeFirst();
    if (!row) throw notFound();
    return row;
  });

  app.patch(
    '/fixture-records/:id',
    {
      config: { access: { module: 'fixture', action: 'edit' } },
      schema: { params, body: z.strictObject({ title: z.string().min(1).max(100) }) },
    },
    async (request) => {
      const r = await db
        .updateTable('fixture_records')
        .set({ title: request.body.title })
        .where('id', '=', request.params.id)
        .where(scopeFilter(requireAuth(request), 'fixture', COLS))
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) throw notFound();
      return { ok: true };
    },
  );

  app.delete(
    '/fixture-records/:id',
    { config: { access: { module: 'fixture', action: 'delete' } }, schema: { params } },
    async (request, reply) => {
      const r = await db
        .deleteFrom('fixture_records')
        .where('id', '=', request.params.id)
        .where(scopeFilter(requireAuth(request), 'fixture', COLS))
        .executeTakeFirst();
      if (Number(r.numDeletedRows) === 0) throw notFound();
      return reply.code(204).send();
    },
  );
}

/** Owner categories, as seen from "me". */
const OWNERS = ['me', 'subordinate', 'subordinate2', 'peer', 'subDept', 'subSubDept', 'otherDept'] as const;
type Owner = (typeof OWNERS)[number];

/** Which owners' records each scope reaches. */
const VISIBLE: Record<Scope, Owner[]> = {
  self: ['me'],
  subordinates: ['me', 'subordinate', 'subordinate2'],
  department: ['me', 'peer'],
  department_tree: ['me', 'peer', 'subDept', 'subSubDept'],
  all: [...OWNERS],
};

let t: TestApp;
let db: Kysely<FixtureDb>;
let admin: Client;
let me: Client;
let myPosition: string;
const users = {} as Record<Owner, { id: string; departmentId: string }>;
/** owner category → the id of that owner's record in the current round */
let records = {} as Record<Owner, string>;

async function seedRecords() {
  await db.deleteFrom('fixture_records').execute();
  records = {} as Record<Owner, string>;
  for (const o of OWNERS) {
    const id = newId();
    await db
      .insertInto('fixture_records')
      .values({ id, title: `${o} 的记录`, owner_id: users[o].id, owner_department_id: users[o].departmentId })
      .execute();
    records[o] = id;
  }
}

async function grant(actions: Action[], scope: Scope) {
  await setPositionPermissions(t.database.db, myPosition, permissions({ fixture: { actions, scope } }));
}

async function title(id: string) {
  return (await db.selectFrom('fixture_records').select('title').where('id', '=', id).executeTakeFirst())?.title;
}

beforeAll(async () => {
  t = await createTestApp({}, { plugins: [fixtureModule] });
  db = t.database.db as unknown as Kysely<FixtureDb>;
  await db.schema
    .createTable('fixture_records')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('owner_department_id', 'text')
    .execute();
  admin = await setupAdmin(t.app);

  // 公司 → 销售部 (mine) → 销售一组 → 一组华南小组; 公司 → 市场部 (elsewhere)
  const x = t.database.db;
  const company = (await x.selectFrom('departments').select('id').executeTakeFirstOrThrow()).id;
  const sales = await createDepartment(x, { name: '销售部', parentId: company });
  const team = await createDepartment(x, { name: '销售一组', parentId: sales });
  const squad = await createDepartment(x, { name: '一组华南小组', parentId: team });
  const market = await createDepartment(x, { name: '市场部', parentId: company });
  myPosition = await createPosition(x, { name: '销售经理' });
  const staff = await createPosition(x, { name: '专员' });

  const mk = async (o: Owner, departmentId: string, supervisorId: string | null = null) => {
    const u = await createUser(x, {
      username: `u.${o.toLowerCase()}`,
      name: o,
      departmentId,
      supervisorId,
      positionId: o === 'me' ? myPosition : staff,
    });
    users[o] = { id: u.id, departmentId };
    return u;
  };
  const mine = await mk('me', sales);
  // subordinates sit in another department, so "subordinates" and "department" stay distinguishable
  await mk('subordinate', market, mine.id);
  await mk('subordinate2', market, users.subordinate.id);
  await mk('peer', sales);
  await mk('subDept', team);
  await mk('subSubDept', squad);
  await mk('otherDept', market);
  me = await loginAs(t.app, mine.username, mine.password);
});
afterAll(() => t.close());

describe.each(SCOPES.map((s) => [s]))('data scope %s', (scope) => {
  const visible = VISIBLE[scope];
  const hidden = OWNERS.filter((o) => !visible.includes(o));

  beforeAll(async () => {
    await seedRecords();
    await grant(['view', 'edit', 'delete'], scope);
  });

  it(`lists exactly ${visible.join(', ')} with the right total`, async () => {
    const res = await me.get('/api/v1/fixture-records');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.items.map((r: { id: string }) => r.id).sort()).toEqual(visible.map((o) => records[o]).sort());
    expect(body.total).toBe(visible.length);
  });

  it("gives the same list when the department comes from the owner's current department", async () => {
    const body = (await me.get('/api/v1/fixture-records?by=owner')).json();
    expect(body.items.map((r: { id: string }) => r.id).sort()).toEqual(visible.map((o) => records[o]).sort());
    expect(body.total).toBe(visible.length);
  });

  it('keeps the total and pages through the same set with a small limit', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await me.get(`/api/v1/fixture-records?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      const body = res.json();
      expect(body.total).toBe(visible.length);
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...body.items.map((r: { id: string }) => r.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(visible.map((o) => records[o]).sort());
  });

  it.each(OWNERS.map((o) => [o]))('get a record of %s', async (owner) => {
    const res = await me.get(`/api/v1/fixture-records/${records[owner]}`);
    if (visible.includes(owner)) {
      expect(res.statusCode).toBe(200);
      expect(res.json().owner_id).toBe(users[owner].id);
    } else {
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('not_found');
    }
  });

  it.each(OWNERS.map((o) => [o]))('update a record of %s', async (owner) => {
    const res = await me.patch(`/api/v1/fixture-records/${records[owner]}`, { title: `${scope} 改过` });
    if (visible.includes(owner)) {
      expect(res.statusCode).toBe(200);
      expect(await title(records[owner])).toBe(`${scope} 改过`);
    } else {
      expect(res.statusCode).toBe(404);
      expect(await title(records[owner])).toBe(`${owner} 的记录`);
    }
  });

  it.each(OWNERS.map((o) => [o]))('delete a record of %s', async (owner) => {
    const res = await me.delete(`/api/v1/fixture-records/${records[owner]}`);
    const still = await db.selectFrom('fixture_records').select('id').where('id', '=', records[owner]).executeTakeFirst();
    if (visible.includes(owner)) {
      expect(res.statusCode).toBe(204);
      expect(still).toBeUndefined();
    } else {
      expect(res.statusCode).toBe(404);
      expect(still).toBeDefined();
    }
  });

  it('leaves exactly the out-of-scope records after deleting everything reachable', async () => {
    const left = await db.selectFrom('fixture_records').select('id').execute();
    expect(left.map((r) => r.id).sort()).toEqual(hidden.map((o) => records[o]).sort());
  });
});

describe('outside the scopes', () => {
  beforeAll(seedRecords);

  it('lets the admin see, count and change every record', async () => {
    await grant([], 'self');
    const body = (await admin.get('/api/v1/fixture-records')).json();
    expect(body.total).toBe(OWNERS.length);
    expect(body.items).toHaveLength(OWNERS.length);
    expect((await admin.patch(`/api/v1/fixture-records/${records.otherDept}`, { title: '管理员改过' })).statusCode).toBe(200);
  });

  it('refuses the list and a record (403) to a position without view', async () => {
    await grant(['edit', 'delete'], 'all');
    for (const url of ['/api/v1/fixture-records', `/api/v1/fixture-records/${records.me}`]) {
      const res = await me.get(url);
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('forbidden');
    }
  });

  it('reaches no record for edit or delete without view', async () => {
    await grant(['edit', 'delete'], 'all');
    expect((await me.patch(`/api/v1/fixture-records/${records.me}`, { title: 'x' })).statusCode).toBe(404);
    expect((await me.delete(`/api/v1/fixture-records/${records.me}`)).statusCode).toBe(404);
    expect(await title(records.me)).toBe('me 的记录');
  });

  it('refuses edit (403) to a position that may only view', async () => {
    await grant(['view'], 'all');
    const res = await me.patch(`/api/v1/fixture-records/${records.me}`, { title: 'x' });
    expect(res.statusCode).toBe(403);
    expect((await me.delete(`/api/v1/fixture-records/${records.me}`)).statusCode).toBe(403);
    expect(await title(records.me)).toBe('me 的记录');
  });

  it('applies a permission change on the next request', async () => {
    await grant(['view'], 'self');
    expect((await me.get('/api/v1/fixture-records')).json().total).toBe(1);
    await grant(['view'], 'all');
    expect((await me.get('/api/v1/fixture-records')).json().total).toBe(OWNERS.length);
  });

  it('limits a user without a department to their own records under department scopes', async () => {
    const x = t.database.db;
    const pos = await createPosition(x, {
      name: '无部门',
      permissions: permissions({ fixture: { actions: ['view'], scope: 'department_tree' } }),
    });
    const loner = await createUser(x, { username: 'u.loner', positionId: pos, departmentId: null });
    const id = newId();
    await db.insertInto('fixture_records').values({ id, title: '无部门的记录', owner_id: loner.id, owner_department_id: null }).execute();
    const c = await loginAs(t.app, loner.username, loner.password);
    const body = (await c.get('/api/v1/fixture-records')).json();
    expect(body.items.map((r: { id: string }) => r.id)).toEqual([id]);
    expect(body.total).toBe(1);
  });
});
