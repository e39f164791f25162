import type { DbOrTx, LeadsTable, Tx } from '@server/db/types';
import type { Updateable } from 'kysely';
import { fieldRule } from '@common/permissions';
import type { CreateLeadBody, Lead, LeadListQuery, LeadStatus, TransferLeadsBody, UpdateLeadBody } from '@common/schemas/leads';
import type { CustomerSettings } from '@common/schemas/customer-settings';
import { newId, nowIso } from '@server/db/ids';
import { keysetPage } from '@server/db/keyset';
import type { Auth } from '@server/platform/access/types';
import { allows } from '@server/platform/access/check';
import { audit, type Actor } from '@server/platform/audit/audit.service';
import { AppError, fieldError } from '@server/platform/http/errors';
import { withTx } from '@server/platform/org/caller';
import { moveToRecycleBin, registerRecyclable } from '@server/platform/recycle/recycle.service';
import { registerOwnable } from '@server/platform/org/handover';
import { validateCustomValues } from '@server/platform/fields/fields.service';
import { getCustomerSettings } from './customer-settings.service';
import { ownedVisible } from './visibility';
import { isRegionCode, regionName } from './regions';
import {
  countLeadsOwnedBy,
  findLeadRow,
  insertLead,
  leadsOwnedBy,
  listLeadRows,
  purgeLeadRow,
  reindexLead,
  SEARCH_COLUMNS,
  updateLeadRow,
  type LeadRow,
} from './leads.repository';

/** Lead fields a position may hide or make read-only (common/permissions: leads.sensitiveFields). */
const SENSITIVE = ['mobile', 'phone', 'email'] as const;

/** The leads scope over `leads as l`. */
export const leadScope = (auth: Auth) => ownedVisible(auth, 'leads', 'l');

/** Database row → API shape; fields hidden from the viewer come back null and are listed. */
export function presentLead(r: LeadRow, auth: Auth): Lead {
  const hiddenFields = SENSITIVE.filter((f) => fieldRule(auth.caps, 'leads', f) === 'hidden');
  const show = (f: (typeof SENSITIVE)[number]) => (hiddenFields.includes(f) ? null : r[f]);
  return {
    id: r.id,
    name: r.name,
    company: r.company,
    title: r.title,
    mobile: show('mobile'),
    phone: show('phone'),
    email: show('email'),
    wechat: r.wechat,
    source: r.source,
    industry: r.industry,
    regionCode: r.region_code,
    regionName: regionName(r.region_code),
    address: r.address,
    status: r.status as LeadStatus,
    ownerId: r.owner_id,
    ownerName: r.owner_name,
    ownerDepartmentId: r.owner_department_id,
    ownerDepartmentName: r.owner_department_name,
    lastContactAt: r.last_contact_at,
    nextFollowUpAt: r.next_follow_up_at,
    convertedCustomerId: r.converted_customer_id,
    convertedCustomerName: r.converted_customer_name,
    convertedContactId: r.converted_contact_id,
    convertedAt: r.converted_at,
    notes: r.notes,
    custom: JSON.parse(r.custom) as Record<string, unknown>,
    createdBy: r.created_by,
    createdByName: r.created_by_name,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
    canEdit: r.status !== 'converted' && allows(auth, 'leads', 'edit'),
    hiddenFields,
  };
}

/** The fields of a lead written to the audit log. */
export function leadAuditView(r: LeadsTable) {
  return {
    name: r.name,
    company: r.company,
    title: r.title,
    mobile: r.mobile,
    phone: r.phone,
    email: r.email,
    wechat: r.wechat,
    source: r.source,
    industry: r.industry,
    regionCode: r.region_code,
    regionName: regionName(r.region_code),
    address: r.address,
    status: r.status,
    ownerId: r.owner_id,
    nextFollowUpAt: r.next_follow_up_at,
    notes: r.notes,
    custom: r.custom,
  };
}

/** A live lead within the caller's leads scope, or 404 as if absent. */
export async function loadLead(db: DbOrTx, id: string, auth: Auth): Promise<LeadRow> {
  const row = await findLeadRow(db, id, leadScope(auth));
  if (!row) throw new AppError('not_found');
  return row;
}

/** Converted leads are kept as the record of where the customer came from: 409 on any change. */
function assertNotConverted(row: LeadRow) {
  if (row.status === 'converted') throw new AppError('lead_converted', { customer: row.converted_customer_name ?? '' });
}

function assertListKey(settings: CustomerSettings, list: 'sources' | 'industries', field: string, value: string | null | undefined) {
  if (value && !settings[list].some((o) => o.key === value)) throw fieldError(field, 'invalid_value');
}

function assertRegion(code: string | null | undefined) {
  if (code && !isRegionCode(code)) throw fieldError('regionCode', 'invalid_value');
}

