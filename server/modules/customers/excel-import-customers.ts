import type { z } from 'zod';
import { translate, type Locale } from '@common/messages/index';
import type { RequirableField } from '@common/schemas/customer-settings';
import { createCustomerBody, type CreateCustomerBody } from '@common/schemas/customers';
import type { DbOrTx } from '@server/db/types';
import { allows } from '@server/platform/access/check';
import { categoryOf, categoryOrDefault } from './customer-settings.service';
import { createCustomer, recordRefusal, type CreateCustomerCache } from './customers.service';
import { customerKeys } from './duplicates';
import type { Field } from './excel-columns';
import type { Importer, ImportEnv, RowCheck, RowError } from './excel-import';

/**
 * Customer rows: the body of createCustomer (the contact columns form the first contact), the
 * category's required fields, the owner column (the importer may assign only with the transfer
 * right), and duplicates — by normalised name or phone — within the file (an earlier kept row) and
 * against the database (customer_keys, naming the existing owner), and codes already in use.
 */

const blank = (v: unknown) => v === null || v === undefined || (Array.isArray(v) && v.length === 0);

/** Which import field stands for a field the required-fields rule names. */
const REQUIRED_AS: Record<RequirableField, string> = {
  phones: 'phones',
  importance: 'importance',
  shortName: 'shortName',
  source: 'source',
  industry: 'industry',
  regionCode: 'regionCode',
  address: 'address',
  website: 'website',
  contact: 'contact.name',
  'contact.mobile': 'contact.mobile',
  'contact.email': 'contact.email',
};

const STANDARD = [
  'name',
  'shortName',
  'code',
  'kind',
  'category',
  'stage',
  'importance',
  'source',
  'industry',
  'regionCode',
  'address',
  'phones',
  'website',
  'tags',
  'notes',
  'nextFollowUpAt',
  'ownerId',
] as const;
const CONTACT = ['name', 'title', 'mobile', 'phone', 'email', 'wechat'] as const;

function labelOf(fields: Field[], key: string): string {
  return fields.find((f) => f.key === key)?.label ?? key;
}

/** zod issues of a body → row errors on the import fields. */
export function schemaErrors(error: z.ZodError, locale: Locale, fields: Field[], fieldOf: (path: string) => string): RowError[] {
  return error.issues.map((i) => {
    const key = fieldOf(i.path.join('.'));
    const label = labelOf(fields, key);
    if (i.code === 'too_big')
      return { field: key, message: translate(locale, 'excel.row.too_long', { field: label, max: String(i.maximum) }) };
    const code = i.message.startsWith('validation.')
      ? i.message
      : i.code === 'invalid_format'
        ? 'validation.invalid_format'
        : 'validation.invalid';
    return { field: key, message: translate(locale, code, { field: label }) };
  });
}

/** createCustomer's field names → import fields: contacts.0.mobile → contact.mobile, phones.2 → phones. */
function fieldOf(path: string): string {
  const contact = /^contacts\.\d+\.(\w+)/.exec(path);
  if (contact) return `contact.${contact[1]}`;
  if (path.startsWith('custom.')) return path;
  return path.split('.')[0];
}

function bodyOf(row: RowCheck<CreateCustomerBody>): CreateCustomerBody {
  const v = row.values;
  const body: Record<string, unknown> = {};
  for (const k of STANDARD) if (!blank(v.get(k))) body[k] = v.get(k);
  const contact: Record<string, unknown> = {};
  for (const k of CONTACT) if (!blank(v.get(`contact.${k}`))) contact[k] = v.get(`contact.${k}`);
  if (Object.keys(contact).length) body.contacts = [contact];
  const custom: Record<string, unknown> = {};
  for (const [k, value] of v) if (k.startsWith('custom.') && !blank(value)) custom[k.slice(7)] = value;
  if (Object.keys(custom).length) body.custom = custom;
  return body as CreateCustomerBody;
}

type Holder = { key: string; owner_id: string | null; owner_name: string | null };

async function holders(db: DbOrTx, keys: string[]): Promise<Map<string, Holder>> {
  const out = new Map<string, Holder>();
  for (let i = 0; i < keys.length; i += 500) {
    const rows = await db
      .selectFrom('customer_keys as k')
      .leftJoin('customers as c', 'c.id', 'k.customer_id')
      .leftJoin('users as u', 'u.id', 'c.owner_id')
      .select(['k.key', 'c.owner_id', 'u.name as owner_name'])
      .where('k.key', 'in', keys.slice(i, i + 500))
      .execute();
    for (const r of rows) out.set(r.key, r);
  }
  return out;
}

