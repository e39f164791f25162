import { fieldRule } from '@common/permissions';
import type { Contact } from '@common/schemas/contacts';
import type { Auth } from '@server/platform/access/types';
import type { ContactRow } from './contacts.repository';
import type { ContactsTable } from '@server/db/types';
import type { Selectable } from 'kysely';

/** Contact fields a position may hide or make read-only (module 'contacts'). */
export const CONTACT_SENSITIVE = ['mobile', 'phone', 'email', 'wechat', 'idNumber'] as const;
export type ContactSensitive = (typeof CONTACT_SENSITIVE)[number];

/** The caller's hidden contact fields. */
export function hiddenContactFields(auth: Auth): ContactSensitive[] {
  return CONTACT_SENSITIVE.filter((f) => fieldRule(auth.caps, 'contacts', f) === 'hidden');
}

/** The contact as the API returns it; hidden fields are null and listed in `hiddenFields`. */
export function presentContact(row: ContactRow, hidden: readonly ContactSensitive[]): Contact {
  const c: Contact = {
    id: row.id,
    customerId: row.customer_id,
    customerName: row.customer_name,
    name: row.name,
    title: row.title,
    department: row.department,
    mobile: row.mobile,
    phone: row.phone,
    email: row.email,
    wechat: row.wechat,
    birthday: row.birthday,
    hobbies: row.hobbies,
    idNumber: row.id_number,
    notes: row.notes,
    isPrimary: row.is_primary === 1,
    decisionMaker: row.decision_maker === 1,
    reportsToId: row.reports_to_id,
    reportsToName: row.reports_to_name,
    custom: JSON.parse(row.custom) as Record<string, unknown>,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
    hiddenFields: [...hidden],
  };
  for (const f of hidden) c[f] = null;
  return c;
}

/**
 * The contact as recorded in the audit log (camelCase). `idNumber` is a secret field of the audit
 * log: its change is recorded, never its value.
 */
export function auditView(row: Selectable<ContactsTable>): Record<string, unknown> {
  return {
    customerId: row.customer_id,
    name: row.name,
    title: row.title,
    department: row.department,
    mobile: row.mobile,
    phone: row.phone,
    email: row.email,
    wechat: row.wechat,
    birthday: row.birthday,
    hobbies: row.hobbies,
    idNumber: row.id_number,
    notes: row.notes,
    isPrimary: row.is_primary === 1,
    decisionMaker: row.decision_maker === 1,
    reportsToId: row.reports_to_id,
    custom: JSON.parse(row.custom) as Record<string, unknown>,
  };
}
