import type { ApprovalFormEntriesTable, ApprovalFormsTable, DbOrTx } from '@server/db/types';
import { updateVersioned } from '@server/db/versioned';

/** Queries of custom forms and their entries (forms.service.ts and form-entries.service.ts decide). */

/** Live forms (only enabled ones when asked), in their display order. */
export async function listFormRows(db: DbOrTx, opts: { enabledOnly?: boolean } = {}): Promise<ApprovalFormsTable[]> {
  let q = db.selectFrom('approval_forms').selectAll().where('deleted_at', 'is', null);
  if (opts.enabledOnly) q = q.where('enabled', '=', 1);
  return q.orderBy('sort_order').orderBy('id').execute();
}

/** A form by id; deleted ones only with `withDeleted` (their running approvals still need them). */
export async function findFormRow(db: DbOrTx, id: string, opts: { withDeleted?: boolean } = {}): Promise<ApprovalFormsTable | undefined> {
  let q = db.selectFrom('approval_forms').selectAll().where('id', '=', id);
  if (!opts.withDeleted) q = q.where('deleted_at', 'is', null);
  return q.executeTakeFirst();
}

export async function insertFormRow(db: DbOrTx, row: ApprovalFormsTable): Promise<void> {
  await db.insertInto('approval_forms').values(row).execute();
}

export async function updateFormRow(
  db: DbOrTx,
  id: string,
  version: number,
  patch: Partial<Pick<ApprovalFormsTable, 'name' | 'description' | 'icon' | 'fields' | 'enabled' | 'sort_order' | 'deleted_at'>>,
  now: string,
): Promise<boolean> {
  return updateVersioned(db, 'approval_forms', id, version, patch, now);
}

export type EntryRow = ApprovalFormEntriesTable & { submitter_name: string };

export async function findEntryRow(db: DbOrTx, id: string): Promise<EntryRow | undefined> {
  return db
    .selectFrom('approval_form_entries as e')
    .innerJoin('users as u', 'u.id', 'e.submitter_id')
    .selectAll('e')
    .select('u.name as submitter_name')
    .where('e.id', '=', id)
    .where('e.deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function insertEntryRow(db: DbOrTx, row: ApprovalFormEntriesTable): Promise<void> {
  await db.insertInto('approval_form_entries').values(row).execute();
}

export async function updateEntryRow(db: DbOrTx, id: string, version: number, values: string, now: string): Promise<boolean> {
  return updateVersioned(db, 'approval_form_entries', id, version, { field_values: values }, now);
}

/** Whether the user takes part in an approval of the document: a task (any status) or a copy. */
export async function takesPart(db: DbOrTx, type: string, documentId: string, userId: string): Promise<boolean> {
  const task = await db
    .selectFrom('approval_instances as i')
    .innerJoin('approval_tasks as t', 't.instance_id', 'i.id')
    .select('i.id')
    .where('i.type', '=', type)
    .where('i.document_id', '=', documentId)
    .where('t.approver_id', '=', userId)
    .limit(1)
    .executeTakeFirst();
  if (task) return true;
  const cc = await db
    .selectFrom('approval_instances as i')
    .innerJoin('approval_cc as c', 'c.instance_id', 'i.id')
    .select('i.id')
    .where('i.type', '=', type)
    .where('i.document_id', '=', documentId)
    .where('c.user_id', '=', userId)
    .limit(1)
    .executeTakeFirst();
  return !!cc;
}

/** Active users among `ids`. */
export async function activeUserIds(db: DbOrTx, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('id', 'in', [...new Set(ids)])
    .where('status', '=', 'active')
    .execute();
  return new Set(rows.map((r) => r.id));
}
