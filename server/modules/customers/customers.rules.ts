import type { Selectable } from 'kysely';
import { fieldRule } from '@common/permissions';
import type { CustomerSettings, RequirableField } from '@common/schemas/customer-settings';
import type { UpdateCustomerBody } from '@common/schemas/customers';
import type { CustomersTable } from '@server/db/types';
import { allows } from '@server/platform/access/check';
import type { Auth } from '@server/platform/access/types';
import { AppError, fieldError, messageParam } from '@server/platform/http/errors';
import { categoryOf } from './customer-settings.service';
import { jsonList } from './customers.presenter';

/** The rules a customer's values must meet on save: field rules, definable lists, required fields. */

export type Row = Selectable<CustomersTable>;

/** Empty text is stored as null. */
export const blank = (v: string | null | undefined) => (v == null || v.trim() === '' ? null : v.trim());
export const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** `phones` plus the single `phone` of the API landmark, trimmed, empties and repeats left out. */
export function mergePhones(phones: string[] | undefined, phone?: string): string[] {
  return [...new Set([...(phones ?? []), ...(phone ? [phone] : [])].map((p) => p.trim()).filter(Boolean))];
}

export const canTransfer = (auth: Auth) => allows(auth, 'customers', 'transfer');

type Writable = Partial<Pick<UpdateCustomerBody, 'phones' | 'address' | 'website' | 'latitude' | 'longitude'>>;

/**
 * Field rules on write (phones, address with its coordinates, website): a hidden field may not be
 * sent at all, a read-only one may not be set (create) or changed (update).
 */
export function assertWritable(auth: Auth, input: Writable, current: Row | null): void {
  const values = {
    phones: { sent: input.phones !== undefined, next: input.phones ?? [], now: current ? jsonList(current.phones) : [] },
    address: {
      sent: input.address !== undefined || input.latitude !== undefined || input.longitude !== undefined,
      next: [blank(input.address), input.latitude ?? null, input.longitude ?? null],
      now: current ? [current.address, current.latitude, current.longitude] : [null, null, null],
    },
    website: { sent: input.website !== undefined, next: blank(input.website), now: current?.website ?? null },
  };
  for (const [field, v] of Object.entries(values)) {
    const rule = fieldRule(auth.caps, 'customers', field);
    if (!rule || !v.sent) continue;
    if (rule === 'hidden' || !sameJson(v.next, v.now)) {
      // on update a hidden field is refused whenever sent, so the answer never tells whether a guess matched
      if (current === null && sameJson(v.next, v.now)) continue;
      throw fieldError(field, 'readonly');
    }
  }
}

const LISTS = [
  ['category', 'category', 'categories'],
  ['stage', 'stage', 'stages'],
  ['importance', 'importance', 'importances'],
  ['source', 'source', 'sources'],
  ['industry', 'industry', 'industries'],
] as const;

/** Definable-list keys must exist in the settings; a key the record already holds may stay. */
export function assertListKeys(
  settings: CustomerSettings,
  body: Partial<Record<(typeof LISTS)[number][0], string | null>>,
  current?: Row,
): void {
  for (const [field, column, list] of LISTS) {
    const v = blank(body[field]);
    if (v === null || (current && current[column] === v)) continue;
    if (!settings[list].some((o) => o.key === v)) throw fieldError(field, 'invalid_value');
  }
}

type Completeness = Pick<Row, 'category' | 'importance' | 'short_name' | 'source' | 'industry' | 'region_code' | 'address' | 'website'> & {
  phones: string[];
};

/** The category's required fields this record lacks; contacts count as given (nested or live). */
export function missingRequired(settings: CustomerSettings, c: Completeness, contacts: { count: number; mobile: boolean; email: boolean }) {
  const has: Record<RequirableField, boolean> = {
    phones: c.phones.length > 0,
    importance: !!c.importance,
    shortName: !!c.short_name,
    source: !!c.source,
    industry: !!c.industry,
    regionCode: !!c.region_code,
    address: !!c.address,
    website: !!c.website,
    contact: contacts.count > 0,
    'contact.mobile': contacts.mobile,
    'contact.email': contacts.email,
  };
  return (categoryOf(settings, c.category)?.requiredFields ?? []).filter((f) => !has[f]);
}

export function incomplete(missing: RequirableField[]): AppError {
  return new AppError(
    'customer_incomplete',
    { missing: messageParam(...missing.map((f) => `customer.field.${f}`)) },
    missing.map((field) => ({ field, code: 'required' })),
  );
}