async function takenCodes(db: DbOrTx, codes: string[]): Promise<Set<string>> {
  if (!codes.length) return new Set();
  const rows = await db.selectFrom('customers').select('code').where('code', 'in', codes).where('deleted_at', 'is', null).execute();
  return new Set(rows.map((r) => r.code!));
}

type FileKeys = Map<string, number>;

function fileKeys(env: ImportEnv, name: string): FileKeys {
  let m = env.state.get(name) as FileKeys | undefined;
  if (!m) env.state.set(name, (m = new Map()));
  return m;
}

export const customerImporter: Importer<CreateCustomerBody> = {
  entity: 'customer',

  async check(rows, env) {
    const { auth, locale, settings, fields } = env;
    const mayAssign = allows(auth, 'customers', 'transfer');
    const planned: { row: RowCheck<CreateCustomerBody>; body: CreateCustomerBody; keys: { key: string; field: string }[] }[] = [];
    for (const row of rows) {
      const body = bodyOf(row);
      const err = (field: string, key: string, params: Record<string, string | number> = {}) =>
        row.errors.push({ field, message: translate(locale, key, { field: labelOf(fields, field), ...params }) });
      if (body.ownerId && body.ownerId !== auth.user.id && !mayAssign) err('ownerId', 'excel.row.owner_forbidden');
      const contact = body.contacts?.[0];
      if (contact && !contact.name && !row.errors.some((e) => e.field === 'contact.name')) err('contact.name', 'excel.row.contact_name');
      // a row without category takes the first one, as createCustomer does
      const required = categoryOf(settings, categoryOrDefault(settings, body.category))?.requiredFields ?? [];
      const has = (f: RequirableField) => {
        const key = REQUIRED_AS[f];
        return !blank(row.values.get(key)) || row.errors.some((e) => e.field === key);
      };
      const missing = required.filter((f) => !has(f));
      if (missing.length) {
        const names = missing.map((f) => translate(locale, `customer.field.${f}`)).join(locale === 'zh-CN' ? '、' : ', ');
        row.errors.push({ field: REQUIRED_AS[missing[0]], message: translate(locale, 'error.customer_incomplete', { missing: names }) });
      }
      if (row.errors.length) continue;
      const parsed = createCustomerBody.safeParse(body);
      if (!parsed.success) {
        row.errors.push(...schemaErrors(parsed.error, locale, fields, fieldOf));
        continue;
      }
      planned.push({ row, body: parsed.data, keys: customerKeys({ name: parsed.data.name, phones: parsed.data.phones ?? [] }, settings) });
    }

    // against the database, then against the earlier kept rows of the file, in row order
    const held = await holders(
      env.db,
      planned.flatMap((p) => p.keys.map((k) => k.key)),
    );
    const codes = await takenCodes(
      env.db,
      planned.flatMap((p) => (p.body.code ? [p.body.code] : [])),
    );
    const seen = fileKeys(env, 'keys');
    const seenCodes = fileKeys(env, 'codes');
    const fieldLabel = (field: string) => labelOf(fields, field.startsWith('phones') ? 'phones' : field);
    for (const p of planned) {
      const inDb = p.keys.find((k) => held.has(k.key));
      if (inDb) {
        const h = held.get(inDb.key)!;
        const owner = h.owner_id ? (h.owner_name ?? '') : translate(locale, 'customer.owner.pool');
        p.row.errors.push({
          field: inDb.field.startsWith('phones') ? 'phones' : 'name',
          message: translate(locale, 'excel.row.duplicate_db', { field: fieldLabel(inDb.field), owner }),
        });
        continue;
      }
      const inFile = p.keys.find((k) => seen.has(k.key));
      if (inFile) {
        p.row.errors.push({
          field: inFile.field.startsWith('phones') ? 'phones' : 'name',
          message: translate(locale, 'excel.row.duplicate_file', { row: seen.get(inFile.key)!, field: fieldLabel(inFile.field) }),
        });
        continue;
      }
      const code = p.body.code;
      if (code && (codes.has(code) || seenCodes.has(code))) {
        p.row.errors.push({
          field: 'code',
          message: translate(locale, 'excel.row.code_taken', { field: labelOf(fields, 'code'), value: code }),
        });
        continue;
      }
      for (const k of p.keys) seen.set(k.key, p.row.number);
      if (code) seenCodes.set(code, p.row.number);
      p.row.body = p.body;
    }
  },

  async insert(tx, body, auth, actor, shared) {
    // settings and field definitions read once per batch; the new customer is not read back
    const cache = (shared.customer ??= {}) as CreateCustomerCache;
    await createCustomer(tx, body, auth, { actor, present: false, cache });
  },

  async afterFailure(db, auth, body, err) {
    await recordRefusal(db, auth.user.id, err, { name: body.name });
  },

  fieldOf,
};
