import type { FileInfo } from '@common/schemas/files';
import type { Db, DbOrTx } from '@server/db/types';
import { nowIso } from '@server/db/ids';
import type { Auth } from '@server/platform/access/types';
import { audit, type Actor } from '@server/platform/audit/audit.service';
import { attachFiles, filesOf } from '@server/platform/files/files.service';
import { AppError, fieldError } from '@server/platform/http/errors';
import { withTx } from '@server/platform/org/caller';
import { editableRow } from './customers.service';
import { customerVisible } from './visibility';

/**
 * The customer's own files (附件 on the 360° page), beside those of its follow-ups: uploaded first
 * (POST /files), then attached by whoever may edit the customer. Read (GET /files?entity=customer,
 * GET /files/:id) by whoever sees the customer.
 */

export const CUSTOMER_FILE_ENTITY = 'customer';

/** Whoever sees the live customer under the customers scope may read its files. */
export async function customerFilesReadable(db: DbOrTx, auth: Auth, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('customers as c')
    .select('c.id')
    .where('c.id', '=', id)
    .where('c.deleted_at', 'is', null)
    .where(customerVisible(auth))
    .executeTakeFirst();
  return !!row;
}

/**
 * Attaches files the caller uploaded to a customer they may edit (404 out of scope, 403 read-only,
 * customer_in_pool for a pool customer); each id must be a live, unattached upload of the caller
 * (fieldError fileIds.N not_found). Audited 'attach' on the customer. Answers the customer's files.
 */
export async function attachCustomerFiles(
  db: Db,
  auth: Auth,
  actor: Actor,
  id: string,
  fileIds: readonly string[],
): Promise<{ items: FileInfo[] }> {
  return withTx(db, async (tx) => {
    await editableRow(tx, auth, id);
    try {
      await attachFiles(tx, fileIds, CUSTOMER_FILE_ENTITY, id, auth.user.id);
    } catch (err) {
      const field = err instanceof AppError ? err.fieldErrors[0]?.field : undefined;
      if (field?.startsWith('attachmentIds.')) throw fieldError(field.replace('attachmentIds.', 'fileIds.'), 'not_found');
      throw err;
    }
    const items = await filesOf(tx, CUSTOMER_FILE_ENTITY, id);
    const added = items.filter((f) => fileIds.includes(f.id));
    await audit(tx, actor, {
      action: 'attach',
      entity: 'customer',
      entityId: id,
      before: null,
      after: { files: added.map((f) => ({ id: f.id, name: f.name })) },
      detail: added.map((f) => f.name).join(', '),
    });
    return { items };
  });
}

/**
 * Removes one of the customer's files (soft delete) for whoever may edit the customer; a file not
 * attached to this customer answers 404. Audited 'detach' on the customer.
 */
export async function detachCustomerFile(db: Db, auth: Auth, actor: Actor, id: string, fileId: string): Promise<void> {
  await withTx(db, async (tx) => {
    await editableRow(tx, auth, id);
    const file = await tx
      .selectFrom('files')
      .select(['id', 'name', 'size'])
      .where('id', '=', fileId)
      .where('entity', '=', CUSTOMER_FILE_ENTITY)
      .where('entity_id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!file) throw new AppError('not_found');
    const r = await tx
      .updateTable('files')
      .set({ deleted_at: nowIso() })
      .where('id', '=', fileId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new AppError('not_found');
    await audit(tx, actor, {
      action: 'detach',
      entity: 'customer',
      entityId: id,
      before: { files: [{ id: file.id, name: file.name }] },
      after: null,
      detail: file.name,
    });
  });
}
