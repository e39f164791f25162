import {
  savedViewConfig,
  type CreateSavedViewBody,
  type SavedView,
  type SavedViewConfig,
  type UpdateSavedViewBody,
} from '@common/schemas/views';
import type { DbOrTx, SavedViewsTable } from '@server/db/types';
import { newId, nowIso } from '@server/db/ids';
import { updateVersioned } from '@server/db/versioned';
import { audit, type Actor } from '../audit/audit.service';
import { AppError, fieldError } from '../http/errors';
import { withTx } from '../org/caller';

/**
 * Saved list views (视图): a user's named filters, columns and sort for one list. Anyone may share
 * a view with everybody (it holds no data: the list still applies each viewer's own scope); only
 * its owner or an admin changes or deletes it.
 */

export type ViewCaller = { actor: Actor; userId: string; isAdmin: boolean };

/** views per user and list: enough for any real use, a bound on what one user can store */
export const MAX_VIEWS_PER_LIST = 100;

type Row = SavedViewsTable & { owner_name: string | null };

function parseConfig(text: string): SavedViewConfig {
  try {
    const r = savedViewConfig.safeParse(JSON.parse(text));
    if (r.success) return r.data;
  } catch {
    // fall through: an unreadable config shows as an empty view
  }
  return { filters: [], columns: [] };
}

function present(row: Row, userId: string): SavedView {
  return {
    id: row.id,
    entity: row.entity,
    name: row.name,
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    shared: row.shared === 1,
    mine: row.owner_id === userId,
    config: parseConfig(row.config),
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function baseQuery(db: DbOrTx) {
  return db
    .selectFrom('saved_views as v')
    .leftJoin('users as u', 'u.id', 'v.owner_id')
    .selectAll('v')
    .select('u.name as owner_name')
    .where('v.deleted_at', 'is', null);
}

/** My views of a list, then the views others shared, each by name. */
export async function listViews(db: DbOrTx, entity: string, userId: string): Promise<SavedView[]> {
  const rows = await baseQuery(db)
    .where('v.entity', '=', entity)
    .where((eb) => eb.or([eb('v.owner_id', '=', userId), eb('v.shared', '=', 1)]))
    .orderBy('v.name')
    .orderBy('v.id')
    .execute();
  const views = rows.map((r) => present(r, userId));
  return [...views.filter((v) => v.mine), ...views.filter((v) => !v.mine)];
}

async function loadView(db: DbOrTx, id: string, userId: string): Promise<SavedView> {
  const row = await baseQuery(db).where('v.id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('not_found');
  return present(row, userId);
}

/** A view the caller may see (own or shared), else 404. */
export async function getView(db: DbOrTx, id: string, userId: string): Promise<SavedView> {
  const view = await loadView(db, id, userId);
  if (!view.mine && !view.shared) throw new AppError('not_found');
  return view;
}

/** A view the caller may change: own, or any as admin; a shared view of someone else → 403. */
async function getEditable(db: DbOrTx, id: string, caller: ViewCaller): Promise<SavedView> {
  const view = await getView(db, id, caller.userId);
  if (!view.mine && !caller.isAdmin) throw new AppError('forbidden');
  return view;
}

async function assertNameFree(db: DbOrTx, ownerId: string, entity: string, name: string, exceptId?: string) {
  let q = db
    .selectFrom('saved_views')
    .select('id')
    .where('owner_id', '=', ownerId)
    .where('entity', '=', entity)
    .where('name', '=', name)
    .where('deleted_at', 'is', null);
  if (exceptId) q = q.where('id', '<>', exceptId);
  if (await q.executeTakeFirst()) throw fieldError('name', 'duplicate');
}

const auditView = (v: SavedView) => ({ entity: v.entity, name: v.name, shared: v.shared, config: v.config });

export async function createView(db: DbOrTx, body: CreateSavedViewBody, caller: ViewCaller): Promise<SavedView> {
  return withTx(db, async (tx) => {
    await assertNameFree(tx, caller.userId, body.entity, body.name);
    const { count } = await tx
      .selectFrom('saved_views')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('owner_id', '=', caller.userId)
      .where('entity', '=', body.entity)
      .where('deleted_at', 'is', null)
      .executeTakeFirstOrThrow();
    if (Number(count) >= MAX_VIEWS_PER_LIST) throw fieldError('name', 'too_big', { max: MAX_VIEWS_PER_LIST });
    const now = nowIso();
    const id = newId();
    await tx
      .insertInto('saved_views')
      .values({
        id,
        entity: body.entity,
        name: body.name,
        owner_id: caller.userId,
        shared: body.shared ? 1 : 0,
        config: JSON.stringify(body.config),
        version: 1,
        created_by: caller.userId,
        created_at: now,
        updated_at: now,
        deleted_at: null,
      })
      .execute();
    const created = await getView(tx, id, caller.userId);
    await audit(tx, caller.actor, { action: 'create', entity: 'saved_view', entityId: id, after: auditView(created) });
    return created;
  });
}

export async function updateView(db: DbOrTx, id: string, body: UpdateSavedViewBody, caller: ViewCaller): Promise<SavedView> {
  return withTx(db, async (tx) => {
    const before = await getEditable(tx, id, caller);
    if (before.version !== body.version) throw new AppError('stale_version');
    const patch: Partial<SavedViewsTable> = {};
    if (body.name !== undefined && body.name !== before.name) {
      await assertNameFree(tx, before.ownerId, before.entity, body.name, id);
      patch.name = body.name;
    }
    if (body.shared !== undefined) patch.shared = body.shared ? 1 : 0;
    if (body.config !== undefined) patch.config = JSON.stringify(body.config);
    if (!(await updateVersioned(tx, 'saved_views', id, body.version, patch, nowIso()))) throw new AppError('stale_version');
    // an admin who unshares someone's view no longer sees it in the list, but gets the result
    const after = await loadView(tx, id, caller.userId);
    await audit(tx, caller.actor, {
      action: 'update',
      entity: 'saved_view',
      entityId: id,
      before: auditView(before),
      after: auditView(after),
    });
    return after;
  });
}

/** Deletes a view (soft; views are settings, not business records: no recycle bin). */
export async function deleteView(db: DbOrTx, id: string, version: number | undefined, caller: ViewCaller): Promise<void> {
  await withTx(db, async (tx) => {
    const before = await getEditable(tx, id, caller);
    if (version !== undefined && before.version !== version) throw new AppError('stale_version');
    const now = nowIso();
    if (!(await updateVersioned(tx, 'saved_views', id, before.version, { deleted_at: now }, now))) throw new AppError('stale_version');
    await audit(tx, caller.actor, {
      action: 'delete',
      entity: 'saved_view',
      entityId: id,
      before: auditView(before),
      after: null,
      detail: before.name,
    });
  });
}
