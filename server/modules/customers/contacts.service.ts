import { sql, type Selectable, type Updateable } from 'kysely';
import { fieldRule } from '@common/permissions';
import type { Contact, ContactInput, UpdateContactBody } from '@common/schemas/contacts';
import type { ContactsTable, Db, DbOrTx, Tx } from '@server/db/types';
import { newId, nowIso } from '@server/db/ids';
import { exactCondition, indexRecord, matchCondition, rankGrams, removeRecord } from '@server/db/search';
import { updateVersioned } from '@server/db/versioned';
import { keysetPage } from '@server/db/keyset';
import type { Auth } from '@server/platform/access/types';
import { audit, type Actor } from '@server/platform/audit/audit.service';
import { AppError, fieldError } from '@server/platform/http/errors';
import { validateCustomValues } from '@server/platform/fields/fields.service';
import type { CustomFieldDef } from '@common/schemas/custom-fields';
import { moveToRecycleBin, registerRecyclable } from '@server/platform/recycle/recycle.service';
import { reindexCustomer } from './customer-search';
import { customerEditable, customerVisible } from './visibility';
import { contactsQuery, ensurePrimary, findLiveContact, oldestContact, selectContact, setPrimary } from './contacts.repository';
import { auditView, CONTACT_SENSITIVE, hiddenContactFields, presentContact, type ContactSensitive } from './contacts.presenter';

/** Search entity of contacts in search_grams (name, mobile, phone, email, WeChat). */
export const CONTACT_ENTITY = 'contact';

/** The audit actor of a signed-in user when the caller has no request at hand. */
export function actorOfAuth(auth: Auth): Actor {
  return { id: auth.user.id, name: auth.user.name, ip: null, adminBypass: auth.adminBypass };
}

const TEXT_FIELDS = ['title', 'department', 'mobile', 'phone', 'email', 'wechat', 'birthday', 'hobbies', 'notes'] as const;

/** Empty text is stored as null. */
const blank = (v: string | null | undefined) => (v == null || v.trim() === '' ? null : v);

const column = (f: ContactSensitive) => (f === 'idNumber' ? 'id_number' : f);

/**
 * Field rules on write: a hidden or read-only field may not be set (create) or changed (update).
 * A hidden field is refused whenever it is sent, so the answer never tells whether a guess matched.
 */
function assertWritable(auth: Auth, input: Partial<ContactInput>, current: Selectable<ContactsTable> | null): void {
  for (const f of CONTACT_SENSITIVE) {
    const rule = fieldRule(auth.caps, 'contacts', f);
    if (!rule || input[f] === undefined) continue;
    const value = blank(input[f]);
    if (current === null) {
      if (value !== null) throw fieldError(f, 'readonly');
    } else if (rule === 'hidden' || value !== current[column(f)]) {
      throw fieldError(f, 'readonly');
    }
  }
}

/** `reportsToId` must be another live contact of the same customer, and not one of the contact's own reports. */
async function checkReportsTo(db: DbOrTx, customerId: string, selfId: string | null, reportsToId: string): Promise<void> {
  if (reportsToId === selfId) throw fieldError('reportsToId', 'cycle');
  const boss = await findLiveContact(db, reportsToId);
  if (!boss || boss.customer_id !== customerId) throw fieldError('reportsToId', 'not_found');
  if (!selfId) return;
  // walk up from the new superior: meeting the contact itself means it would report to its own report
  const seen = new Set<string>();
  let cursor: string | null = boss.reports_to_id;
  while (cursor && !seen.has(cursor)) {
    if (cursor === selfId) throw fieldError('reportsToId', 'cycle');
    seen.add(cursor);
    const next = await db.selectFrom('contacts').select('reports_to_id').where('id', '=', cursor).executeTakeFirst();
    cursor = next?.reports_to_id ?? null;
  }
}

/**
 * Serialises contact writes of one customer (primary contact, reporting lines): a no-op update takes
 * the customer's row lock on PostgreSQL (SQLite runs one writer at a time anyway). False when the
 * customer is missing or deleted.
 */
