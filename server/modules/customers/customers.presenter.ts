import type { Selectable } from 'kysely';
import { fieldRule } from '@common/permissions';
import { CUSTOMER_SENSITIVE, type Customer, type TeamMember } from '@common/schemas/customers';
import type { CustomFieldDef } from '@common/schemas/custom-fields';
import type { CustomersTable } from '@server/db/types';
import type { Auth } from '@server/platform/access/types';
import { parseCustom, presentCustom } from '@server/platform/fields/fields.service';
import { regionName } from './regions';

export type CustomerSensitive = (typeof CUSTOMER_SENSITIVE)[number];

/** A customer row with the names the list and the record page show, and the viewer's edit right. */
export type CustomerRow = Selectable<CustomersTable> & {
  owner_name: string | null;
  owner_department_name: string | null;
  created_by_name: string | null;
  /** 1 when the viewer may edit (customerEditable), computed in the same query */
  editable: number | string | null;
};

/** Customer fields a field rule hides from this viewer. */
export function hiddenCustomerFields(auth: Auth): CustomerSensitive[] {
  return CUSTOMER_SENSITIVE.filter((f) => fieldRule(auth.caps, 'customers', f) === 'hidden');
}

function jsonList(text: string): string[] {
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * The API shape of a customer for one viewer: hidden fields emptied ([] / null) and listed in
 * `hiddenFields`, custom values limited to live definitions, the region's name resolved.
 */
export function presentCustomer(
  row: CustomerRow,
  ctx: { hidden: readonly CustomerSensitive[]; defs: CustomFieldDef[] },
  team?: TeamMember[],
): Customer {
  const hide = (f: CustomerSensitive) => ctx.hidden.includes(f);
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    shortName: row.short_name,
    code: row.code,
    category: row.category,
    stage: row.stage,
    importance: row.importance,
    source: row.source,
    industry: row.industry,
    regionCode: row.region_code,
    regionName: regionName(row.region_code),
    address: hide('address') ? null : row.address,
    latitude: hide('address') ? null : row.latitude,
    longitude: hide('address') ? null : row.longitude,
    phones: hide('phones') ? [] : jsonList(row.phones),
    website: hide('website') ? null : row.website,
    tags: jsonList(row.tags),
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    ownerDepartmentId: row.owner_department_id,
    ownerDepartmentName: row.owner_department_name,
    inPool: row.owner_id === null,
    pooledAt: row.pooled_at,
    locked: row.locked === 1,
    lastContactAt: row.last_contact_at,
    nextFollowUpAt: row.next_follow_up_at,
    lastDealAt: row.last_deal_at,
    notes: row.notes,
    custom: presentCustom(ctx.defs, row.custom),
    createdBy: row.created_by,
    createdByName: row.created_by_name,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
    canEdit: Number(row.editable) === 1,
    hiddenFields: [...ctx.hidden],
    ...(team ? { team } : {}),
  };
}

/** The customer as the audit log records it (field names as in the API, every value). */
export function customerAuditView(row: Selectable<CustomersTable>): Record<string, unknown> {
  return {
    kind: row.kind,
    name: row.name,
    shortName: row.short_name,
    code: row.code,
    category: row.category,
    stage: row.stage,
    importance: row.importance,
    source: row.source,
    industry: row.industry,
    regionCode: row.region_code,
    address: row.address,
    latitude: row.latitude,
    longitude: row.longitude,
    phones: jsonList(row.phones),
    website: row.website,
    tags: jsonList(row.tags),
    ownerId: row.owner_id,
    locked: row.locked === 1,
    nextFollowUpAt: row.next_follow_up_at,
    notes: row.notes,
    custom: parseCustom(row.custom),
  };
}

export { jsonList };
