import type {
  ApprovableType,
  ApprovalFlow,
  ConditionGroup,
  CreateFlowBody,
  FlowDefinition,
  FlowFieldDef,
  UpdateFlowBody,
} from '@common/schemas/approvals';
import { SUBMITTER_FIELDS } from '@common/schemas/approvals';
import {
  flowReferences,
  SUBMITTER_FIELD_KINDS,
  validateEntryCondition,
  validateFlowDefinition,
  type FlowError,
} from '@common/approvals/validate-flow';
import { translate, type Locale } from '@common/messages/index';
import type { DbOrTx } from '@server/db/types';
import { newId, nowIso } from '@server/db/ids';
import { audit, type Actor } from '@server/platform/audit/audit.service';
import { AppError, fieldError, notFound } from '@server/platform/http/errors';
import { withTx } from '@server/platform/org/caller';
import { approvable, fixedApprovables } from './registry';
import {
  existingIds,
  findFlowRow,
  insertFlow,
  insertFlowVersion,
  listFlowRows,
  lockFlowsOfType,
  otherDefaultFlows,
  updateFlowRow,
  type FlowRow,
} from './flows.repository';
import { formApprovableTypes, isLiveFormType } from './forms.service';

/**
 * 审批流程 definitions: flows of a document type chosen by entry condition and priority, one
 * default per type, each save of a changed chain kept as a new version (running instances keep
 * the version they started with). The engine reads them; this service only designs them.
 */

const SUBMITTER_LABELS: Record<(typeof SUBMITTER_FIELDS)[number], string> = {
  '$submitter.department': 'approvalsapi.field.submitter_department',
  '$submitter.position': 'approvalsapi.field.submitter_position',
  '$submitter.id': 'approvalsapi.field.submitter_id',
};

/** The pseudo-fields every type has, labelled in `locale`. */
export function submitterFields(locale: Locale): FlowFieldDef[] {
  return SUBMITTER_FIELDS.map((key) => ({ key, label: translate(locale, SUBMITTER_LABELS[key]), kind: SUBMITTER_FIELD_KINDS[key] }));
}

/**
 * Every type a flow may be designed for, labelled in `locale`: the fixed types modules registered,
 * then one per enabled custom form; each with its fields and the submitter pseudo-fields.
 */
export async function listApprovableTypes(db: DbOrTx, locale: Locale): Promise<ApprovableType[]> {
  const pseudo = submitterFields(locale);
  const fixed = fixedApprovables().map((d) => ({
    type: d.type,
    label: d.labelKey ? translate(locale, d.labelKey) : (d.label ?? d.type),
    module: d.module,
    fields: [...d.fields.map(({ labelKey, ...f }) => ({ ...f, label: labelKey ? translate(locale, labelKey) : f.label })), ...pseudo],
  }));
  const forms = (await formApprovableTypes(db)).map((t) => ({ ...t, fields: [...t.fields, ...pseudo] }));
  return [...fixed, ...forms];
}

/** The fields a flow of `type` may test; an unknown type (or a deleted form) → 400 on `type`. */
async function typeFields(db: DbOrTx, type: string): Promise<FlowFieldDef[]> {
  const def = type.startsWith('form.') && !(await isLiveFormType(db, type)) ? undefined : await approvable(db, type);
  if (!def) throw fieldError('type', 'invalid_value');
  return def.fields.map(({ labelKey: _labelKey, ...f }) => f);
}

