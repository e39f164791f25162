import { sql, type Expression, type Insertable, type SqlBool, type Updateable } from 'kysely';
import type { DbOrTx, LeadsTable } from '@server/db/types';
import type { LeadListQuery } from '@common/schemas/leads';
import { exactCondition, indexRecord, matchCondition, rankGrams, removeRecord } from '@server/db/search';
import { updateVersioned } from '@server/db/versioned';

/** Search entity of leads in search_grams. */
export const LEAD_ENTITY = 'lead';

export type LeadRow = LeadsTable & {
  owner_name: string | null;
  owner_department_name: string | null;
  created_by_name: string | null;
  converted_customer_name: string | null;
};

function selectLeads(db: DbOrTx) {
  return db
    .selectFrom('leads as l')
    .leftJoin('users as o', 'o.id', 'l.owner_id')
    .leftJoin('departments as d', 'd.id', 'l.owner_department_id')
    .leftJoin('users as cb', 'cb.id', 'l.created_by')
    .leftJoin('customers as cc', 'cc.id', 'l.converted_customer_id')
    .selectAll('l')
    .select([
      'o.name as owner_name',
      'd.name as owner_department_name',
      'cb.name as created_by_name',
      'cc.name as converted_customer_name',
    ]);
}

/** A live lead within `scope` (a condition over `leads as l`), or undefined. */
export async function findLeadRow(db: DbOrTx, id: string, scope: Expression<SqlBool>): Promise<LeadRow | undefined> {
  return selectLeads(db).where('l.id', '=', id).where('l.deleted_at', 'is', null).where(scope).executeTakeFirst();
}

/** Whether a lead (live or in the recycle bin) lies within `scope`: who may read its history. */
export async function leadInScope(db: DbOrTx, id: string, scope: Expression<SqlBool>): Promise<boolean> {
  const row = await db.selectFrom('leads as l').select('l.id').where('l.id', '=', id).where(scope).executeTakeFirst();
  return !!row;
}

/** The searchable columns, in the order they are indexed. */
export const SEARCH_COLUMNS = ['name', 'company', 'mobile', 'phone', 'email'] as const;
export type SearchColumn = (typeof SEARCH_COLUMNS)[number];

/**
 * One page of live leads (newest first, keyset on id) and the total, under `scope`. `searchable`
 * lists the columns the viewer may search: when some are hidden from them, a keyword must also
 * match one of the visible columns as typed, so a hidden value cannot be probed.
 */
export async function listLeadRows(
  db: DbOrTx,
  q: LeadListQuery,
  scope: Expression<SqlBool>,
  searchable: SearchColumn[],
): Promise<{ rows: LeadRow[]; total: number }> {
  const filters: Expression<SqlBool>[] = [scope, sql<SqlBool>`l.deleted_at is null`];
  if (q.status) filters.push(sql<SqlBool>`l.status = ${q.status}`);
  if (q.ownerId) filters.push(sql<SqlBool>`l.owner_id = ${q.ownerId}`);
  if (q.source) filters.push(sql<SqlBool>`l.source = ${q.source}`);
  if (q.q) {
    const match = matchCondition(LEAD_ENTITY, 'l.id', q.q, await rankGrams(db, LEAD_ENTITY, q.q));
    if (match) {
      filters.push(match);
      if (searchable.length < SEARCH_COLUMNS.length) {
        filters.push(
          exactCondition(
            searchable.map((c) => `l.${c}`),
            q.q,
          ) ?? sql<SqlBool>`1 = 0`,
        );
      }
    }
  }
  const where = sql<SqlBool>`${sql.join(filters, sql` and `)}`;
  let page = selectLeads(db).where(where);
  if (q.cursor) page = page.where('l.id', '<', q.cursor);
  const rows = await page
    .orderBy('l.id', 'desc')
    .limit(q.limit + 1)
    .execute();
  const { n } = await db
    .selectFrom('leads as l')
    .select((e) => e.fn.countAll<number>().as('n'))
    .where(where)
    .executeTakeFirstOrThrow();
  return { rows, total: Number(n) };
}

export async function insertLead(db: DbOrTx, row: Insertable<LeadsTable>): Promise<void> {
  await db.insertInto('leads').values(row).execute();
}

/** Optimistic update of a live lead; false when the version moved on (or it was deleted). */
export function updateLeadRow(db: DbOrTx, id: string, version: number, patch: Updateable<LeadsTable>, now: string): Promise<boolean> {
  return updateVersioned(db, 'leads', id, version, patch, now);
}

/** Rebuilds a lead's keyword index (name, company, mobile, phone, email); call in the writing transaction. */
export async function reindexLead(db: DbOrTx, id: string): Promise<void> {
  const l = await db.selectFrom('leads').select(['name', 'company', 'mobile', 'phone', 'email']).where('id', '=', id).executeTakeFirst();
  if (!l) {
    await removeRecord(db, LEAD_ENTITY, id);
    return;
  }
  await indexRecord(db, LEAD_ENTITY, id, [l.name, l.company, l.mobile, l.phone, l.email]);
}

/** Live leads owned by a user (for the handover). */
export async function leadsOwnedBy(db: DbOrTx, userId: string) {
  return db
    .selectFrom('leads')
    .select(['id', 'version', 'owner_id', 'owner_department_id'])
    .where('owner_id', '=', userId)
    .where('deleted_at', 'is', null)
    .execute();
}

export async function countLeadsOwnedBy(db: DbOrTx, userId: string): Promise<number> {
  const r = await db
    .selectFrom('leads')
    .select((e) => e.fn.countAll<number>().as('n'))
    .where('owner_id', '=', userId)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Follow-ups and schedules of a lead now also belong to the customer it became (lead_id kept);
 * those without a contact get the new contact: they were with that person.
 */
export async function linkLeadHistory(db: DbOrTx, leadId: string, customerId: string, contactId: string | null, now: string) {
  const patch = {
    customer_id: customerId,
    contact_id: sql<string | null>`coalesce(contact_id, ${contactId})`,
    updated_at: now,
    version: sql<number>`version + 1`,
  };
  const followUps = await db.updateTable('follow_ups').set(patch).where('lead_id', '=', leadId).executeTakeFirst();
  const schedules = await db.updateTable('schedules').set(patch).where('lead_id', '=', leadId).executeTakeFirst();
  return { followUps: Number(followUps.numUpdatedRows), schedules: Number(schedules.numUpdatedRows) };
}

/** Removes a binned lead for good with the follow-ups and schedules that hang off it alone. */
export async function purgeLeadRow(db: DbOrTx, id: string): Promise<void> {
  await db.deleteFrom('follow_ups').where('lead_id', '=', id).where('customer_id', 'is', null).execute();
  await db.deleteFrom('schedules').where('lead_id', '=', id).where('customer_id', 'is', null).execute();
  await db.deleteFrom('leads').where('id', '=', id).where('deleted_at', 'is not', null).execute();
  await removeRecord(db, LEAD_ENTITY, id);
}
