import type { z } from 'zod';
import type { FormField, InstanceStatus, submitFormBody } from '@common/schemas/approvals';
import type { CustomFieldDef } from '@common/schemas/custom-fields';
import { FORM_ATTACHMENTS_MAX, FORM_TEXTAREA_MAX, type ApprovalFormEntry, type FormSubmitResult } from '@common/approvals/forms';
import type { DbOrTx, Tx } from '@server/db/types';
import { ID_PATTERN, newId, nowIso } from '@server/db/ids';
import type { Auth } from '@server/platform/access/types';
import { audit, type Actor } from '@server/platform/audit/audit.service';
import { checkCustomValue, isEmptyValue } from '@server/platform/fields/fields.service';
import { attachFiles, filesOf } from '@server/platform/files/files.service';
import { AppError, notFound } from '@server/platform/http/errors';
import { inTransaction } from '@server/platform/notify/transaction';
import { withTx } from '@server/platform/org/caller';
import { latestInstance, submitDocument, type EngineContext } from './engine';
import { activeUserIds, findEntryRow, findFormRow, insertEntryRow, takesPart, updateEntryRow, type EntryRow } from './forms.repository';
import { FORM_ENTRY_FILE_ENTITY, formType, presentForm } from './forms.service';
import { userNames } from './instances.repository';

/**
 * Entries of custom forms: submitted (values checked against the form's fields, then the form's
 * flow started in the same transaction), read by the submitter and whoever takes part in the
 * approval, changed by the submitter only while the approval was returned to them.
 */

type SubmitBody = z.infer<typeof submitFormBody>;
type FieldErr = { field: string; code: string; params?: Record<string, string | number> };

/** The custom-field definition a form field is checked as (textarea and attachments are checked here). */
function asCustomDef(f: FormField): CustomFieldDef {
  const type = f.type === 'textarea' || f.type === 'attachments' ? 'text' : f.type;
  return {
    id: '',
    entity: '',
    key: f.key,
    label: f.label,
    type,
    options: f.options ?? [],
    required: f.required,
    sortOrder: 0,
    version: 1,
    createdAt: '',
    updatedAt: '',
  };
}

/**
 * Checks `values` against the form's fields, merged over `existing` when editing; answers what to
 * store and the attachment ids not stored before (to attach). Errors name `values.<key>`: unknown
 * key → unrecognized_keys, wrong type → invalid_type, missing required → required, a user not
 * active → inactive, too long → too_big.
 */
