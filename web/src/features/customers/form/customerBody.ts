import dayjs from 'dayjs';
import type { FormInstance } from 'antd';
import type { CreateCustomerBody, UpdateCustomerBody } from '@common/schemas/customers';
import { ApiError } from '@web/app/api';
import { showServerErrors } from '@web/app/forms';
import type { Customer, CustomerKind } from '../api';
import type { CustomerFormValues } from './CustomerForm';

const TEXTS = ['shortName', 'code', 'address', 'website', 'notes'] as const;
const LISTS = ['category', 'stage', 'importance', 'source', 'industry', 'regionCode'] as const;
export const FORM_FIELDS = ['name', ...TEXTS, ...LISTS, 'phones', 'tags', 'nextFollowUpAt', 'locked'];

const text = (v: string | undefined | null) => (v?.trim() ? v.trim() : null);
const cleanCustom = (c: Record<string, unknown> | undefined) =>
  Object.fromEntries(Object.entries(c ?? {}).filter(([, v]) => v !== undefined));

/** The form's initial values for a customer (or the defaults of a new one). */
export function formValuesOf(c: Customer | null, defaults: Partial<CustomerFormValues> = {}): Partial<CustomerFormValues> {
  if (!c) return { phones: [], tags: [], locked: false, ...defaults };
  return {
    name: c.name,
    shortName: c.shortName ?? '',
    code: c.code ?? '',
    category: c.category,
    stage: c.stage,
    importance: c.importance,
    source: c.source,
    industry: c.industry,
    regionCode: c.regionCode,
    address: c.address ?? '',
    phones: c.phones ?? [],
    website: c.website ?? '',
    tags: c.tags ?? [],
    notes: c.notes ?? '',
    nextFollowUpAt: c.nextFollowUpAt ? dayjs(c.nextFollowUpAt) : null,
    locked: c.locked,
    custom: c.custom ?? {},
  };
}

/** Standard fields of the form as API values (fields the form left out, e.g. hidden ones, stay out). */
function fieldsOf(v: CustomerFormValues) {
  const out: Record<string, unknown> = { name: v.name.trim() };
  for (const k of TEXTS) if (k in v) out[k] = text(v[k]);
  for (const k of LISTS) if (k in v) out[k] = v[k] ?? null;
  if ('phones' in v) out.phones = (v.phones ?? []).map((p) => p.trim()).filter(Boolean);
  if ('tags' in v) out.tags = (v.tags ?? []).map((p) => p.trim()).filter(Boolean);
  if ('nextFollowUpAt' in v) out.nextFollowUpAt = v.nextFollowUpAt ? v.nextFollowUpAt.toISOString() : null;
  if ('locked' in v) out.locked = Boolean(v.locked);
  return out;
}

export function createBody(v: CustomerFormValues, kind: CustomerKind): CreateCustomerBody {
  const fields = Object.fromEntries(Object.entries(fieldsOf(v)).filter(([, x]) => x !== null));
  const c = v.contact;
  const contact = c?.name?.trim() ? { name: c.name.trim(), title: text(c.title), mobile: text(c.mobile), email: text(c.email) } : undefined;
  return {
    kind,
    ...(fields as Omit<CreateCustomerBody, 'kind'>),
    custom: cleanCustom(v.custom),
    ...(contact ? { contacts: [contact] } : {}),
  };
}

/** Only what changed, so the audit log records exactly the user's edit; null when nothing did. */
export function updateBody(v: CustomerFormValues, c: Customer): UpdateCustomerBody | null {
  const before = fieldsOf(formValuesOf(c) as CustomerFormValues);
  const after = fieldsOf(v);
  const changed: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(after)) if (JSON.stringify(x) !== JSON.stringify(before[k] ?? null)) changed[k] = x;
  const custom = cleanCustom(v.custom);
  const customChanged = Object.entries(custom).filter(([k, x]) => JSON.stringify(x ?? null) !== JSON.stringify(c.custom?.[k] ?? null));
  if (customChanged.length) changed.custom = Object.fromEntries(customChanged);
  return Object.keys(changed).length ? ({ version: c.version, ...changed } as UpdateCustomerBody) : null;
}

/** Server field names → this form's names: `contacts.0.mobile` → `contact.mobile`, `phone` / `phones.1` → `phones`. */
function formField(field: string): string {
  if (field === 'phone' || /^phones\.\d+$/.test(field)) return 'phones';
  if (field === 'contact' || field === 'contacts') return 'contact.name';
  const m = /^contacts?\.(?:\d+\.)?(\w+)$/.exec(field);
  return m ? `contact.${m[1]}` : field;
}

/**
 * Puts a failed save's field errors under the fields (missing required fields of the category,
 * bad values); returns what no field shows (e.g. a duplicate naming the owner), or null.
 */
export function showCustomerErrors(form: FormInstance, err: unknown, customKeys: string[], withContact: boolean): string | null {
  if (!(err instanceof ApiError)) return showServerErrors(form, err, []);
  // the server's message starts with its own field name ("phones.0：…"): drop it, the form's label names the field
  const mapped = new ApiError({
    ...err.problem,
    errors: err.problem.errors?.map((e) => ({
      ...e,
      field: formField(e.field),
      message: e.message.startsWith(e.field) ? e.message.slice(e.field.length).replace(/^\s*[:：]\s*/, '') : e.message,
    })),
  });
  const fields = [
    ...FORM_FIELDS,
    ...customKeys.map((k) => `custom.${k}`),
    ...(withContact ? ['contact.name', 'contact.mobile', 'contact.email', 'contact.title'] : []),
  ];
  // what the fields cannot show (e.g. a missing contact when editing) comes back as the server's summary
  return showServerErrors(form, mapped, fields);
}
