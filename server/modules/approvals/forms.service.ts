import { z } from 'zod';
import type { ApprovableType, ApprovalForm, FlowFieldDef, FlowFieldKind, FormField } from '@common/schemas/approvals';
import { formBody, updateFormBody } from '@common/schemas/approvals';
import type { DbOrTx } from '@server/db/types';
import type { ApprovalFormsTable } from '@server/db/types';
import { newId, nowIso } from '@server/db/ids';
import { allows } from '@server/platform/access/check';
import type { Auth } from '@server/platform/access/types';
import { audit, type Actor } from '@server/platform/audit/audit.service';
import { AppError, fieldError, notFound } from '@server/platform/http/errors';
import { withTx } from '@server/platform/org/caller';
import { registerApprovableResolver, type ApprovableDef } from './registry';
import { findEntryRow, findFormRow, insertFormRow, listFormRows, updateFormRow } from './forms.repository';

/**
 * 自定义审批单 (请假, 报销, 用印 …): an admin defines a form's fields; users submit entries that run
 * through the form's own flows as document type 'form.<formId>'. The type is served by one
 * resolver registered here, so a new form needs no code.
 */

export const FORM_TYPE_PREFIX = 'form.';
/** files of an entry's attachments fields are attached to this entity */
export const FORM_ENTRY_FILE_ENTITY = 'approval_form_entry';

export const formType = (formId: string) => `${FORM_TYPE_PREFIX}${formId}`;

type Body = z.infer<typeof formBody>;
type UpdateBody = z.infer<typeof updateFormBody>;

/** The kind a flow condition tests for each form field type (attachments cannot be tested). */
const KIND_OF: Partial<Record<FormField['type'], FlowFieldKind>> = {
  number: 'number',
  money: 'money',
  select: 'select',
  date: 'date',
  user: 'user',
  boolean: 'boolean',
  text: 'text',
  textarea: 'text',
};

/** The fields of a form a flow may test, with the form's own labels. */
export function formFlowFields(fields: FormField[]): FlowFieldDef[] {
  return fields.flatMap((f) => {
    const kind = KIND_OF[f.type];
    if (!kind) return [];
    return [kind === 'select' ? { key: f.key, label: f.label, kind, options: f.options ?? [] } : { key: f.key, label: f.label, kind }];
  });
}

export function presentForm(row: ApprovalFormsTable): ApprovalForm {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    icon: row.icon,
    fields: JSON.parse(row.fields) as FormField[],
    enabled: !!row.enabled,
    sortOrder: row.sort_order,
    version: row.version,
  };
}

const auditView = (f: ApprovalForm) => ({
  name: f.name,
  description: f.description,
  icon: f.icon,
  fields: f.fields,
  enabled: f.enabled,
  sortOrder: f.sortOrder,
});

/** Keys unique; select and multi select with distinct options; other types without options. */
function checkFields(fields: FormField[]): FormField[] {
  const keys = new Set<string>();
  return fields.map((f, i) => {
    if (keys.has(f.key)) throw fieldError(`fields.${i}.key`, 'duplicate');
    keys.add(f.key);
    if (f.type === 'select' || f.type === 'multiselect') {
      const options = f.options ?? [];
      if (options.length === 0) throw fieldError(`fields.${i}.options`, 'required');
      const dup = options.findIndex((o, j) => options.indexOf(o) !== j);
      if (dup >= 0) throw fieldError(`fields.${i}.options.${dup}`, 'duplicate');
      return { ...f, options };
    }
    const { options: _options, ...rest } = f;
    return rest;
  });
}

/** Every live form, enabled or not (for the designer). */
export async function listForms(db: DbOrTx): Promise<ApprovalForm[]> {
  return (await listFormRows(db)).map(presentForm);
}

/** The enabled forms a user may submit (GET /approval-forms/available). */
export async function listAvailableForms(db: DbOrTx): Promise<ApprovalForm[]> {
  return (await listFormRows(db, { enabledOnly: true })).map(presentForm);
}

/** One live form, or 404. */
export async function getForm(db: DbOrTx, id: string): Promise<ApprovalForm> {
  const row = await findFormRow(db, id);
  if (!row) throw notFound();
  return presentForm(row);
}

/** A form as a submitter sees it: a disabled one only for who may view the designer, else 404. */
export async function getFormFor(db: DbOrTx, auth: Auth, id: string): Promise<ApprovalForm> {
  const form = await getForm(db, id);
  if (!form.enabled && !allows(auth, 'workflow', 'view')) throw notFound();
  return form;
}

