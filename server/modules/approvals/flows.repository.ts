import type { DbOrTx, ApprovalFlowsTable, ApprovalFlowVersionsTable } from '@server/db/types';
import { updateVersioned } from '@server/db/versioned';

/** Queries of approval flows and their definition versions (flows.service.ts decides). */

export type FlowRow = ApprovalFlowsTable & { definition: string; number: number };

function selectFlows(db: DbOrTx) {
  return db
    .selectFrom('approval_flows as f')
    .innerJoin('approval_flow_versions as v', 'v.id', 'f.current_version_id')
    .selectAll('f')
    .select(['v.definition', 'v.number'])
    .where('f.deleted_at', 'is', null);
}

/** Live flows, of one type when given, in the order the engine tries them (priority, then creation). */
export async function listFlowRows(db: DbOrTx, type?: string): Promise<FlowRow[]> {
  let q = selectFlows(db);
  if (type) q = q.where('f.type', '=', type);
  return q.orderBy('f.type').orderBy('f.priority').orderBy('f.id').execute();
}

export async function findFlowRow(db: DbOrTx, id: string): Promise<FlowRow | undefined> {
  return selectFlows(db).where('f.id', '=', id).executeTakeFirst();
}

export async function insertFlow(db: DbOrTx, row: ApprovalFlowsTable): Promise<void> {
  await db.insertInto('approval_flows').values(row).execute();
}

export async function insertFlowVersion(db: DbOrTx, row: ApprovalFlowVersionsTable): Promise<void> {
  await db.insertInto('approval_flow_versions').values(row).execute();
}

/** Optimistic update: false when the version no longer matches (or the flow is deleted). */
export async function updateFlowRow(
  db: DbOrTx,
  id: string,
  version: number,
  patch: Partial<Omit<ApprovalFlowsTable, 'id' | 'version' | 'created_at' | 'created_by' | 'updated_at' | 'type'>>,
  now: string,
): Promise<boolean> {
  return updateVersioned(db, 'approval_flows', id, version, patch, now);
}

/**
 * Locks every flow row of a type (a no-op update: a row lock on PostgreSQL, SQLite serialises
 * writers anyway) so two saves that both make a flow the default cannot each miss the other's.
 * Call it before touching any flow of the type in the transaction, so the lock order is the same.
 */
export async function lockFlowsOfType(db: DbOrTx, type: string): Promise<void> {
  await db
    .updateTable('approval_flows')
    .set((eb) => ({ is_default: eb.ref('is_default') }))
    .where('type', '=', type)
    .execute();
}

/** The other live default flows of a type (a type has one default). */
export async function otherDefaultFlows(db: DbOrTx, type: string, exceptId: string): Promise<{ id: string; version: number }[]> {
  return db
    .selectFrom('approval_flows')
    .select(['id', 'version'])
    .where('type', '=', type)
    .where('is_default', '=', 1)
    .where('id', '!=', exceptId)
    .where('deleted_at', 'is', null)
    .execute();
}

/** Live enabled flows whose current definition mentions `needle` (a cheap prefilter; the caller parses to be sure). */
export async function enabledFlowsMentioning(db: DbOrTx, needle: string): Promise<{ id: string; name: string; definition: string }[]> {
  return db
    .selectFrom('approval_flows as f')
    .innerJoin('approval_flow_versions as v', 'v.id', 'f.current_version_id')
    .select(['f.id', 'f.name', 'v.definition'])
    .where('f.deleted_at', 'is', null)
    .where('f.enabled', '=', 1)
    .where('v.definition', 'like', `%${needle}%`)
    .orderBy('f.id')
    .execute();
}

/** Which of `ids` are live, active users / live org positions / live approval positions / live departments. */
export async function existingIds(
  db: DbOrTx,
  table: 'users' | 'positions' | 'approval_positions' | 'departments',
  ids: string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const unique = [...new Set(ids)];
  let rows: { id: string }[];
  if (table === 'users') {
    rows = await db.selectFrom('users').select('id').where('id', 'in', unique).where('status', '=', 'active').execute();
  } else {
    rows = await db.selectFrom(table).select('id').where('id', 'in', unique).where('deleted_at', 'is', null).execute();
  }
  return new Set(rows.map((r) => r.id));
}
