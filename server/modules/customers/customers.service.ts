import { sql } from 'kysely';
import { DEAL_STAGES } from '@common/schemas/customer-settings';
import type { CreateCustomerBody, Customer, PutTeamBody, TeamMember, UpdateCustomerBody } from '@common/schemas/customers';
import type { Selectable } from 'kysely';
import type { CustomerSettings } from '@common/schemas/customer-settings';
import type { CustomFieldDef } from '@common/schemas/custom-fields';
import type { CustomersTable, Db, DbOrTx, Tx } from '@server/db/types';
import { getCompany } from '@server/platform/settings/settings.service';
import { newId, nowIso } from '@server/db/ids';
import { removeRecord } from '@server/db/search';
import { updateVersioned } from '@server/db/versioned';
import type { Auth } from '@server/platform/access/types';
import { audit, type Actor } from '@server/platform/audit/audit.service';
import { AppError, fieldError } from '@server/platform/http/errors';
import { listFieldDefs, parseCustom, validateCustomValues } from '@server/platform/fields/fields.service';
import { moveToRecycleBin, registerRecyclable } from '@server/platform/recycle/recycle.service';
import { actorOfAuth, insertContact } from './contacts.service';
import { CUSTOMER_ENTITY, indexNewCustomer, reindexCustomer } from './customer-search';
import { categoryOrDefault, getCustomerSettings } from './customer-settings.service';
import { claimKeys, customerKeys, releaseKeys, swapKeys } from './duplicates';
import { assertCodeFree, nextCustomerCode } from './numbering';
import { assertCanOwn, recordOwnerHistory, type OwnerChangeReason } from './ownership';
import { recordQualityEvent } from './quality-events';
import { isRegionCode } from './regions';
import { assertNotHeld } from './transfer-requests.service';
import { customerAuditView, hiddenCustomerFields, jsonList, presentCustomer, type CustomerRow } from './customers.presenter';
import { assertListKeys, assertWritable, blank, canTransfer, incomplete, mergePhones, missingRequired, sameJson } from './customers.rules';
import {
  contactCompleteness,
  customerRows,
  findCustomerRow,
  findVisibleCustomer,
  insertCustomerRow,
  purgeCustomerRows,
  replaceTeam,
  teamOf,
  usersByIds,
} from './customers.repository';

/**
 * Customers (客户档案): create, read, edit, delete, team. Every write runs in one transaction with
 * the ownership rules (duplicate keys, caps), the category's required fields, the settings' lists,
 * custom values, field rules, numbering, search index and audit. A refusal for a duplicate or an
 * incomplete record leaves a data-quality event, written after the refused transaction rolled back.
 */

/**
 * Records the data-quality trace of a refused save (duplicate attempt, incomplete save) in its own
 * small transaction. Call it AFTER the refused transaction rolled back — callers that run
 * createCustomer inside their own transaction (lead conversion, import) call it themselves.
 */
export async function recordRefusal(
  db: Db,
  userId: string,
  err: unknown,
  ctx: { customerId?: string | null; name?: string },
): Promise<void> {
  if (!(err instanceof AppError)) return;
  const kind = err.code === 'customer_duplicate' ? 'duplicate_attempt' : err.code === 'customer_incomplete' ? 'incomplete_save' : null;
  if (!kind) return;
  const fields = err.fieldErrors.map((e) => e.field).join(',');
  try {
    await db
      .transaction()
      .execute((tx) =>
        recordQualityEvent(tx, { userId, kind, customerId: ctx.customerId ?? null, detail: [ctx.name, fields].filter(Boolean).join(': ') }),
      );
  } catch {
    // the refusal itself is what the caller must see
  }
}

/** Runs a write in its own transaction (recording a refusal after rollback) or inside the caller's. */
async function inTx<T>(db: DbOrTx, userId: string, ctx: { customerId?: string; name?: string }, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Tx);
  try {
    return await (db as Db).transaction().execute(fn);
  } catch (err) {
    await recordRefusal(db as Db, userId, err, ctx);
    throw err;
  }
}

