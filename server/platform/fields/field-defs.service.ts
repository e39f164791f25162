import {
  CUSTOM_FIELD_TYPES,
  OPTION_TYPES,
  type CreateCustomFieldBody,
  type CustomFieldDef,
  type CustomFieldType,
  type UpdateCustomFieldBody,
} from '@common/schemas/custom-fields';
import type { CustomFieldsTable, DbOrTx, Tx } from '@server/db/types';
import { newId, nowIso } from '@server/db/ids';
import { updateVersioned } from '@server/db/versioned';
import { audit, type Actor } from '../audit/audit.service';
import { AppError, fieldError } from '../http/errors';
import { withTx } from '../org/caller';
import { moveToRecycleBin, registerRecyclable } from '../recycle/recycle.service';
import { fieldEntity } from './fields.registry';

/** Custom field definitions (属性定义): list, create, change, delete (recycle bin). Admin only, audited. */

type Row = Pick<
  CustomFieldsTable,
  'id' | 'entity' | 'key' | 'label' | 'type' | 'options' | 'required' | 'sort_order' | 'version' | 'created_at' | 'updated_at'
>;

const COLUMNS = [
  'id',
  'entity',
  'key',
  'label',
  'type',
  'options',
  'required',
  'sort_order',
  'version',
  'created_at',
  'updated_at',
] as const;

function parseOptions(text: string): string[] {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.filter((o): o is string => typeof o === 'string') : [];
  } catch {
    return [];
  }
}

export function presentFieldDef(row: Row): CustomFieldDef {
  return {
    id: row.id,
    entity: row.entity,
    key: row.key,
    label: row.label,
    type: (CUSTOM_FIELD_TYPES as readonly string[]).includes(row.type) ? (row.type as CustomFieldType) : 'text',
    options: parseOptions(row.options),
    required: row.required === 1,
    sortOrder: row.sort_order,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The live definitions of an entity, in display order. */
export async function listFieldDefs(db: DbOrTx, entity: string): Promise<CustomFieldDef[]> {
  const rows = await db
    .selectFrom('custom_fields')
    .select(COLUMNS)
    .where('entity', '=', entity)
    .where('deleted_at', 'is', null)
    .orderBy('sort_order')
    .orderBy('id')
    .execute();
  return rows.map(presentFieldDef);
}

/** One live definition by entity and key (filters, import columns). */
export async function findFieldDef(db: DbOrTx, entity: string, key: string): Promise<CustomFieldDef | undefined> {
  const row = await db
    .selectFrom('custom_fields')
    .select(COLUMNS)
    .where('entity', '=', entity)
    .where('key', '=', key)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row && presentFieldDef(row);
}

export async function getFieldDef(db: DbOrTx, id: string): Promise<CustomFieldDef> {
  const row = await db.selectFrom('custom_fields').select(COLUMNS).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row) throw new AppError('not_found');
  return presentFieldDef(row);
}

/** Options: only for option types, 1–200 distinct; others must not have any. */
function checkOptions(type: CustomFieldType, options: string[] | undefined): string[] {
  if (!OPTION_TYPES.includes(type)) {
    if (options && options.length > 0) throw fieldError('options', 'invalid_value');
    return [];
  }
  if (!options || options.length === 0) throw fieldError('options', 'required');
  const seen = new Set<string>();
  options.forEach((o, i) => {
    if (seen.has(o)) throw fieldError(`options.${i}`, 'duplicate');
    seen.add(o);
  });
  return options;
}

async function assertKeyFree(db: DbOrTx, entity: string, key: string): Promise<void> {
  if (await findFieldDef(db, entity, key)) throw fieldError('key', 'duplicate');
}

const auditView = (d: CustomFieldDef) => ({
  entity: d.entity,
  key: d.key,
  label: d.label,
  type: d.type,
  options: d.options,
  required: d.required,
  sortOrder: d.sortOrder,
});

export async function createFieldDef(db: DbOrTx, body: CreateCustomFieldBody, actor: Actor): Promise<CustomFieldDef> {
  if (!fieldEntity(body.entity)) throw fieldError('entity', 'invalid_value');
  const options = checkOptions(body.type, body.options);
  return withTx(db, async (tx) => {
    await assertKeyFree(tx, body.entity, body.key);
    const now = nowIso();
    const id = newId();
    await tx
      .insertInto('custom_fields')
      .values({
        id,
        entity: body.entity,
        key: body.key,
        label: body.label,
        type: body.type,
        options: JSON.stringify(options),
        required: body.required ? 1 : 0,
        sort_order: body.sortOrder ?? 0,
        version: 1,
        created_by: actor.id,
        created_at: now,
        updated_at: now,
        deleted_at: null,
      })
      .execute();
    const created = await getFieldDef(tx, id);
    await audit(tx, actor, { action: 'create', entity: 'custom_field', entityId: id, after: auditView(created) });
    return created;
  });
}

/**
 * Changes the label, options, required flag or order. The key and type never change: stored
 * values depend on them. Removing an option leaves values that hold it as they are.
 */
export async function updateFieldDef(db: DbOrTx, id: string, body: UpdateCustomFieldBody, actor: Actor): Promise<CustomFieldDef> {
  return withTx(db, async (tx) => {
    const before = await getFieldDef(tx, id);
    if (before.version !== body.version) throw new AppError('stale_version');
    const patch: Partial<CustomFieldsTable> = {};
    if (body.label !== undefined) patch.label = body.label;
    if (body.options !== undefined) patch.options = JSON.stringify(checkOptions(before.type, body.options));
    if (body.required !== undefined) patch.required = body.required ? 1 : 0;
    if (body.sortOrder !== undefined) patch.sort_order = body.sortOrder;
    if (!(await updateVersioned(tx, 'custom_fields', id, body.version, patch, nowIso()))) throw new AppError('stale_version');
    const after = await getFieldDef(tx, id);
    await audit(tx, actor, { action: 'update', entity: 'custom_field', entityId: id, before: auditView(before), after: auditView(after) });
    return after;
  });
}

/** Soft-deletes a definition into the recycle bin. Records keep their values; they are no longer presented. */
export async function deleteFieldDef(db: DbOrTx, id: string, version: number | undefined, actor: Actor): Promise<void> {
  await withTx(db, async (tx) => {
    const before = await getFieldDef(tx, id);
    if (version !== undefined && before.version !== version) throw new AppError('stale_version');
    const now = nowIso();
    if (!(await updateVersioned(tx, 'custom_fields', id, before.version, { deleted_at: now }, now))) throw new AppError('stale_version');
    await moveToRecycleBin(
      tx,
      { entity: 'custom_field', entityId: id, label: `${before.label} (${before.key})`, before: auditView(before) },
      actor,
    );
  });
}

registerRecyclable({
  entity: 'custom_field',
  labelKey: 'fields.entity.custom_field',
  async restore(tx: Tx, id: string) {
    const row = await tx.selectFrom('custom_fields').select(['entity', 'key', 'version']).where('id', '=', id).executeTakeFirst();
    if (!row) return;
    // another live field took the key meanwhile
    await assertKeyFree(tx, row.entity, row.key).catch(() => {
      throw new AppError('duplicate', { field: row.key, value: row.key });
    });
    await tx
      .updateTable('custom_fields')
      .set({ deleted_at: null, version: row.version + 1, updated_at: nowIso() })
      .where('id', '=', id)
      .execute();
  },
  async purge(tx: Tx, id: string) {
    await tx.deleteFrom('custom_fields').where('id', '=', id).where('deleted_at', 'is not', null).execute();
  },
});