async function checkValues(
  db: DbOrTx,
  fields: FormField[],
  values: Record<string, unknown>,
  existing?: Record<string, unknown>,
): Promise<{ values: Record<string, unknown>; newFiles: { key: string; ids: string[]; at: number[] }[] }> {
  const byKey = new Map(fields.map((f) => [f.key, f]));
  // only keys of the form's current fields survive an edit
  const merged: Record<string, unknown> = Object.fromEntries(Object.entries(existing ?? {}).filter(([k]) => byKey.has(k)));
  const errors: FieldErr[] = [];
  const users: { field: string; id: string }[] = [];
  const newFiles: { key: string; ids: string[]; at: number[] }[] = [];
  for (const [key, raw] of Object.entries(values)) {
    const field = `values.${key}`;
    const def = byKey.get(key);
    if (!def) {
      errors.push({ field, code: 'unrecognized_keys', params: { keys: key } });
      continue;
    }
    if (raw === undefined) continue;
    if (isEmptyValue(raw)) {
      delete merged[key];
      continue;
    }
    if (def.type === 'attachments') {
      if (!Array.isArray(raw) || raw.some((x) => typeof x !== 'string' || !ID_PATTERN.test(x))) {
        errors.push({ field, code: 'invalid_type' });
        continue;
      }
      const ids = [...new Set(raw as string[])];
      if (ids.length > FORM_ATTACHMENTS_MAX) {
        errors.push({ field, code: 'too_big', params: { max: FORM_ATTACHMENTS_MAX } });
        continue;
      }
      const before = Array.isArray(existing?.[key]) ? (existing[key] as string[]) : [];
      const added = ids.filter((id) => !before.includes(id));
      if (added.length) newFiles.push({ key, ids: added, at: added.map((id) => ids.indexOf(id)) });
      merged[key] = ids;
      continue;
    }
    if (def.type === 'textarea') {
      if (typeof raw !== 'string') errors.push({ field, code: 'invalid_type' });
      else if (raw.trim().length > FORM_TEXTAREA_MAX) errors.push({ field, code: 'too_big', params: { max: FORM_TEXTAREA_MAX } });
      else merged[key] = raw.trim();
      continue;
    }
    const r = checkCustomValue(asCustomDef(def), raw);
    if (!r.ok) {
      errors.push({ field, code: r.code, params: r.params });
      continue;
    }
    if (def.type === 'user') users.push({ field, id: r.value as string });
    merged[key] = r.value;
  }
  for (const f of fields) {
    if (f.required && isEmptyValue(merged[f.key]) && !errors.some((e) => e.field === `values.${f.key}`)) {
      errors.push({ field: `values.${f.key}`, code: 'required' });
    }
  }
  if (users.length) {
    const active = await activeUserIds(
      db,
      users.map((u) => u.id),
    );
    for (const u of users) if (!active.has(u.id)) errors.push({ field: u.field, code: 'inactive' });
  }
  if (errors.length) throw new AppError('validation', {}, errors);
  return { values: merged, newFiles };
}

/** Attaches newly named uploads of the submitter to the entry; a bad id → 400 on `values.<key>.<i>`. */
async function attachNew(tx: Tx, entryId: string, userId: string, newFiles: { key: string; ids: string[]; at: number[] }[]): Promise<void> {
  for (const f of newFiles) {
    try {
      await attachFiles(tx, f.ids, FORM_ENTRY_FILE_ENTITY, entryId, userId);
    } catch (err) {
      const bad = err instanceof AppError ? /^attachmentIds\.(\d+)$/.exec(err.fieldErrors[0]?.field ?? '') : null;
      if (bad) throw new AppError('validation', {}, [{ field: `values.${f.key}.${f.at[Number(bad[1])]}`, code: 'not_found' }]);
      throw err;
    }
  }
}

/**
 * Submits a new entry of an enabled form and starts its flow, all in one transaction: bad values
 * → 400 naming `values.<key>`; no flow applies → 422 approval_no_flow; either way nothing is
 * stored. Disabled form → 409 approval_form_disabled, deleted → 404. Audited.
 */
export async function submitForm(
  ctx: EngineContext,
  auth: Auth,
  actor: Actor,
  formId: string,
  body: SubmitBody,
): Promise<FormSubmitResult> {
  return inTransaction(ctx.db, async (tx) => {
    const row = await findFormRow(tx, formId);
    if (!row) throw notFound();
    if (!row.enabled) throw new AppError('approval_form_disabled');
    const form = presentForm(row);
    const { values, newFiles } = await checkValues(tx, form.fields, body.values);
    const id = newId();
    const now = nowIso();
    await insertEntryRow(tx, {
      id,
      form_id: form.id,
      submitter_id: auth.user.id,
      field_values: JSON.stringify(values),
      version: 1,
      created_by: auth.user.id,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    });
    await attachNew(tx, id, auth.user.id, newFiles);
    await audit(tx, actor, {
      action: 'create',
      entity: 'approval_form_entry',
      entityId: id,
      after: { formId: form.id, form: form.name, values },
      detail: form.name,
    });
    const started = await submitDocument(
      ctx,
      tx,
      { type: formType(form.id), documentId: id, submitterId: auth.user.id, cc: body.cc },
      actor,
    );
    return { entryId: id, instanceId: started.instanceId, status: started.status };
  });
}