/** Presents a customer by id for the viewer, without the visibility filter (the caller checked it). */
async function present(db: DbOrTx, auth: Auth, id: string, defs?: CustomFieldDef[]): Promise<Customer> {
  const row = await customerRows(db, auth).where('c.id', '=', id).executeTakeFirstOrThrow();
  defs ??= await listFieldDefs(db, 'customer');
  return presentCustomer(row, { hidden: hiddenCustomerFields(auth), defs }, await teamOf(db, id));
}

/** Team members must be active users (ones already on the team may stay whatever their status); `users` holds them. */
function checkTeamOf(
  members: PutTeamBody['members'],
  ownerId: string | null,
  field: string,
  users: { id: string; status: string }[],
  current: TeamMember[] = [],
) {
  const byUser = new Map<string, PutTeamBody['members'][number]>();
  for (const m of members) if (m.userId !== ownerId) byUser.set(m.userId, m);
  members.forEach((m, i) => {
    if (m.userId === ownerId) return;
    const u = users.find((x) => x.id === m.userId);
    if (!u) throw fieldError(`${field}.${i}.userId`, 'not_found');
    if (u.status !== 'active' && !current.some((c) => c.userId === m.userId)) throw fieldError(`${field}.${i}.userId`, 'inactive');
  });
  return [...byUser.values()];
}

/** Team members must be active users (ones already on the team may stay whatever their status). */
async function checkTeam(db: DbOrTx, members: PutTeamBody['members'], ownerId: string | null, field: string, current: TeamMember[] = []) {
  const ids = [...new Set(members.map((m) => m.userId).filter((u) => u !== ownerId))];
  return checkTeamOf(members, ownerId, field, await usersByIds(db, ids), current);
}

/**
 * What createCustomer reads once per call and may share across the creates of one transaction (an
 * import batch passes the same object to each row): filled on first use.
 */
export type CreateCustomerCache = {
  settings?: CustomerSettings;
  customerDefs?: CustomFieldDef[];
  contactDefs?: CustomFieldDef[];
  timezone?: string;
};

export type CreateCustomerOptions = {
  actor?: Actor;
  /** owner-history reason: 'create' (default), 'convert' for a lead conversion */
  reason?: OwnerChangeReason;
  /** the caller already decided the owner (lead conversion keeps the lead's owner): no transfer right needed */
  trustOwner?: boolean;
  /** the clock for the code's date part */
  now?: Date;
  /** false: answer only the new id, without reading the customer back as the viewer sees it (import) */
  present?: boolean;
  /** settings and field definitions shared by the creates of one transaction */
  cache?: CreateCustomerCache;
};

/**
 * Creates a customer (201 body): `phone` merged into `phones`; the owner is the caller unless
 * `ownerId` (needs customers.transfer, must be an active user); without a category it takes the
 * first of the settings. In order: list keys, region, custom values, the category's required fields
 * (nested contacts count), the owner's caps, duplicate keys, code; then the row, nested contacts,
 * team, owner history, search index and audit. Works inside an outer transaction (lead conversion,
 * import): then refusals are the caller's to record (recordRefusal). The settings and custom-field
 * definitions are read once (or taken from `opts.cache`); the rows just written are not read back.
 */
