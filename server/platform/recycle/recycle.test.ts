import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { newId, nowIso } from '@server/db/ids';
import { createTestApp, loginAs, setupAdmin, ADMIN, type Client, type TestApp } from '@server/test/app';
import { createUser } from '@server/test/factories';
import { actorOf } from '../audit/audit.service';
import { AppError } from '../http/errors';
import { moveToRecycleBin, registerRecyclable } from './recycle.service';

/**
 * A fixture module: notes with a soft delete, registered as recyclable like a real module would.
 * Restoring is refused while a live note has the same title (a module's own rule).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const notes = (db: unknown) => db as Kysely<any>;
registerRecyclable({
  entity: 'fixture_note',
  labelKey: 'fixture.note',
  async restore(tx, id) {
    const row = await notes(tx).selectFrom('fixture_notes').select('title').where('id', '=', id).executeTakeFirstOrThrow();
    const clash = await notes(tx)
      .selectFrom('fixture_notes')
      .select('id')
      .where('title', '=', row.title)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (clash) throw new AppError('duplicate', { field: 'title', value: row.title as string });
    await notes(tx).updateTable('fixture_notes').set({ deleted_at: null }).where('id', '=', id).execute();
  },
  async purge(tx, id) {
    await notes(tx).deleteFrom('fixture_notes').where('id', '=', id).execute();
  },
});

async function fixtureRoutes(app: FastifyInstance) {
  app.delete(
    '/fixture-notes/:id',
    { config: { access: 'admin' }, schema: { params: z.object({ id: z.string() }) } },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      await app.ctx.db.transaction().execute(async (tx) => {
        const row = await notes(tx)
          .selectFrom('fixture_notes')
          .selectAll()
          .where('id', '=', id)
          .where('deleted_at', 'is', null)
          .executeTakeFirst();
        if (!row) throw new AppError('not_found');
        await notes(tx).updateTable('fixture_notes').set({ deleted_at: nowIso() }).where('id', '=', id).execute();
        await moveToRecycleBin(
          tx,
          { entity: 'fixture_note', entityId: id, label: row.title as string, before: { title: row.title } },
          actorOf(request),
        );
      });
      return reply.code(204).send();
    },
  );
}

let t: TestApp;
let admin: Client;
const db = () => notes(t.app.ctx.db);

async function addNote(title: string): Promise<string> {
  const id = newId();
  await db().insertInto('fixture_notes').values({ id, title, deleted_at: null }).execute();
  return id;
}
const note = (id: string) => db().selectFrom('fixture_notes').selectAll().where('id', '=', id).executeTakeFirst();
const binEntry = async (entityId: string) =>
  (await t.app.ctx.db.selectFrom('recycle_bin').selectAll().where('entity_id', '=', entityId).executeTakeFirst())?.id;
const auditActions = async (entityId: string) =>
  (
    await t.app.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'actor_name'])
      .where('entity', '=', 'fixture_note')
      .where('entity_id', '=', entityId)
      .orderBy('id')
      .execute()
  ).map((r) => `${r.action}:${r.actor_name}`);

beforeAll(async () => {
  t = await createTestApp({}, { plugins: [fixtureRoutes] });
  admin = await setupAdmin(t.app);
  await db()
    .schema.createTable('fixture_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text')
    .addColumn('deleted_at', 'text')
    .execute();
});
afterAll(() => t.close());

describe('recycle bin', () => {
  it('lists a deleted record with who deleted it and when it will be purged', async () => {
    const id = await addNote('华南区年度合同');
    expect((await admin.delete(`/api/v1/fixture-notes/${id}`)).statusCode).toBe(204);
    expect((await note(id))?.deleted_at).toBeTruthy();

    const res = await admin.get('/api/v1/recycle-bin?entity=fixture_note');
    expect(res.statusCode).toBe(200);
    const [item] = res.json().items;
    expect(item).toMatchObject({
      entity: 'fixture_note',
      labelKey: 'fixture.note',
      entityId: id,
      label: '华南区年度合同',
      deletedByName: ADMIN.name,
    });
    expect(Date.parse(item.purgeAt) - Date.parse(item.deletedAt)).toBe(30 * 86_400_000);
    expect((await admin.get('/api/v1/recycle-bin?entity=customer')).json().items).toEqual([]);
    expect(await auditActions(id)).toEqual([`delete:${ADMIN.name}`]);
  });

  it('restores a record: the module brings it back, the entry leaves the bin, audited', async () => {
    const id = await addNote('回访计划');
    await admin.delete(`/api/v1/fixture-notes/${id}`);
    const binId = await binEntry(id);
    const res = await admin.post(`/api/v1/recycle-bin/${binId}/restore`);
    expect(res.statusCode).toBe(200);
    expect((await note(id))?.deleted_at).toBeNull();
    expect(await binEntry(id)).toBeUndefined();
    expect(await auditActions(id)).toEqual([`delete:${ADMIN.name}`, `restore:${ADMIN.name}`]);
    expect((await admin.post(`/api/v1/recycle-bin/${binId}/restore`)).statusCode).toBe(404);
  });

  it('leaves everything as it was when the module refuses the restore', async () => {
    const id = await addNote('重复标题');
    await admin.delete(`/api/v1/fixture-notes/${id}`);
    await addNote('重复标题');
    const binId = await binEntry(id);
    const res = await admin.post(`/api/v1/recycle-bin/${binId}/restore`);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('duplicate');
    expect(await binEntry(id)).toBe(binId);
    expect((await note(id))?.deleted_at).toBeTruthy();
    expect(await auditActions(id)).toEqual([`delete:${ADMIN.name}`]);
  });

  it('purges a record now: gone for good, audited', async () => {
    const id = await addNote('作废报价');
    await admin.delete(`/api/v1/fixture-notes/${id}`);
    const res = await admin.delete(`/api/v1/recycle-bin/${await binEntry(id)}`);
    expect(res.statusCode).toBe(204);
    expect(await note(id)).toBeUndefined();
    expect(await binEntry(id)).toBeUndefined();
    expect(await auditActions(id)).toEqual([`delete:${ADMIN.name}`, `purge:${ADMIN.name}`]);
  });

  it('is for admins only', async () => {
    const u = await createUser(t.app.ctx.db, { username: 'rb-user' });
    const c = await loginAs(t.app, u.username, u.password);
    const id = await addNote('别人的');
    await admin.delete(`/api/v1/fixture-notes/${id}`);
    const binId = await binEntry(id);
    expect((await c.get('/api/v1/recycle-bin')).statusCode).toBe(403);
    expect((await c.post(`/api/v1/recycle-bin/${binId}/restore`)).statusCode).toBe(403);
    expect((await c.delete(`/api/v1/recycle-bin/${binId}`)).statusCode).toBe(403);
    expect((await admin.delete('/api/v1/recycle-bin/not-an-id')).statusCode).toBe(400);
    expect((await admin.get('/api/v1/recycle-bin?limit=0')).statusCode).toBe(400);
  });

  it('pages newest deletion first', async () => {
    const page = (await admin.get('/api/v1/recycle-bin?limit=2')).json();
    expect(page.items).toHaveLength(2);
    const next = (await admin.get(`/api/v1/recycle-bin?limit=2&cursor=${page.nextCursor}`)).json();
    expect(next.items.every((i: { id: string }) => i.id < page.items[1].id)).toBe(true);
  });

  it('the daily job purges entries older than the retention setting, and only those', async () => {
    expect((await admin.patch('/api/v1/settings/company', { recycleRetentionDays: 7 })).statusCode).toBe(200);
    const old = await addNote('八天前删除');
    const recent = await addNote('六天前删除');
    for (const id of [old, recent]) await admin.delete(`/api/v1/fixture-notes/${id}`);
    const daysAgo = (d: number) => nowIso(new Date(Date.now() - d * 86_400_000));
    await t.app.ctx.db
      .updateTable('recycle_bin')
      .set({ deleted_at: daysAgo(8) })
      .where('entity_id', '=', old)
      .execute();
    await t.app.ctx.db
      .updateTable('recycle_bin')
      .set({ deleted_at: daysAgo(6) })
      .where('entity_id', '=', recent)
      .execute();
    const listed = (await admin.get('/api/v1/recycle-bin')).json().items.find((i: { entityId: string }) => i.entityId === recent);
    expect(Date.parse(listed.purgeAt) - Date.parse(listed.deletedAt)).toBe(7 * 86_400_000);

    // the schedule's slot has come: the runner enqueues and runs the purge
    const { jobs } = t.app.ctx;
    await jobs.syncSchedules();
    await t.app.ctx.db
      .updateTable('job_schedules')
      .set({ next_run_at: daysAgo(0.01) })
      .where('name', '=', 'recycle-bin.purge')
      .execute();
    expect(await jobs.runDue()).toBe(1);

    expect(await note(old)).toBeUndefined();
    expect(await binEntry(old)).toBeUndefined();
    expect(await auditActions(old)).toEqual([`delete:${ADMIN.name}`, 'purge:system']);
    expect((await note(recent))?.deleted_at).toBeTruthy();
    expect(await binEntry(recent)).toBeTruthy();
    const job = await t.app.ctx.db.selectFrom('jobs').selectAll().where('name', '=', 'recycle-bin.purge').executeTakeFirstOrThrow();
    expect(job.status).toBe('done');
  });
});
