import type { RecycleItem } from '@common/schemas/platform';
import type { Db, DbOrTx, Tx } from '@server/db/types';
import { newId, nowIso } from '@server/db/ids';
import { audit, SYSTEM_ACTOR, type Actor } from '../audit/audit.service';
import { AppError } from '../http/errors';
import { getCompany } from '../settings/settings.service';
import { keysetPage } from '@server/db/keyset';

/**
 * A record type that can sit in the recycle bin. The module owns its table: `restore` clears
 * its own deleted_at (and may refuse with an AppError, e.g. a duplicate name), `purge` removes
 * the row and whatever hangs off it for good. Both run inside the bin's transaction.
 */
export type Recyclable = {
  /** entity name as used in the audit log, e.g. 'customer' */
  entity: string;
  /** message key naming the type in the UI, e.g. 'customers.entity' */
  labelKey: string;
  restore(tx: Tx, entityId: string, actor: Actor): Promise<void>;
  purge(tx: Tx, entityId: string): Promise<void>;
};

const registry = new Map<string, Recyclable>();

/** Declares a recyclable record type (once per module; a later call for the same entity replaces it). */
export function registerRecyclable(r: Recyclable): void {
  registry.set(r.entity, r);
}

export function recyclable(entity: string): Recyclable | undefined {
  return registry.get(entity);
}

/**
 * Puts a soft-deleted record in the recycle bin and writes its 'delete' audit entry. Call it in
 * the module's delete transaction, after setting the record's own deleted_at. `before` (the
 * record as it was) goes into the audit entry's field changes.
 */
export async function moveToRecycleBin(
  tx: DbOrTx,
  item: { entity: string; entityId: string; label: string; before?: Record<string, unknown> },
  actor: Actor,
): Promise<string> {
  if (!registry.has(item.entity)) throw new Error(`Entity ${item.entity} is not registered as recyclable`);
  const id = newId();
  await tx
    .insertInto('recycle_bin')
    .values({
      id,
      entity: item.entity,
      entity_id: item.entityId,
      label: item.label.slice(0, 500),
      deleted_by: actor.id,
      deleted_at: nowIso(),
    })
    .execute();
  await audit(tx, actor, {
    action: 'delete',
    entity: item.entity,
    entityId: item.entityId,
    ...(item.before ? { before: item.before, after: null } : {}),
    detail: item.label,
  });
  return id;
}

const DAY_MS = 86_400_000;

/** Bin entries, newest deletion first, with when each will be purged under the current retention. */
export async function listRecycleBin(db: DbOrTx, q: { entity?: string; cursor?: string; limit: number }) {
  const { recycleRetentionDays } = await getCompany(db);
  let query = db
    .selectFrom('recycle_bin')
    .leftJoin('users', 'users.id', 'recycle_bin.deleted_by')
    .selectAll('recycle_bin')
    .select('users.name as deleted_by_name');
  if (q.entity) query = query.where('recycle_bin.entity', '=', q.entity);
  if (q.cursor) query = query.where('recycle_bin.id', '<', q.cursor);
  const rows = await query
    .orderBy('recycle_bin.id', 'desc')
    .limit(q.limit + 1)
    .execute();
  return keysetPage(rows, q.limit, (r): RecycleItem => ({
    id: r.id,
    entity: r.entity,
    labelKey: registry.get(r.entity)?.labelKey ?? null,
    entityId: r.entity_id,
    label: r.label,
    deletedBy: r.deleted_by,
    deletedByName: r.deleted_by_name,
    deletedAt: r.deleted_at,
    purgeAt: nowIso(new Date(Date.parse(r.deleted_at) + recycleRetentionDays * DAY_MS)),
  }));
}

async function takeEntry(tx: Tx, id: string) {
  const row = await tx.selectFrom('recycle_bin').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('not_found');
  const r = registry.get(row.entity);
  if (!r) throw new AppError('recycle_unavailable');
  // a concurrent restore/purge of the same entry deletes 0 rows here and gives up
  const gone = await tx.deleteFrom('recycle_bin').where('id', '=', id).executeTakeFirst();
  if (Number(gone.numDeletedRows) !== 1) throw new AppError('not_found');
  return { row, r };
}

/** Brings a record back: the module's restore, the bin entry removed, audited 'restore'. */
export async function restoreFromRecycleBin(db: Db, id: string, actor: Actor): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const { row, r } = await takeEntry(tx, id);
    await r.restore(tx, row.entity_id, actor);
    await audit(tx, actor, { action: 'restore', entity: row.entity, entityId: row.entity_id, detail: row.label });
  });
}

/** Deletes a binned record for good: the module's purge, the bin entry removed, audited 'purge'. */
export async function purgeFromRecycleBin(db: Db, id: string, actor: Actor, detail?: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const { row, r } = await takeEntry(tx, id);
    await r.purge(tx, row.entity_id);
    await audit(tx, actor, {
      action: 'purge',
      entity: row.entity,
      entityId: row.entity_id,
      detail: [row.label, detail].filter(Boolean).join('; '),
    });
  });
}

export const PURGE_JOB = 'recycle-bin.purge';

/**
 * Purges every entry deleted more than the company's retention days before `now`, each in its
 * own transaction. Entries of types no module registers are left for later. Throws after the
 * pass if any purge failed, so the job is retried and shows up as failed if it keeps failing.
 */
export async function purgeExpired(db: Db, now: Date): Promise<number> {
  const { recycleRetentionDays } = await getCompany(db);
  const cutoff = nowIso(new Date(now.getTime() - recycleRetentionDays * DAY_MS));
  const rows = await db.selectFrom('recycle_bin').select(['id', 'entity']).where('deleted_at', '<', cutoff).orderBy('id').execute();
  let purged = 0;
  const errors: string[] = [];
  for (const row of rows) {
    if (!registry.has(row.entity)) continue;
    try {
      await purgeFromRecycleBin(db, row.id, SYSTEM_ACTOR, `retention ${recycleRetentionDays} days`);
      purged++;
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found') continue; // restored or purged meanwhile
      errors.push(`${row.entity}/${row.id}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (errors.length) throw new Error(`Purged ${purged}, failed ${errors.length}: ${errors.slice(0, 5).join('; ')}`);
  return purged;
}