export async function createCustomer(
  db: DbOrTx,
  body: CreateCustomerBody,
  auth: Auth,
  opts?: CreateCustomerOptions & { present?: true },
): Promise<Customer>;
export async function createCustomer(
  db: DbOrTx,
  body: CreateCustomerBody,
  auth: Auth,
  opts: CreateCustomerOptions & { present: false },
): Promise<{ id: string }>;
export async function createCustomer(
  db: DbOrTx,
  body: CreateCustomerBody,
  auth: Auth,
  opts: CreateCustomerOptions = {},
): Promise<Customer | { id: string }> {
  return inTx(db, auth.user.id, { name: body.name }, async (tx) => {
    const actor = opts.actor ?? actorOfAuth(auth);
    const cache = opts.cache ?? {};
    const settings = (cache.settings ??= await getCustomerSettings(tx));
    const phones = mergePhones(body.phones, body.phone);
    assertWritable(auth, { ...body, phones }, null);
    if (body.locked && !canTransfer(auth)) throw fieldError('locked', 'readonly');

    const ownerId = body.ownerId ?? auth.user.id;
    if (ownerId !== auth.user.id && !opts.trustOwner && !canTransfer(auth)) {
      throw new AppError('forbidden', {}, [{ field: 'ownerId', code: 'readonly' }]);
    }
    const teamIds = (body.team ?? []).map((m) => m.userId).filter((u) => u !== ownerId);
    const users = await usersByIds(tx, [...new Set([ownerId, ...teamIds])]);
    const owner = users.find((u) => u.id === ownerId);
    if (!owner) throw fieldError('ownerId', 'not_found');
    if (owner.status !== 'active') throw fieldError('ownerId', 'inactive');
    const team = checkTeamOf(body.team ?? [], ownerId, 'team', users);

    assertListKeys(settings, body);
    const regionCode = blank(body.regionCode);
    if (regionCode && !isRegionCode(regionCode)) throw fieldError('regionCode', 'invalid_value');
    const customerDefs = (cache.customerDefs ??= await listFieldDefs(tx, 'customer'));
    const custom = await validateCustomValues(tx, 'customer', body.custom, { defs: customerDefs });
    const contacts = body.contacts ?? [];
    const values = {
      category: categoryOrDefault(settings, body.category),
      stage: blank(body.stage),
      importance: blank(body.importance),
      source: blank(body.source),
      industry: blank(body.industry),
      short_name: blank(body.shortName),
      region_code: regionCode,
      address: blank(body.address),
      website: blank(body.website),
      phones,
    };
    const missing = missingRequired(settings, values, {
      count: contacts.length,
      mobile: contacts.some((c) => !!blank(c.mobile)),
      email: contacts.some((c) => !!blank(c.email)),
    });
    if (missing.length) throw incomplete(missing);
    const counts = settings.caps.countDeals || !(values.stage && DEAL_STAGES.includes(values.stage));
    await assertCanOwn(tx, ownerId, counts ? 1 : 0, settings);

    const id = newId();
    await claimKeys(tx, id, customerKeys({ name: body.name, phones }, settings), { fresh: true });
    let code = blank(body.code);
    if (code) await assertCodeFree(tx, code);
    else code = await nextCustomerCode(tx, settings, opts.now, (cache.timezone ??= (await getCompany(tx)).timezone));

    const now = nowIso();
    const stored: Selectable<CustomersTable> = {
      id,
      kind: body.kind ?? 'customer',
      name: body.name,
      code,
      ...values,
      phones: JSON.stringify(phones),
      latitude: body.latitude ?? null,
      longitude: body.longitude ?? null,
      tags: JSON.stringify([...new Set(body.tags ?? [])]),
      owner_id: ownerId,
      owner_department_id: owner.department_id,
      pooled_at: null,
      locked: body.locked ? 1 : 0,
      last_contact_at: null,
      next_follow_up_at: body.nextFollowUpAt ? nowIso(new Date(body.nextFollowUpAt)) : null,
      last_deal_at: null,
      recycle_warned_at: null,
      notes: blank(body.notes),
      custom: JSON.stringify(custom),
      version: 1,
      created_by: auth.user.id,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    };
    await insertCustomerRow(tx, stored);
    if (contacts.length) {
      const contactDefs = (cache.contactDefs ??= await listFieldDefs(tx, 'contact'));
      for (const [i, c] of contacts.entries()) {
        await insertContact(tx, id, c, auth, actor, { newCustomer: { earlier: i }, defs: contactDefs });
      }
    }
    if (team.length) await replaceTeam(tx, id, team);
    await recordOwnerHistory(tx, { customerId: id, from: null, to: ownerId, reason: opts.reason ?? 'create', actor });
    await indexNewCustomer(tx, id, {
      name: body.name,
      short_name: values.short_name,
      code,
      phones,
      contactNames: contacts.map((c) => c.name),
    });
    await audit(tx, actor, {
      action: 'create',
      entity: 'customer',
      entityId: id,
      before: null,
      after: { ...customerAuditView(stored), team },
    });
    if (opts.present === false) return { id };
    const row = await customerRows(tx, auth).where('c.id', '=', id).executeTakeFirstOrThrow();
    // the team was just written from `users`: no need to read it back
    // (in teamOf's order: all were added at the same time, so by user id)
    const members: TeamMember[] = team
      .map((m) => ({ userId: m.userId, name: users.find((u) => u.id === m.userId)!.name, access: m.access }))
      .sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
    return presentCustomer(row, { hidden: hiddenCustomerFields(auth), defs: customerDefs }, members);
  });
}