/** JSON with sorted keys: equal definitions compare equal whatever the key order they came in. */
function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, x]) => `${JSON.stringify(k)}:${stable(x)}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * Refuses (400 approval_flow_invalid, errors[] naming each path) a flow that breaks the designer
 * rules (validateFlowDefinition) or points at users, positions, approval positions or departments
 * that do not exist (or users no longer active).
 */
async function assertValidFlow(db: DbOrTx, type: string, entry: ConditionGroup | null, definition: FlowDefinition): Promise<void> {
  const ctx = { fields: await typeFields(db, type) };
  const errors: FlowError[] = [...validateEntryCondition(entry, ctx), ...validateFlowDefinition(definition, ctx)];
  const refs = flowReferences(definition, entry);
  const checks = [
    ['users', refs.users, 'user_not_found'],
    ['positions', refs.positions, 'position_not_found'],
    ['approval_positions', refs.approvalPositions, 'approval_position_not_found'],
    ['departments', refs.departments, 'department_not_found'],
  ] as const;
  for (const [table, list, code] of checks) {
    const found = await existingIds(
      db,
      table,
      list.map((r) => r.id),
    );
    for (const r of list) if (!found.has(r.id) && !errors.some((e) => e.path === r.path)) errors.push({ path: r.path, code });
  }
  if (errors.length) {
    throw new AppError(
      'approval_flow_invalid',
      {},
      errors.map((e) => ({ field: e.path, code: e.code, params: e.params })),
    );
  }
}

function present(row: FlowRow): ApprovalFlow {
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    description: row.description,
    priority: row.priority,
    isDefault: !!row.is_default,
    enabled: !!row.enabled,
    entry: row.entry ? (JSON.parse(row.entry) as ConditionGroup) : null,
    definition: JSON.parse(row.definition) as FlowDefinition,
    definitionVersion: row.number,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const auditView = (f: ApprovalFlow) => ({
  type: f.type,
  name: f.name,
  description: f.description,
  priority: f.priority,
  isDefault: f.isDefault,
  enabled: f.enabled,
  entry: f.entry,
  definitionVersion: f.definitionVersion,
  definition: f.definition,
});

/** Live flows (of one type when given), in the order the engine tries them. */
export async function listFlows(db: DbOrTx, type?: string): Promise<ApprovalFlow[]> {
  return (await listFlowRows(db, type)).map(present);
}

/** One live flow with its current definition, or 404. */
export async function getFlow(db: DbOrTx, id: string): Promise<ApprovalFlow> {
  const row = await findFlowRow(db, id);
  if (!row) throw notFound();
  return present(row);
}

/** A type has one default flow: making `flowId` the default clears the flag on the others (audited). */
async function clearOtherDefaults(tx: DbOrTx, type: string, flowId: string, actor: Actor, now: string): Promise<void> {
  for (const other of await otherDefaultFlows(tx, type, flowId)) {
    if (!(await updateFlowRow(tx, other.id, other.version, { is_default: 0 }, now))) throw new AppError('stale_version');
    await audit(tx, actor, {
      action: 'update',
      entity: 'approval_flow',
      entityId: other.id,
      before: { isDefault: true },
      after: { isDefault: false },
    });
  }
}

/**
 * Creates a flow of a document type with its first definition version. Unknown type → 400 on
 * `type`; a definition or entry condition that breaks the rules → 400 approval_flow_invalid.
 * `isDefault` takes the default from the type's other flows. Audited.
 */
export async function createFlow(db: DbOrTx, body: CreateFlowBody, actor: Actor): Promise<ApprovalFlow> {
  return withTx(db, async (tx) => {
    await assertValidFlow(tx, body.type, body.entry, body.definition);
    if (body.isDefault) await lockFlowsOfType(tx, body.type);
    const now = nowIso();
    const id = newId();
    const versionId = newId();
    await insertFlowVersion(tx, {
      id: versionId,
      flow_id: id,
      number: 1,
      definition: JSON.stringify(body.definition),
      created_by: actor.id,
      created_at: now,
    });
    await insertFlow(tx, {
      id,
      type: body.type,
      name: body.name,
      description: body.description ?? null,
      priority: body.priority,
      is_default: body.isDefault ? 1 : 0,
      enabled: body.enabled ? 1 : 0,
      entry: body.entry ? JSON.stringify(body.entry) : null,
      current_version_id: versionId,
      version: 1,
      created_by: actor.id,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    });
    if (body.isDefault) await clearOtherDefaults(tx, body.type, id, actor, now);
    const created = await getFlow(tx, id);
    await audit(tx, actor, { action: 'create', entity: 'approval_flow', entityId: id, after: auditView(created), detail: created.name });
    return created;
  });
}

/**
 * Changes a flow. A definition that differs from the current one is saved as a new version
 * (number + 1) and becomes current; instances already running keep the version they pinned.
 * Stale `version` → 409; invalid definition or entry → 400 approval_flow_invalid. Audited.
 */
export async function updateFlow(db: DbOrTx, id: string, body: UpdateFlowBody, actor: Actor): Promise<ApprovalFlow> {
  return withTx(db, async (tx) => {
    let row = await findFlowRow(tx, id);
    if (!row) throw notFound();
    if (body.isDefault) {
      await lockFlowsOfType(tx, row.type);
      row = await findFlowRow(tx, id);
      if (!row) throw notFound();
    }
    if (row.version !== body.version) throw new AppError('stale_version');
    const before = present(row);
    const entry = body.entry !== undefined ? body.entry : before.entry;
    const definition = body.definition ?? before.definition;
    const newDefinition = body.definition !== undefined && stable(body.definition) !== stable(before.definition);
    const newEntry = body.entry !== undefined && stable(body.entry) !== stable(before.entry);
    if (newDefinition || newEntry) await assertValidFlow(tx, row.type, entry, definition);

    const now = nowIso();
    const patch: Parameters<typeof updateFlowRow>[3] = {};
    if (body.name !== undefined) patch.name = body.name;
    if (body.description !== undefined) patch.description = body.description;
    if (body.priority !== undefined) patch.priority = body.priority;
    if (body.enabled !== undefined) patch.enabled = body.enabled ? 1 : 0;
    if (body.isDefault !== undefined) patch.is_default = body.isDefault ? 1 : 0;
    if (newEntry) patch.entry = entry ? JSON.stringify(entry) : null;
    if (newDefinition) {
      const versionId = newId();
      await insertFlowVersion(tx, {
        id: versionId,
        flow_id: id,
        number: row.number + 1,
        definition: JSON.stringify(definition),
        created_by: actor.id,
        created_at: now,
      });
      patch.current_version_id = versionId;
    }
    if (!(await updateFlowRow(tx, id, body.version, patch, now))) throw new AppError('stale_version');
    if (body.isDefault && !before.isDefault) await clearOtherDefaults(tx, row.type, id, actor, now);
    const after = await getFlow(tx, id);
    await audit(tx, actor, {
      action: 'update',
      entity: 'approval_flow',
      entityId: id,
      before: auditView(before),
      after: auditView(after),
      detail: after.name,
    });
    return after;
  });
}

/**
 * Soft-deletes a flow: no new document starts it; instances already running finish on their pinned
 * version. Stale `version` (when given) → 409. Audited.
 */
export async function deleteFlow(db: DbOrTx, id: string, version: number | undefined, actor: Actor): Promise<void> {
  await withTx(db, async (tx) => {
    const before = await getFlow(tx, id);
    if (version !== undefined && version !== before.version) throw new AppError('stale_version');
    const now = nowIso();
    if (!(await updateFlowRow(tx, id, before.version, { deleted_at: now }, now))) throw new AppError('stale_version');
    await audit(tx, actor, {
      action: 'delete',
      entity: 'approval_flow',
      entityId: id,
      before: auditView(before),
      after: null,
      detail: before.name,
    });
  });
}
