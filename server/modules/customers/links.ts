import { sql } from 'kysely';
import type { Tx } from '@server/db/types';
import { nowIso } from '@server/db/ids';

/** Moves the rows of one link from customer `fromId` to `toId`; returns how many rows it touched. */
export type MoveLink = (tx: Tx, fromId: string, toId: string) => Promise<number>;

/**
 * One place that references a customer by id. `kind: 'move'` re-points the column with a plain
 * update (optionally bumping `version` / `updated_at` of versioned records, so an edit form opened
 * before the merge gets 409); `kind: 'custom'` needs its own `move` (e.g. a union of team members).
 */
export type CustomerLink =
  | { table: string; column: string; kind: 'move'; versioned?: boolean; move?: MoveLink }
  | { table: string; column: string; kind: 'custom'; move: MoveLink };

const links = new Map<string, CustomerLink>();

/**
 * Registers a place that references a customer, so merging two customers (merge.ts) moves it too.
 * Every module whose rows point at a customer registers them when it loads — this file registers
 * the customer module's own (contacts, follow-ups, schedules, important dates, leads, reports,
 * attachments, team, owner history); later modules (orders, quotes, mail, service …) call this for
 * theirs, e.g. `registerCustomerLink({ table: 'orders', column: 'customer_id', kind: 'move' })`.
 * Registering the same table.column again replaces the earlier entry.
 */
export function registerCustomerLink(link: CustomerLink): void {
  links.set(`${link.table}.${link.column}`, link);
}

/** Every registered link, in registration order. */
export function customerLinks(): CustomerLink[] {
  return [...links.values()];
}

/** Moves every registered link from `fromId` to `toId`; returns the rows touched per `table.column`. */
export async function moveCustomerLinks(tx: Tx, fromId: string, toId: string): Promise<Record<string, number>> {
  const moved: Record<string, number> = {};
  for (const link of links.values()) {
    const n = link.move
      ? await link.move(tx, fromId, toId)
      : await plainMove(tx, link.table, link.column, fromId, toId, link.kind === 'move' && !!link.versioned);
    moved[`${link.table}.${link.column}`] = n;
  }
  return moved;
}

async function plainMove(tx: Tx, table: string, column: string, fromId: string, toId: string, versioned: boolean): Promise<number> {
  const col = sql.ref(column);
  const touch = versioned ? sql`, version = version + 1, updated_at = ${nowIso()}` : sql``;
  const res = await sql`update ${sql.table(table)} set ${col} = ${toId}${touch} where ${col} = ${fromId}`.execute(tx);
  return Number(res.numAffectedRows ?? 0);
}

// ---- the customer module's own links ----------------------------------------------------------

registerCustomerLink({
  table: 'contacts',
  column: 'customer_id',
  kind: 'custom',
  // the target keeps its primary contact: moved contacts stop being primary when it has one
  move: async (tx, fromId, toId) => {
    const hasPrimary = await tx
      .selectFrom('contacts')
      .select('id')
      .where('customer_id', '=', toId)
      .where('is_primary', '=', 1)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    const res = await tx
      .updateTable('contacts')
      .set({
        customer_id: toId,
        ...(hasPrimary ? { is_primary: 0 } : {}),
        version: sql<number>`version + 1`,
        updated_at: nowIso(),
      })
      .where('customer_id', '=', fromId)
      .executeTakeFirst();
    return Number(res.numUpdatedRows);
  },
});
registerCustomerLink({ table: 'follow_ups', column: 'customer_id', kind: 'move', versioned: true });
registerCustomerLink({ table: 'schedules', column: 'customer_id', kind: 'move', versioned: true });
registerCustomerLink({ table: 'important_dates', column: 'customer_id', kind: 'move' });
registerCustomerLink({ table: 'leads', column: 'converted_customer_id', kind: 'move', versioned: true });
// open reports follow the customer; settled ones keep naming the customers they were about
for (const column of ['customer_id', 'target_customer_id'] as const) {
  registerCustomerLink({
    table: 'customer_reports',
    column,
    kind: 'custom',
    move: async (tx, fromId, toId) => {
      const res = await tx
        .updateTable('customer_reports')
        .set({ [column]: toId })
        .where(column, '=', fromId)
        .where('status', '=', 'open')
        .executeTakeFirst();
      return Number(res.numUpdatedRows);
    },
  });
}
registerCustomerLink({
  table: 'files',
  column: 'entity_id',
  kind: 'custom',
  move: async (tx, fromId, toId) => {
    const res = await tx
      .updateTable('files')
      .set({ entity_id: toId })
      .where('entity', '=', 'customer')
      .where('entity_id', '=', fromId)
      .executeTakeFirst();
    return Number(res.numUpdatedRows);
  },
});
registerCustomerLink({
  table: 'customer_team',
  column: 'customer_id',
  kind: 'custom',
  // union of both teams: the stronger access wins; the target's owner needs no team seat
  move: async (tx, fromId, toId) => {
    const target = await tx.selectFrom('customers').select('owner_id').where('id', '=', toId).executeTakeFirst();
    const theirs = await tx.selectFrom('customer_team').selectAll().where('customer_id', '=', fromId).execute();
    const ours = new Map(
      (await tx.selectFrom('customer_team').select(['user_id', 'access']).where('customer_id', '=', toId).execute()).map((r) => [
        r.user_id,
        r.access,
      ]),
    );
    let n = 0;
    for (const m of theirs) {
      if (m.user_id === target?.owner_id) continue;
      const current = ours.get(m.user_id);
      if (current === undefined) {
        await tx
          .insertInto('customer_team')
          .values({ ...m, customer_id: toId })
          .execute();
        n++;
      } else if (current === 'read' && m.access === 'write') {
        await tx
          .updateTable('customer_team')
          .set({ access: 'write' })
          .where('customer_id', '=', toId)
          .where('user_id', '=', m.user_id)
          .execute();
        n++;
      }
    }
    await tx.deleteFrom('customer_team').where('customer_id', '=', fromId).execute();
    return n;
  },
});
// the merged record keeps the whole ownership story of both
registerCustomerLink({ table: 'customer_owner_history', column: 'customer_id', kind: 'move' });