/** A customer the viewer sees (404 otherwise), with its team. */
export async function getCustomer(db: DbOrTx, auth: Auth, id: string): Promise<Customer> {
  const row = await findVisibleCustomer(db, auth, id);
  if (!row) throw new AppError('not_found');
  const defs = await listFieldDefs(db, 'customer');
  return presentCustomer(row, { hidden: hiddenCustomerFields(auth), defs }, await teamOf(db, id));
}

/** The customer, if visible (404), owned (pool: customer_in_pool) and editable by the caller (403). */
export async function editableRow(tx: DbOrTx, auth: Auth, id: string, opts: { poolForAdmin?: boolean } = {}): Promise<CustomerRow> {
  const row = await findVisibleCustomer(tx, auth, id);
  if (!row) throw new AppError('not_found');
  if (row.owner_id === null) {
    if (opts.poolForAdmin && auth.user.isAdmin) return row;
    throw new AppError('customer_in_pool');
  }
  if (Number(row.editable) !== 1) throw new AppError('forbidden');
  return row;
}

/**
 * Edits a customer (PATCH): optimistic version, field rules, list keys, region, custom values merged
 * over the stored ones, the category's required fields (live contacts count), duplicate keys
 * swapped when the name or phones change, a changed code checked for uniqueness. Audited with
 * before / after; the search index follows.
 */
export async function updateCustomer(db: DbOrTx, auth: Auth, actor: Actor, id: string, body: UpdateCustomerBody): Promise<Customer> {
  return inTx(db, auth.user.id, { customerId: id, name: body.name }, async (tx) => {
    const row = await editableRow(tx, auth, id);
    if (row.version !== body.version) throw new AppError('stale_version');
    const settings = await getCustomerSettings(tx);
    assertWritable(auth, body, row);
    if (body.locked !== undefined && (body.locked ? 1 : 0) !== row.locked && !canTransfer(auth)) throw fieldError('locked', 'readonly');
    assertListKeys(settings, body, row);
    const pick = <T>(v: T | undefined, current: T) => (v === undefined ? current : v);
    const text = (v: string | null | undefined, current: string | null) => (v === undefined ? current : blank(v));
    const regionCode = text(body.regionCode, row.region_code);
    if (regionCode && regionCode !== row.region_code && !isRegionCode(regionCode)) throw fieldError('regionCode', 'invalid_value');
    const phones = body.phones === undefined ? jsonList(row.phones) : mergePhones(body.phones);
    const next = {
      kind: pick(body.kind, row.kind),
      name: body.name ?? row.name,
      short_name: text(body.shortName, row.short_name),
      // a cleared category (or a record saved before categories applied) takes the default one
      category: categoryOrDefault(settings, text(body.category, row.category)),
      stage: text(body.stage, row.stage),
      importance: text(body.importance, row.importance),
      source: text(body.source, row.source),
      industry: text(body.industry, row.industry),
      region_code: regionCode,
      address: text(body.address, row.address),
      latitude: pick(body.latitude, row.latitude),
      longitude: pick(body.longitude, row.longitude),
      website: text(body.website, row.website),
      notes: text(body.notes, row.notes),
      locked: body.locked === undefined ? row.locked : body.locked ? 1 : 0,
      next_follow_up_at:
        body.nextFollowUpAt === undefined ? row.next_follow_up_at : body.nextFollowUpAt ? nowIso(new Date(body.nextFollowUpAt)) : null,
    };
    const defs = await listFieldDefs(tx, 'customer');
    const custom = await validateCustomValues(tx, 'customer', body.custom, { existing: parseCustom(row.custom), defs });
    const missing = missingRequired(settings, { ...next, phones }, await contactCompleteness(tx, id));
    if (missing.length) throw incomplete(missing);

    const nameChanged = next.name !== row.name;
    const phonesChanged = !sameJson(phones, jsonList(row.phones));
    if (nameChanged || phonesChanged) {
      const before = customerKeys({ name: row.name, phones: jsonList(row.phones) }, settings);
      await swapKeys(tx, id, before, customerKeys({ name: next.name, phones }, settings));
    }
    const code = text(body.code, row.code);
    if (code && code !== row.code) await assertCodeFree(tx, code, id);

    const ok = await updateVersioned(
      tx,
      'customers',
      id,
      body.version,
      {
        ...next,
        code,
        phones: JSON.stringify(phones),
        tags: body.tags === undefined ? row.tags : JSON.stringify([...new Set(body.tags)]),
        custom: JSON.stringify(custom),
      },
      nowIso(),
    );
    if (!ok) throw new AppError('stale_version');
    if (nameChanged || phonesChanged || next.short_name !== row.short_name || code !== row.code) await reindexCustomer(tx, id);
    const after = (await findCustomerRow(tx, id))!;
    await audit(tx, actor, {
      action: 'update',
      entity: 'customer',
      entityId: id,
      before: customerAuditView(row),
      after: customerAuditView(after),
    });
    return present(tx, auth, id, defs);
  });
}