/** The department of an owner, kept on the lead for the department scopes. */
async function departmentOf(db: DbOrTx, userId: string): Promise<string | null> {
  const u = await db.selectFrom('users').select('department_id').where('id', '=', userId).executeTakeFirst();
  return u?.department_id ?? null;
}

/** One page of leads in the caller's scope, with the total. */
export async function listLeads(db: DbOrTx, query: LeadListQuery, auth: Auth) {
  // a hidden value must not be findable by keyword either
  const hidden = SENSITIVE.filter((f) => fieldRule(auth.caps, 'leads', f) === 'hidden') as string[];
  const searchable = SEARCH_COLUMNS.filter((c) => !hidden.includes(c));
  const { rows, total } = await listLeadRows(db, query, leadScope(auth), searchable);
  return { ...keysetPage(rows, query.limit, (r) => presentLead(r, auth)), total };
}

export async function getLead(db: DbOrTx, id: string, auth: Auth): Promise<Lead> {
  return presentLead(await loadLead(db, id, auth), auth);
}

/**
 * Creates a lead owned by the caller (status 'new' unless given). Source and industry must be keys
 * of the customer settings' lists; custom values are validated against the lead fields. A field
 * hidden from or read-only for the caller's position cannot be written. Indexed and audited.
 */
export async function createLead(db: DbOrTx, body: CreateLeadBody, auth: Auth, actor: Actor): Promise<Lead> {
  for (const f of SENSITIVE) if (body[f] && fieldRule(auth.caps, 'leads', f)) throw fieldError(f, 'readonly');
  return withTx(db, async (tx) => {
    const settings = await getCustomerSettings(tx);
    assertListKey(settings, 'sources', 'source', body.source);
    assertListKey(settings, 'industries', 'industry', body.industry);
    assertRegion(body.regionCode);
    const custom = await validateCustomValues(tx, 'lead', body.custom);
    const now = nowIso();
    const id = newId();
    await insertLead(tx, {
      id,
      name: body.name,
      company: body.company || null,
      title: body.title ?? null,
      mobile: body.mobile || null,
      phone: body.phone || null,
      email: body.email ?? null,
      wechat: body.wechat ?? null,
      source: body.source || null,
      industry: body.industry || null,
      region_code: body.regionCode ?? null,
      address: body.address ?? null,
      status: body.status ?? 'new',
      owner_id: auth.user.id,
      owner_department_id: await departmentOf(tx, auth.user.id),
      last_contact_at: null,
      next_follow_up_at: body.nextFollowUpAt ? nowIso(new Date(body.nextFollowUpAt)) : null,
      converted_customer_id: null,
      converted_contact_id: null,
      converted_at: null,
      notes: body.notes ?? null,
      custom: JSON.stringify(custom),
      version: 1,
      created_by: auth.user.id,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    });
    await reindexLead(tx, id);
    const row = (await findLeadRow(tx, id, leadScope(auth)))!;
    await audit(tx, actor, { action: 'create', entity: 'lead', entityId: id, after: leadAuditView(row) });
    return presentLead(row, auth);
  });
}

/**
 * Edits a lead. Converted leads are read-only (409 lead_converted); status may be set to new,
 * following or invalid. Hidden / read-only fields are refused when changed (a hidden field's null
 * sent back counts as unchanged). Stale version → 409. Reindexed and audited.
 */
export async function updateLead(db: DbOrTx, id: string, body: UpdateLeadBody, auth: Auth, actor: Actor): Promise<Lead> {
  return withTx(db, async (tx) => {
    const before = await loadLead(tx, id, auth);
    assertNotConverted(before);
    if (before.version !== body.version) throw new AppError('stale_version');
    const patch: Updateable<LeadsTable> = {};
    if (body.name !== undefined) patch.name = body.name;
    for (const f of ['company', 'title', 'wechat', 'address', 'notes'] as const) {
      if (body[f] !== undefined) patch[f] = body[f] || null;
    }
    for (const f of SENSITIVE) {
      const value = body[f] === undefined ? undefined : body[f] || null;
      if (value === undefined || value === before[f]) continue;
      const rule = fieldRule(auth.caps, 'leads', f);
      if (rule === 'hidden' && value === null) continue;
      if (rule) throw fieldError(f, 'readonly');
      patch[f] = value;
    }
    if (body.source !== undefined || body.industry !== undefined) {
      const settings = await getCustomerSettings(tx);
      // a key since removed from the list may stay on the lead; a new value must be a current key
      if (body.source !== undefined && body.source !== before.source) assertListKey(settings, 'sources', 'source', body.source);
      if (body.industry !== undefined && body.industry !== before.industry)
        assertListKey(settings, 'industries', 'industry', body.industry);
      if (body.source !== undefined) patch.source = body.source || null;
      if (body.industry !== undefined) patch.industry = body.industry || null;
    }
    if (body.regionCode !== undefined && body.regionCode !== before.region_code) {
      assertRegion(body.regionCode);
      patch.region_code = body.regionCode;
    }
    if (body.status !== undefined) patch.status = body.status;
    if (body.nextFollowUpAt !== undefined) patch.next_follow_up_at = body.nextFollowUpAt ? nowIso(new Date(body.nextFollowUpAt)) : null;
    if (body.custom !== undefined) {
      const existing = JSON.parse(before.custom) as Record<string, unknown>;
      patch.custom = JSON.stringify(await validateCustomValues(tx, 'lead', body.custom, { existing }));
    }
    if (!(await updateLeadRow(tx, id, body.version, patch, nowIso()))) throw new AppError('stale_version');
    await reindexLead(tx, id);
    const after = (await findLeadRow(tx, id, leadScope(auth)))!;
    await audit(tx, actor, { action: 'update', entity: 'lead', entityId: id, before: leadAuditView(before), after: leadAuditView(after) });
    return presentLead(after, auth);
  });
}