async function lockCustomer(tx: DbOrTx, customerId: string): Promise<boolean> {
  const r = await tx
    .updateTable('customers')
    .set({ version: sql<number>`version` })
    .where('id', '=', customerId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

async function indexContact(
  db: DbOrTx,
  row: Pick<ContactsTable, 'id' | 'name' | 'mobile' | 'phone' | 'email' | 'wechat'>,
  opts: { fresh?: boolean } = {},
) {
  await indexRecord(db, CONTACT_ENTITY, row.id, [row.name, row.mobile, row.phone, row.email, row.wechat], opts);
}

async function liveRow(tx: DbOrTx, id: string): Promise<Selectable<ContactsTable>> {
  const row = await findLiveContact(tx, id);
  if (!row) throw new AppError('not_found');
  return row;
}

export type InsertContactOptions = {
  /**
   * The caller created the customer in this same transaction and adds its contacts one by one:
   * `earlier` of them are in already. No lock or lookup of the customer's contacts is needed, and
   * the caller indexes the customer itself once its contacts are in.
   */
  newCustomer?: { earlier: number };
  /** the contact custom-field definitions, when the caller read them already */
  defs?: CustomFieldDef[];
};

/**
 * Adds a contact to a customer inside the caller's transaction and returns the stored row. Validates
 * field rules, custom values and the reporting line; the customer's first contact becomes its primary
 * one, and `isPrimary` moves the flag to the new contact. Audited 'create' on 'contact'; the contact
 * and customer keyword indexes are updated (the customer's by the caller for `newCustomer`). Customer
 * visibility and edit rights are the caller's check (POST /customers creates nested contacts through this).
 */
export async function insertContact(
  tx: Tx,
  customerId: string,
  input: ContactInput,
  auth: Auth,
  actor: Actor = actorOfAuth(auth),
  opts: InsertContactOptions = {},
): Promise<Selectable<ContactsTable>> {
  assertWritable(auth, input, null);
  const fresh = opts.newCustomer;
  if (!fresh && !(await lockCustomer(tx, customerId))) throw fieldError('customerId', 'not_found');
  const custom = await validateCustomValues(tx, 'contact', input.custom, { defs: opts.defs });
  if (input.reportsToId) await checkReportsTo(tx, customerId, null, input.reportsToId);
  const hasOthers = fresh ? fresh.earlier > 0 : !!(await oldestContact(tx, customerId));
  const primary = !hasOthers || input.isPrimary === true;
  const now = nowIso();
  const row: Selectable<ContactsTable> = {
    id: newId(),
    customer_id: customerId,
    name: input.name,
    title: blank(input.title),
    department: blank(input.department),
    mobile: blank(input.mobile),
    phone: blank(input.phone),
    email: blank(input.email),
    wechat: blank(input.wechat),
    birthday: blank(input.birthday),
    hobbies: blank(input.hobbies),
    id_number: blank(input.idNumber),
    notes: blank(input.notes),
    is_primary: primary ? 1 : 0,
    decision_maker: input.decisionMaker ? 1 : 0,
    reports_to_id: input.reportsToId ?? null,
    custom: JSON.stringify(custom),
    version: 1,
    created_by: auth.user.id,
    created_at: now,
    updated_at: now,
    deleted_at: null,
  };
  await tx.insertInto('contacts').values(row).execute();
  if (primary && hasOthers) await setPrimary(tx, customerId, row.id);
  // the row as stored: every column was written just now (setPrimary only confirms its flag)
  await indexContact(tx, row, { fresh: true });
  if (!fresh) await reindexCustomer(tx, customerId);
  await audit(tx, actor, { action: 'create', entity: 'contact', entityId: row.id, before: null, after: auditView(row) });
  return row;
}

/** A visible contact as the caller sees it, or 404. */
export async function getContact(db: DbOrTx, auth: Auth, id: string): Promise<Contact> {
  const row = await selectContact(contactsQuery(db).where(customerVisible(auth, 'contacts')).where('k.id', '=', id)).executeTakeFirst();
  if (!row) throw new AppError('not_found');
  return presentContact(row, hiddenContactFields(auth));
}

export type ContactListQuery = { q?: string; customerId?: string; cursor?: string; limit: number };

/** Contacts of the customers the caller sees under the contacts module's scope, newest first. */
export async function listContacts(db: DbOrTx, auth: Auth, query: ContactListQuery) {
  const hidden = hiddenContactFields(auth);
  let q = contactsQuery(db).where(customerVisible(auth, 'contacts'));
  if (query.customerId) q = q.where('k.customer_id', '=', query.customerId);
  if (query.q) {
    const match = matchCondition(CONTACT_ENTITY, 'k.id', query.q, await rankGrams(db, CONTACT_ENTITY, query.q));
    if (match) q = q.where(match);
    // a hidden field must not be found by its value: then the query has to appear in a visible one
    if (hidden.some((f) => f !== 'idNumber')) {
      const visible = [
        'k.name',
        ...(['mobile', 'phone', 'email', 'wechat'] as const).filter((f) => !hidden.includes(f)).map((f) => `k.${f}`),
      ];
      const exact = exactCondition(visible, query.q);
      if (exact) q = q.where(exact);
    }
  }
  const [rows, count] = await Promise.all([
    selectContact(query.cursor ? q.where('k.id', '<', query.cursor) : q)
      .orderBy('k.id', 'desc')
      .limit(query.limit + 1)
      .execute(),
    q.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { ...keysetPage(rows, query.limit, (r) => presentContact(r, hidden)), total: Number(count.n) };
}

/** The contact, if the caller sees it (404 otherwise) and may change its customer (403 otherwise). */
async function editableContact(tx: DbOrTx, auth: Auth, id: string): Promise<Selectable<ContactsTable>> {
  const seen = await contactsQuery(tx).where(customerVisible(auth, 'contacts')).where('k.id', '=', id).select('k.id').executeTakeFirst();
  if (!seen) throw new AppError('not_found');
  const row = await liveRow(tx, id);
  await assertCustomerEditable(tx, auth, row.customer_id, false);
  return row;
}

/**
 * The caller may add or move contacts into this customer: 404 when it is not visible under the
 * contacts scope (or absent), 403 when visible but read-only. `asField` reports a bad target customer
 * of a move as a field error instead of 404.
 */
export async function assertCustomerEditable(db: DbOrTx, auth: Auth, customerId: string, asField: boolean): Promise<void> {
  const row = await db
    .selectFrom('customers as c')
    .select(sql<number>`case when ${customerEditable(auth)} then 1 else 0 end`.as('editable'))
    .where('c.id', '=', customerId)
    .where('c.deleted_at', 'is', null)
    .where(customerVisible(auth, 'contacts'))
    .executeTakeFirst();
  if (!row) throw asField ? fieldError('customerId', 'not_found') : new AppError('not_found');
  if (Number(row.editable) !== 1) throw new AppError('forbidden');
}

/** POST /contacts. */
export async function createContact(db: Db, auth: Auth, actor: Actor, input: ContactInput & { customerId: string }): Promise<Contact> {
  return db.transaction().execute(async (tx) => {
    await assertCustomerEditable(tx, auth, input.customerId, false);
    const { customerId, ...fields } = input;
    const { id } = await insertContact(tx, customerId, fields, auth, actor);
    return getContact(tx, auth, id);
  });
}

/** PATCH /contacts/:id: optimistic, may move the contact to another editable customer. */
export async function updateContact(db: Db, auth: Auth, actor: Actor, id: string, body: UpdateContactBody): Promise<Contact> {
  return db.transaction().execute(async (tx) => {
    const before = await editableContact(tx, auth, id);
    const from = before.customer_id;
    const to = body.customerId ?? from;
    const moved = to !== from;
    if (moved) await assertCustomerEditable(tx, auth, to, true);
    await lockCustomer(tx, from);
    if (moved && !(await lockCustomer(tx, to))) throw fieldError('customerId', 'not_found');
    assertWritable(auth, body, before);

    const patch: Updateable<ContactsTable> = {};
    if (body.name !== undefined) patch.name = body.name;
    for (const f of TEXT_FIELDS) if (body[f] !== undefined) patch[f] = blank(body[f]);
    if (body.idNumber !== undefined) patch.id_number = blank(body.idNumber);
    if (body.decisionMaker !== undefined) patch.decision_maker = body.decisionMaker ? 1 : 0;
    if (body.custom !== undefined) {
      const existing = JSON.parse(before.custom) as Record<string, unknown>;
      patch.custom = JSON.stringify(await validateCustomValues(tx, 'contact', body.custom, { existing }));
    }
    if (moved) patch.customer_id = to;
    if (body.reportsToId !== undefined) {
      if (body.reportsToId) await checkReportsTo(tx, to, id, body.reportsToId);
      patch.reports_to_id = body.reportsToId;
    } else if (moved) {
      patch.reports_to_id = null; // the superior stays with the old customer
    }
    if (moved) patch.is_primary = 0;

    const now = nowIso();
    if (!(await updateVersioned(tx, 'contacts', id, body.version, patch, now))) throw new AppError('stale_version');

    if (moved) {
      // the old customer's contacts no longer report to one who left it
      const reports = await tx
        .selectFrom('contacts')
        .select(['id', 'reports_to_id'])
        .where('customer_id', '=', from)
        .where('reports_to_id', '=', id)
        .execute();
      if (reports.length) {
        await tx
          .updateTable('contacts')
          .set({ reports_to_id: null })
          .where('customer_id', '=', from)
          .where('reports_to_id', '=', id)
          .execute();
        for (const r of reports) {
          await audit(tx, actor, {
            action: 'update',
            entity: 'contact',
            entityId: r.id,
            before: { reportsToId: id },
            after: { reportsToId: null },
          });
        }
      }
      await ensurePrimary(tx, from);
      if (body.isPrimary) await setPrimary(tx, to, id);
      else await ensurePrimary(tx, to);
    } else if (body.isPrimary === true) {
      await setPrimary(tx, to, id);
    } else if (body.isPrimary === false && before.is_primary === 1) {
      const other = await oldestContact(tx, to, id);
      if (other) await setPrimary(tx, to, other.id);
    }

    const after = await liveRow(tx, id);
    await indexContact(tx, after);
    if (moved || before.name !== after.name) {
      await reindexCustomer(tx, from);
      if (moved) await reindexCustomer(tx, to);
    }
    await audit(tx, actor, { action: 'update', entity: 'contact', entityId: id, before: auditView(before), after: auditView(after) });
    return getContact(tx, auth, id);
  });
}

/** DELETE /contacts/:id: into the recycle bin; the oldest remaining contact takes over as primary. */
export async function deleteContact(db: Db, auth: Auth, actor: Actor, id: string, version: number): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const row = await editableContact(tx, auth, id);
    await lockCustomer(tx, row.customer_id);
    const now = nowIso();
    if (!(await updateVersioned(tx, 'contacts', id, version, { deleted_at: now }, now))) throw new AppError('stale_version');
    if (row.is_primary === 1) await ensurePrimary(tx, row.customer_id);
    await removeRecord(tx, CONTACT_ENTITY, id);
    await reindexCustomer(tx, row.customer_id);
    const customer = await tx.selectFrom('customers').select('name').where('id', '=', row.customer_id).executeTakeFirst();
    await moveToRecycleBin(
      tx,
      { entity: 'contact', entityId: id, label: customer ? `${row.name}（${customer.name}）` : row.name, before: auditView(row) },
      actor,
    );
  });
}

/**
 * Recycle bin: a restored contact comes back to its customer (which must be live), without a
 * superior that is gone or elsewhere, and as primary only when the customer has no other contact.
 */
registerRecyclable({
  entity: 'contact',
  labelKey: 'contacts.entity',
  async restore(tx, id, actor) {
    const row = await tx.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || !row.deleted_at) return;
    if (!(await lockCustomer(tx, row.customer_id))) throw new AppError('contact_customer_deleted');
    let reportsTo = row.reports_to_id;
    if (reportsTo) {
      const boss = await findLiveContact(tx, reportsTo);
      if (!boss || boss.customer_id !== row.customer_id) {
        await audit(tx, actor, {
          action: 'update',
          entity: 'contact',
          entityId: id,
          before: { reportsToId: reportsTo },
          after: { reportsToId: null },
          detail: 'restore',
        });
        reportsTo = null;
      }
    }
    await tx
      .updateTable('contacts')
      .set({ deleted_at: null, is_primary: 0, reports_to_id: reportsTo, version: row.version + 1, updated_at: nowIso() })
      .where('id', '=', id)
      .execute();
    await ensurePrimary(tx, row.customer_id);
    await indexContact(tx, row);
    await reindexCustomer(tx, row.customer_id);
  },
  async purge(tx, id) {
    const gone = await tx.deleteFrom('contacts').where('id', '=', id).where('deleted_at', 'is not', null).executeTakeFirst();
    if (Number(gone.numDeletedRows) !== 1) return;
    await removeRecord(tx, CONTACT_ENTITY, id);
    await tx.updateTable('important_dates').set({ contact_id: null }).where('contact_id', '=', id).execute();
    await tx.updateTable('contacts').set({ reports_to_id: null }).where('reports_to_id', '=', id).execute();
  },
});

/** Record history: whoever sees the contact's customer under the contacts scope (deleted contacts too). */
export async function contactHistoryVisible(db: DbOrTx, auth: Auth, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('contacts as k')
    .innerJoin('customers as c', 'c.id', 'k.customer_id')
    .select('k.id')
    .where('k.id', '=', id)
    .where(customerVisible(auth, 'contacts'))
    .executeTakeFirst();
  return !!row;
}