/**
 * Soft-deletes a customer into the recycle bin: its duplicate keys are released (the name and
 * phones may be entered again) and it leaves the search index. `version` guards against a
 * concurrent edit when given. Pool customers only by an admin; 409 approval_document_locked while a
 * transfer request in approval holds it. Used by DELETE and the bulk delete.
 */
export async function deleteCustomer(tx: DbOrTx, id: string, version: number | undefined, auth: Auth, actor: Actor = actorOfAuth(auth)) {
  const row = await editableRow(tx, auth, id, { poolForAdmin: true });
  if (version !== undefined && version !== row.version) throw new AppError('stale_version');
  // a transfer in approval holds it
  await assertNotHeld(tx, [id]);
  const now = nowIso();
  const r = await tx
    .updateTable('customers')
    .set({ deleted_at: now, updated_at: now, version: sql<number>`version + 1` })
    .where('id', '=', id)
    .where('version', '=', row.version)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new AppError('stale_version');
  await releaseKeys(tx, id);
  await removeRecord(tx, CUSTOMER_ENTITY, id);
  await moveToRecycleBin(tx, { entity: 'customer', entityId: id, label: row.name, before: customerAuditView(row) }, actor);
}

/** DELETE /customers/:id in its own transaction. */
export async function removeCustomer(db: Db, auth: Auth, actor: Actor, id: string, version?: number): Promise<void> {
  await db.transaction().execute((tx) => deleteCustomer(tx, id, version, auth, actor));
}

/** Replaces the team (团队成员) of a customer the caller may edit; audited 'team' with before / after. */
export async function putTeam(db: DbOrTx, auth: Auth, actor: Actor, id: string, body: PutTeamBody): Promise<Customer> {
  return inTx(db, auth.user.id, { customerId: id }, async (tx) => {
    const row = await editableRow(tx, auth, id);
    const before = await teamOf(tx, id);
    const members = await checkTeam(tx, body.members, row.owner_id, 'members', before);
    await replaceTeam(tx, id, members);
    const after = await teamOf(tx, id);
    const view = (t: TeamMember[]) => t.map((m) => `${m.userId}:${m.access}`).sort();
    if (!sameJson(view(before), view(after))) {
      await audit(tx, actor, { action: 'team', entity: 'customer', entityId: id, before: { team: before }, after: { team: after } });
    }
    return present(tx, auth, id);
  });
}

registerRecyclable({
  entity: 'customer',
  labelKey: 'customer.entity',
  async restore(tx, id) {
    const row = await findCustomerRow(tx, id);
    if (!row || !row.deleted_at) return;
    // the name or a phone may have been entered again meanwhile: then the restore is refused
    await claimKeys(tx, id, customerKeys({ name: row.name, phones: jsonList(row.phones) }, await getCustomerSettings(tx)));
    await tx
      .updateTable('customers')
      .set({ deleted_at: null, updated_at: nowIso(), version: row.version + 1 })
      .where('id', '=', id)
      .execute();
    await reindexCustomer(tx, id);
  },
  purge: (tx, id) => purgeCustomerRows(tx, id),
});