/** One per enabled form, for GET /approval-types (fields without the submitter pseudo-fields). */
export async function formApprovableTypes(db: DbOrTx): Promise<ApprovableType[]> {
  return (await listAvailableForms(db)).map((f) => ({
    type: formType(f.id),
    label: f.name,
    module: null,
    fields: formFlowFields(f.fields),
  }));
}

/** Whether `type` is 'form.<id>' of a live form (flows may be designed for it). */
export async function isLiveFormType(db: DbOrTx, type: string): Promise<boolean> {
  return type.startsWith(FORM_TYPE_PREFIX) && !!(await findFormRow(db, type.slice(FORM_TYPE_PREFIX.length)));
}

/** Creates a custom form. Field keys unique, select types with options (400 naming `fields.i…`). Audited. */
export async function createForm(db: DbOrTx, body: Body, actor: Actor): Promise<ApprovalForm> {
  const fields = checkFields(body.fields);
  return withTx(db, async (tx) => {
    const now = nowIso();
    const id = newId();
    await insertFormRow(tx, {
      id,
      name: body.name,
      description: body.description ?? null,
      icon: body.icon ?? null,
      fields: JSON.stringify(fields),
      enabled: body.enabled ? 1 : 0,
      sort_order: body.sortOrder,
      version: 1,
      created_by: actor.id,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    });
    const created = await getForm(tx, id);
    await audit(tx, actor, { action: 'create', entity: 'approval_form', entityId: id, after: auditView(created), detail: created.name });
    return created;
  });
}

/**
 * Changes a form. Entries already submitted keep their values; a changed field list applies to new
 * entries and to returned ones being edited. Stale version → 409. Audited.
 */
export async function updateForm(db: DbOrTx, id: string, body: UpdateBody, actor: Actor): Promise<ApprovalForm> {
  const fields = body.fields ? checkFields(body.fields) : undefined;
  return withTx(db, async (tx) => {
    const before = await getForm(tx, id);
    if (before.version !== body.version) throw new AppError('stale_version');
    const patch: Parameters<typeof updateFormRow>[3] = {};
    if (body.name !== undefined) patch.name = body.name;
    if (body.description !== undefined) patch.description = body.description;
    if (body.icon !== undefined) patch.icon = body.icon;
    if (fields) patch.fields = JSON.stringify(fields);
    if (body.enabled !== undefined) patch.enabled = body.enabled ? 1 : 0;
    if (body.sortOrder !== undefined) patch.sort_order = body.sortOrder;
    if (!(await updateFormRow(tx, id, body.version, patch, nowIso()))) throw new AppError('stale_version');
    const after = await getForm(tx, id);
    await audit(tx, actor, {
      action: 'update',
      entity: 'approval_form',
      entityId: id,
      before: auditView(before),
      after: auditView(after),
      detail: after.name,
    });
    return after;
  });
}

/** Soft-deletes a form: no new entries; entries in approval finish their flow. Audited. */
export async function deleteForm(db: DbOrTx, id: string, version: number | undefined, actor: Actor): Promise<void> {
  await withTx(db, async (tx) => {
    const before = await getForm(tx, id);
    if (version !== undefined && version !== before.version) throw new AppError('stale_version');
    const now = nowIso();
    if (!(await updateFormRow(tx, id, before.version, { deleted_at: now }, now))) throw new AppError('stale_version');
    await audit(tx, actor, {
      action: 'delete',
      entity: 'approval_form',
      entityId: id,
      before: auditView(before),
      after: null,
      detail: before.name,
    });
  });
}

/** The document type of one form: its entries' values, titled '<form> - <submitter>'. */
function formApprovable(form: ApprovalFormsTable): ApprovableDef {
  const fields = JSON.parse(form.fields) as FormField[];
  const entryOf = async (db: DbOrTx, documentId: string) => {
    const entry = await findEntryRow(db, documentId);
    return entry && entry.form_id === form.id ? entry : undefined;
  };
  return {
    type: formType(form.id),
    label: form.name,
    module: null,
    fields: formFlowFields(fields),
    async load(db, documentId) {
      const entry = await entryOf(db, documentId);
      if (!entry) throw notFound();
      return {
        title: `${form.name} - ${entry.submitter_name}`,
        values: JSON.parse(entry.field_values) as Record<string, unknown>,
        link: null,
      };
    },
    async canView(db, auth, documentId) {
      if (auth.user.isAdmin) return true;
      const entry = await entryOf(db, documentId);
      return !!entry && entry.submitter_id === auth.user.id;
    },
  };
}

// deleted forms still resolve: their entries' approvals run to the end
registerApprovableResolver(FORM_TYPE_PREFIX, async (db, type) => {
  const form = await findFormRow(db, type.slice(FORM_TYPE_PREFIX.length), { withDeleted: true });
  return form ? formApprovable(form) : undefined;
});
