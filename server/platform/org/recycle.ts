import type { Tx } from '@server/db/types';
import { nowIso } from '@server/db/ids';
import { audit, type Actor } from '../audit/audit.service';
import { registerRecyclable } from '../recycle/recycle.service';

/**
 * Deleted departments and positions sit in the recycle bin. A restored record whose parent is
 * no longer live comes back at the top level (audited), so the tree never points at a deleted row.
 */

async function restoreRow(tx: Tx, table: 'departments' | 'positions', entity: string, id: string, actor: Actor) {
  const row = await tx.selectFrom(table).select(['parent_id', 'version']).where('id', '=', id).executeTakeFirst();
  if (!row) return;
  let parentId = row.parent_id;
  if (parentId) {
    const parent = await tx.selectFrom(table).select('id').where('id', '=', parentId).where('deleted_at', 'is', null).executeTakeFirst();
    if (!parent) {
      await audit(tx, actor, {
        action: 'update',
        entity,
        entityId: id,
        before: { parentId },
        after: { parentId: null },
        detail: 'restore',
      });
      parentId = null;
    }
  }
  await tx
    .updateTable(table)
    .set({ deleted_at: null, parent_id: parentId, version: row.version + 1, updated_at: nowIso() })
    .where('id', '=', id)
    .execute();
}

registerRecyclable({
  entity: 'department',
  labelKey: 'org.entity.department',
  restore: (tx, id, actor) => restoreRow(tx, 'departments', 'department', id, actor),
  async purge(tx, id) {
    await tx.deleteFrom('departments').where('id', '=', id).where('deleted_at', 'is not', null).execute();
  },
});

registerRecyclable({
  entity: 'position',
  labelKey: 'org.entity.position',
  restore: (tx, id, actor) => restoreRow(tx, 'positions', 'position', id, actor),
  async purge(tx, id) {
    await tx.deleteFrom('positions').where('id', '=', id).where('deleted_at', 'is not', null).execute();
  },
});

export { moveToRecycleBin } from '../recycle/recycle.service';
