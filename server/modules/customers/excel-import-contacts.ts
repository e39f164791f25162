import { sql } from 'kysely';
import { translate } from '@common/messages/index';
import { contactInput, type ContactInput } from '@common/schemas/contacts';
import { normalisePhone } from '@common/customers/normalise';
import type { DbOrTx } from '@server/db/types';
import type { Auth } from '@server/platform/access/types';
import { assertCustomerEditable, insertContact } from './contacts.service';
import { nameKey } from './duplicates';
import type { Field } from './excel-columns';
import type { Importer, RowCheck } from './excel-import';
import { schemaErrors } from './excel-import-customers';
import { customerEditable, customerVisible } from './visibility';

/**
 * Contact rows: the customer column names a customer by code or by name (its normalised name key),
 * which the importer must see under the contacts scope and may edit; a contact with the same name
 * and mobile under the same customer — earlier in the file or already stored — is a duplicate.
 */

export type ContactRowBody = { customerId: string; input: ContactInput };

const FIELDS = [
  'name',
  'title',
  'department',
  'mobile',
  'phone',
  'email',
  'wechat',
  'birthday',
  'hobbies',
  'idNumber',
  'notes',
  'isPrimary',
  'decisionMaker',
] as const;

const blank = (v: unknown) => v === null || v === undefined;

type Target = { id: string; name: string; editable: boolean };

/** The customers the texts name (by code first, then by name), as the importer sees them. */
async function resolveCustomers(
  db: DbOrTx,
  auth: Auth,
  texts: string[],
  nameKeyOf: (t: string) => string | null,
): Promise<Map<string, Target>> {
  const out = new Map<string, Target>();
  if (!texts.length) return out;
  const byCode = await db
    .selectFrom('customers')
    .select(['id', 'code'])
    .where('code', 'in', texts)
    .where('deleted_at', 'is', null)
    .execute();
  const idOf = new Map<string, string>();
  for (const r of byCode) idOf.set(r.code!, r.id);
  const keys = new Map<string, string>();
  for (const t of texts) {
    const k = idOf.has(t) ? null : nameKeyOf(t);
    if (k) keys.set(k, t);
  }
  if (keys.size) {
    const held = await db
      .selectFrom('customer_keys')
      .select(['key', 'customer_id'])
      .where('key', 'in', [...keys.keys()])
      .execute();
    for (const h of held) idOf.set(keys.get(h.key)!, h.customer_id);
  }
  const ids = [...new Set(idOf.values())];
  if (!ids.length) return out;
  const seen = await db
    .selectFrom('customers as c')
    .select(['c.id', 'c.name', sql<number>`case when ${customerEditable(auth)} then 1 else 0 end`.as('editable')])
    .where('c.id', 'in', ids)
    .where('c.deleted_at', 'is', null)
    .where(customerVisible(auth, 'contacts'))
    .execute();
  const byId = new Map(seen.map((r) => [r.id, { id: r.id, name: r.name, editable: Number(r.editable) === 1 }]));
  for (const [text, id] of idOf) {
    const target = byId.get(id);
    if (target) out.set(text, target);
  }
  return out;
}

const personKey = (customerId: string, name: string, mobile: string | null | undefined) =>
  `${customerId}|${name.normalize('NFKC').replace(/\s/g, '').toLowerCase()}|${mobile ? (normalisePhone(mobile) ?? mobile.replace(/\D/g, '')) : ''}`;

async function storedContacts(db: DbOrTx, customerIds: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < customerIds.length; i += 500) {
    const rows = await db
      .selectFrom('contacts')
      .select(['customer_id', 'name', 'mobile'])
      .where('customer_id', 'in', customerIds.slice(i, i + 500))
      .where('deleted_at', 'is', null)
      .execute();
    for (const r of rows) out.add(personKey(r.customer_id, r.name, r.mobile));
  }
  return out;
}

const labelOf = (fields: Field[], key: string) => fields.find((f) => f.key === key)?.label ?? key;

export const contactImporter: Importer<ContactRowBody> = {
  entity: 'contact',

  async check(rows, env) {
    const { auth, locale, fields, settings } = env;
    const texts = [...new Set(rows.map((r) => r.values.get('customer')).filter((t): t is string => typeof t === 'string' && t !== ''))];
    const targets = await resolveCustomers(env.db, auth, texts, (t) => nameKey(t, settings));
    const planned: { row: RowCheck<ContactRowBody>; body: ContactRowBody; key: string; customer: string }[] = [];
    for (const row of rows) {
      const text = row.values.get('customer') as string | null | undefined;
      const target = text ? targets.get(text) : undefined;
      const customerLabel = labelOf(fields, 'customer');
      if (text && !target) {
        row.errors.push({
          field: 'customer',
          message: translate(locale, 'excel.row.customer_missing', { field: customerLabel, value: text }),
        });
      } else if (text && target && !target.editable) {
        row.errors.push({
          field: 'customer',
          message: translate(locale, 'excel.row.customer_readonly', { field: customerLabel, value: text }),
        });
      }
      if (row.errors.length || !target) continue;
      const input: Record<string, unknown> = {};
      for (const k of FIELDS) if (!blank(row.values.get(k))) input[k] = row.values.get(k);
      const custom: Record<string, unknown> = {};
      for (const [k, v] of row.values) if (k.startsWith('custom.') && !blank(v)) custom[k.slice(7)] = v;
      if (Object.keys(custom).length) input.custom = custom;
      const parsed = contactInput.safeParse(input);
      if (!parsed.success) {
        row.errors.push(...schemaErrors(parsed.error, locale, fields, (p) => p.split('.')[0]));
        continue;
      }
      planned.push({
        row,
        body: { customerId: target.id, input: parsed.data },
        key: personKey(target.id, parsed.data.name, parsed.data.mobile),
        customer: target.name,
      });
    }
    const stored = await storedContacts(env.db, [...new Set(planned.map((p) => p.body.customerId))]);
    let seen = env.state.get('people') as Map<string, number> | undefined;
    if (!seen) env.state.set('people', (seen = new Map()));
    for (const p of planned) {
      if (stored.has(p.key)) {
        p.row.errors.push({ field: 'name', message: translate(locale, 'excel.row.contact_duplicate_db', { customer: p.customer }) });
      } else if (seen.has(p.key)) {
        p.row.errors.push({ field: 'name', message: translate(locale, 'excel.row.contact_duplicate_file', { row: seen.get(p.key)! }) });
      } else {
        seen.set(p.key, p.row.number);
        p.row.body = p.body;
      }
    }
  },

  async insert(tx, body, auth, actor) {
    // the customer may have moved out of reach since the check
    await assertCustomerEditable(tx, auth, body.customerId, true);
    await insertContact(tx, body.customerId, body.input, auth, actor);
  },

  fieldOf: (f) => (f === 'customerId' ? 'customer' : f.split('.')[0] === 'custom' ? f : f.split('.')[0]),
};
