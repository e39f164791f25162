import { sql, type Expression, type SqlBool } from 'kysely';
import type { DbOrTx } from '@server/db/types';
import type { ListFilter } from '@common/schemas/customers';
import { CUSTOM_TEXT_MAX, type CustomFieldDef } from '@common/schemas/custom-fields';
import { ID_PATTERN } from '@server/db/ids';
import { jsonArrayContains, jsonIsBoolean, jsonIsEmpty, jsonNumber, jsonText, jsonTextContains } from '@server/db/json';
import { AppError, fieldError } from '../http/errors';
import { findFieldDef, listFieldDefs } from './field-defs.service';

/**
 * Custom field values (属性): validated by type against the entity's definitions, stored in the
 * record's `custom` JSON text column, filtered in SQL. Storage forms: text, number, money (integer
 * 分), date 'YYYY-MM-DD', select (an option), multiselect (options, in option order), user (a
 * user id), boolean. An absent key means "no value".
 */

export { listFieldDefs, findFieldDef } from './field-defs.service';
export { registerFieldEntity, fieldEntity, fieldEntities } from './fields.registry';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(v: string): boolean {
  const m = DATE.exec(v);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

/** Parses a stored `custom` column (text or already an object) into an object; bad JSON reads as empty. */
export function parseCustom(stored: unknown): Record<string, unknown> {
  if (stored && typeof stored === 'object' && !Array.isArray(stored)) return stored as Record<string, unknown>;
  if (typeof stored !== 'string' || stored === '') return {};
  try {
    const v: unknown = JSON.parse(stored);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The values to show: only keys of live definitions (a deleted field's values stay stored, unseen). */
export function presentCustom(defs: CustomFieldDef[], stored: unknown): Record<string, unknown> {
  const values = parseCustom(stored);
  const out: Record<string, unknown> = {};
  for (const d of defs) if (values[d.key] !== undefined && values[d.key] !== null) out[d.key] = values[d.key];
  return out;
}

type Checked = { ok: true; value: unknown } | { ok: false; code: string; params?: Record<string, string | number> };

/** A value that means "no value": null, '' (after trimming) or an empty list. */
export function isEmptyValue(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);
}

/** Checks one non-empty value against its definition; returns the storage form. `user` ids are checked by the caller. */
export function checkCustomValue(def: CustomFieldDef, v: unknown): Checked {
  const bad: Checked = { ok: false, code: 'invalid_type' };
  switch (def.type) {
    case 'text': {
      if (typeof v !== 'string') return bad;
      const s = v.trim();
      return s.length > CUSTOM_TEXT_MAX ? { ok: false, code: 'too_big', params: { max: CUSTOM_TEXT_MAX } } : { ok: true, value: s };
    }
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? { ok: true, value: v } : bad;
    case 'money':
      return typeof v === 'number' && Number.isSafeInteger(v) ? { ok: true, value: v } : bad;
    case 'date':
      if (typeof v !== 'string') return bad;
      return isIsoDate(v) ? { ok: true, value: v } : { ok: false, code: 'invalid_format' };
    case 'select':
      if (typeof v !== 'string') return bad;
      return def.options.includes(v) ? { ok: true, value: v } : { ok: false, code: 'invalid_value' };
    case 'multiselect': {
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) return bad;
      if (v.some((x) => !def.options.includes(x as string))) return { ok: false, code: 'invalid_value' };
      return { ok: true, value: def.options.filter((o) => v.includes(o)) };
    }
    case 'user':
      if (typeof v !== 'string') return bad;
      return ID_PATTERN.test(v) ? { ok: true, value: v } : { ok: false, code: 'invalid_id' };
    case 'boolean':
      return typeof v === 'boolean' ? { ok: true, value: v } : bad;
  }
}

/**
 * Validates `values` against the entity's field definitions and returns what to store (merged over
 * `existing` on update). Throws fieldError('custom.<key>', code) on bad values or missing required ones.
 * Unknown keys → 'unrecognized_keys'; wrong type → 'invalid_type'; a required field missing on
 * create, or cleared (null, '', []) at any time → 'required'; a `user` not an active user → 'inactive'.
 * A null (or empty) value removes the key. `defs`: the entity's definitions when the caller read them already.
 */
export async function validateCustomValues(
  db: DbOrTx,
  entity: string,
  values: Record<string, unknown> | undefined,
  opts: { existing?: Record<string, unknown>; defs?: CustomFieldDef[] } = {},
): Promise<Record<string, unknown>> {
  const defs = opts.defs ?? (await listFieldDefs(db, entity));
  const byKey = new Map(defs.map((d) => [d.key, d]));
  const merged: Record<string, unknown> = { ...(opts.existing ?? {}) };
  const errors: { field: string; code: string; params?: Record<string, string | number> }[] = [];
  const users: { field: string; id: string }[] = [];

  for (const [key, raw] of Object.entries(values ?? {})) {
    const field = `custom.${key}`;
    const def = byKey.get(key);
    if (!def) {
      errors.push({ field, code: 'unrecognized_keys', params: { keys: key } });
      continue;
    }
    if (raw === undefined) continue;
    if (isEmptyValue(raw)) {
      if (def.required) errors.push({ field, code: 'required' });
      delete merged[key];
      continue;
    }
    const r = checkCustomValue(def, raw);
    if (!r.ok) {
      errors.push({ field, code: r.code, params: r.params });
      continue;
    }
    if (def.type === 'user') users.push({ field, id: r.value as string });
    merged[key] = r.value;
  }
  if (!opts.existing) {
    for (const d of defs)
      if (d.required && isEmptyValue(merged[d.key]) && !errors.some((e) => e.field === `custom.${d.key}`)) {
        errors.push({ field: `custom.${d.key}`, code: 'required' });
      }
  }
  if (users.length) {
    const active = await db
      .selectFrom('users')
      .select('id')
      .where(
        'id',
        'in',
        users.map((u) => u.id),
      )
      .where('status', '=', 'active')
      .execute();
    const ok = new Set(active.map((u) => u.id));
    for (const u of users) if (!ok.has(u.id)) errors.push({ field: u.field, code: 'inactive' });
  }
  if (errors.length) throw new AppError('validation', {}, errors);
  return merged;
}

/* ---- list filters on custom fields ---- */

const badFilter = () => fieldError('filters', 'invalid_value');

function coerceOne(def: CustomFieldDef, v: unknown): string | number | boolean {
  switch (def.type) {
    case 'number':
    case 'money': {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      if (!Number.isFinite(n)) throw badFilter();
      return n;
    }
    case 'boolean':
      if (typeof v === 'boolean') return v;
      if (v === 'true' || v === 'false') return v === 'true';
      throw badFilter();
    case 'date':
      if (typeof v !== 'string' || !isIsoDate(v)) throw badFilter();
      return v;
    case 'text':
    case 'select':
    case 'multiselect':
    case 'user':
      if (typeof v !== 'string' || v.length > CUSTOM_TEXT_MAX) throw badFilter();
      return v;
  }
}

function coerceList(def: CustomFieldDef, v: unknown): (string | number | boolean)[] {
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0 || list.length > 200) throw badFilter();
  return list.map((x) => coerceOne(def, x));
}

const or = (parts: Expression<SqlBool>[]) => sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
const and = (parts: Expression<SqlBool>[]) => sql<SqlBool>`(${sql.join(parts, sql` and `)})`;

/**
 * The SQL condition of one list filter on a custom field `custom.<key>` stored in the JSON `column`.
 * Operators by type: every type has empty / notEmpty; text, select, user, date, number, money and
 * boolean have eq / ne (ne also matches records without a value) and in (not boolean); text has
 * contains (substring); number, money and date have gt / gte / lt / lte; multiselect has contains
 * (holds every given option) and in (holds any). Unknown field or unsuitable operator or value →
 * fieldError('filters', 'invalid_value').
 */
export async function customFilterCondition(db: DbOrTx, entity: string, column: string, filter: ListFilter): Promise<Expression<SqlBool>> {
  const key = /^custom\.([a-z][a-z0-9_]{0,29})$/.exec(filter.field)?.[1];
  const def = key ? await findFieldDef(db, entity, key) : undefined;
  if (!def) throw badFilter();
  return customCondition(db, def, column, filter);
}

/** As customFilterCondition, with the definition already at hand (no query). */
export function customCondition(db: DbOrTx, def: CustomFieldDef, column: string, filter: ListFilter): Expression<SqlBool> {
  const { key, type } = def;
  if (filter.op === 'empty') return jsonIsEmpty(db, column, key);
  if (filter.op === 'notEmpty') return sql<SqlBool>`not ${jsonIsEmpty(db, column, key)}`;

  if (type === 'multiselect') {
    const options = coerceList(def, filter.value) as string[];
    if (filter.op === 'contains') return and(options.map((o) => jsonArrayContains(db, column, key, o)));
    if (filter.op === 'in') return or(options.map((o) => jsonArrayContains(db, column, key, o)));
    throw badFilter();
  }
  if (type === 'boolean') {
    if (filter.op !== 'eq' && filter.op !== 'ne') throw badFilter();
    const is = jsonIsBoolean(db, column, key, coerceOne(def, filter.value) as boolean);
    // "is not yes" also matches records without a value
    return filter.op === 'eq' ? is : sql<SqlBool>`(not coalesce(${is}, false))`;
  }

  const numeric = type === 'number' || type === 'money';
  const target = numeric ? jsonNumber(db, column, key) : jsonText(db, column, key);
  switch (filter.op) {
    case 'eq':
      return sql<SqlBool>`(${target} = ${coerceOne(def, filter.value)})`;
    case 'ne':
      return sql<SqlBool>`(${target} is null or ${target} <> ${coerceOne(def, filter.value)})`;
    case 'in': {
      const list = coerceList(def, filter.value);
      return sql<SqlBool>`(${target} in (${sql.join(list)}))`;
    }
    case 'contains':
      if (type !== 'text') throw badFilter();
      return jsonTextContains(db, column, key, coerceOne(def, filter.value) as string);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      if (!numeric && type !== 'date') throw badFilter();
      const op = { gt: '>', gte: '>=', lt: '<', lte: '<=' }[filter.op];
      return sql<SqlBool>`(${target} ${sql.raw(op)} ${coerceOne(def, filter.value)})`;
    }
  }
}