/** Whether the caller may see the entry: its submitter, whoever has a task or a copy of its approval, admins. */
export async function entryReadable(db: DbOrTx, auth: Auth, id: string): Promise<boolean> {
  const entry = await findEntryRow(db, id);
  return !!entry && (await canSee(db, auth, entry));
}

async function canSee(db: DbOrTx, auth: Auth, entry: EntryRow): Promise<boolean> {
  if (auth.user.isAdmin || entry.submitter_id === auth.user.id) return true;
  return takesPart(db, formType(entry.form_id), entry.id, auth.user.id);
}

/** Names of the users the entry's user fields name (whatever their status now). */
async function namesOfUsers(db: DbOrTx, fields: FormField[], values: Record<string, unknown>): Promise<Record<string, string>> {
  const ids = fields.filter((f) => f.type === 'user').flatMap((f) => (typeof values[f.key] === 'string' ? [values[f.key] as string] : []));
  return Object.fromEntries(await userNames(db, ids));
}

async function present(db: DbOrTx, auth: Auth, entry: EntryRow): Promise<ApprovalFormEntry> {
  const form = await findFormRow(db, entry.form_id, { withDeleted: true });
  const latest = await latestInstance(db, formType(entry.form_id), entry.id);
  const status = (latest?.status ?? null) as InstanceStatus | null;
  const fields = form ? presentForm(form).fields : [];
  const values = JSON.parse(entry.field_values) as Record<string, unknown>;
  return {
    id: entry.id,
    formId: entry.form_id,
    formName: form?.name ?? '',
    fields,
    values,
    files: await filesOf(db, FORM_ENTRY_FILE_ENTITY, entry.id),
    userNames: await namesOfUsers(db, fields, values),
    submitterId: entry.submitter_id,
    submitterName: entry.submitter_name,
    instanceId: latest?.id ?? null,
    status,
    editable: entry.submitter_id === auth.user.id && status === 'returned',
    version: entry.version,
    createdAt: entry.created_at,
    updatedAt: entry.updated_at,
  };
}

/** An entry for its submitter, the approval's participants and admins; anyone else → 404. */
export async function getEntry(db: DbOrTx, auth: Auth, id: string): Promise<ApprovalFormEntry> {
  const entry = await findEntryRow(db, id);
  if (!entry || !(await canSee(db, auth, entry))) throw notFound();
  return present(db, auth, entry);
}

/**
 * The submitter changes a returned entry's values (given keys replace, null clears) before
 * resubmitting it (POST /approvals/:id/resubmit). Other viewers → 403; while its approval is
 * pending or finished → 409 approval_document_locked; stale version → 409. Audited.
 */
export async function updateEntry(
  db: DbOrTx,
  auth: Auth,
  actor: Actor,
  id: string,
  body: { values: Record<string, unknown>; version: number },
): Promise<ApprovalFormEntry> {
  return withTx(db, async (tx) => {
    const entry = await findEntryRow(tx, id);
    if (!entry || !(await canSee(tx, auth, entry))) throw notFound();
    if (entry.submitter_id !== auth.user.id) throw new AppError('approval_not_allowed');
    const latest = await latestInstance(tx, formType(entry.form_id), id);
    if (latest?.status !== 'returned') throw new AppError('approval_document_locked');
    if (entry.version !== body.version) throw new AppError('stale_version');
    const form = await findFormRow(tx, entry.form_id, { withDeleted: true });
    if (!form) throw notFound();
    const before = JSON.parse(entry.field_values) as Record<string, unknown>;
    const { values, newFiles } = await checkValues(tx, presentForm(form).fields, body.values, before);
    const now = nowIso();
    if (!(await updateEntryRow(tx, id, body.version, JSON.stringify(values), now))) throw new AppError('stale_version');
    await attachNew(tx as Tx, id, auth.user.id, newFiles);
    await audit(tx, actor, {
      action: 'update',
      entity: 'approval_form_entry',
      entityId: id,
      before: { values: before },
      after: { values },
      detail: form.name,
    });
    return present(tx, auth, (await findEntryRow(tx, id))!);
  });
}