/** Moves a lead to the recycle bin (restorable by an admin). Audited 'delete'. */
export async function deleteLead(db: DbOrTx, id: string, auth: Auth, actor: Actor): Promise<void> {
  await withTx(db, async (tx) => {
    const before = await loadLead(tx, id, auth);
    if (!(await updateLeadRow(tx, id, before.version, { deleted_at: nowIso() }, nowIso()))) throw new AppError('stale_version');
    const label = before.company ? `${before.name}（${before.company}）` : before.name;
    await moveToRecycleBin(tx, { entity: 'lead', entityId: id, label, before: leadAuditView(before) }, actor);
  });
}

/** Sets a lead's owner (and the owner's department), audited with `action` and `detail`. */
async function moveLead(
  tx: Tx,
  lead: { id: string; version: number; owner_id: string | null },
  toUserId: string,
  dept: string | null,
  actor: Actor,
  action: string,
  detail: string | null,
) {
  const now = nowIso();
  if (!(await updateLeadRow(tx, lead.id, lead.version, { owner_id: toUserId, owner_department_id: dept }, now))) {
    throw new AppError('stale_version');
  }
  await audit(tx, actor, {
    action,
    entity: 'lead',
    entityId: lead.id,
    before: { ownerId: lead.owner_id },
    after: { ownerId: toUserId },
    detail,
  });
}

/**
 * Transfers leads (移交) to another active user. Every lead must be live and within the caller's
 * scope (else 400 naming `ids.<i>`, nothing moved); leads the recipient already owns are skipped.
 * One audit entry per moved lead. Returns how many moved.
 */
export async function transferLeads(db: DbOrTx, body: TransferLeadsBody, auth: Auth, actor: Actor): Promise<{ moved: number }> {
  return withTx(db, async (tx) => {
    const to = await tx.selectFrom('users').select(['id', 'status', 'department_id']).where('id', '=', body.toUserId).executeTakeFirst();
    if (!to) throw fieldError('toUserId', 'not_found');
    if (to.status !== 'active') throw fieldError('toUserId', 'inactive');
    let moved = 0;
    const ids = [...new Set(body.ids)];
    for (const id of ids) {
      const lead = await findLeadRow(tx, id, leadScope(auth));
      if (!lead) throw fieldError(`ids.${body.ids.indexOf(id)}`, 'not_found');
      if (lead.owner_id === to.id) continue;
      await moveLead(tx, lead, to.id, to.department_id, actor, 'transfer', null);
      moved++;
    }
    return { moved };
  });
}

// 离职交接: a leaver's leads go to the successor with the rest of their records
registerOwnable({
  entity: 'leads',
  labelKey: 'leads.handover',
  count: (db, userId) => countLeadsOwnedBy(db, userId),
  async transfer(tx, fromUserId, toUserId, actor) {
    const dept = await departmentOf(tx, toUserId);
    const leads = await leadsOwnedBy(tx, fromUserId);
    for (const lead of leads) await moveLead(tx, lead, toUserId, dept, actor, 'transfer', 'handover');
    return leads.length;
  },
});

registerRecyclable({
  entity: 'lead',
  labelKey: 'leads.entity',
  async restore(tx, id) {
    const row = await tx.selectFrom('leads').select('version').where('id', '=', id).executeTakeFirst();
    if (!row) return;
    await tx
      .updateTable('leads')
      .set({ deleted_at: null, version: row.version + 1, updated_at: nowIso() })
      .where('id', '=', id)
      .execute();
    await reindexLead(tx, id);
  },
  purge: (tx, id) => purgeLeadRow(tx, id),
});
