import { sql, type Expression, type SqlBool } from 'kysely';
import type { DbOrTx, Tx } from '@server/db/types';
import type { CreateFollowUpBody, FollowUp, FollowUpListQuery, FollowUpType, UpdateFollowUpBody } from '@common/schemas/followups';
import type { Page } from '@common/schemas/fields';
import { ID_PATTERN, newId, nowIso } from '@server/db/ids';
import type { Auth } from '@server/platform/access/types';
import { allows } from '@server/platform/access/check';
import { AppError, fieldError } from '@server/platform/http/errors';
import { audit, type Actor } from '@server/platform/audit/audit.service';
import { moveToRecycleBin, registerRecyclable } from '@server/platform/recycle/recycle.service';
import { withTx } from '@server/platform/org/caller';
import { customerVisible, ownedVisible } from './visibility';
import { recomputeContact, recordContact, type ContactTarget } from './contact-time';
import {
  attachableFiles,
  attachmentsOf,
  findFollowUpRow,
  insertFollowUp,
  listFollowUpRows,
  purgeFollowUpRow,
  restoreFollowUpRow,
  setAttachments,
  updateFollowUpRow,
  type FollowUpRow,
  type TimeCursor,
} from './follow-ups.repository';

/**
 * 跟单: what a user did with a customer or a lead. A follow-up counts as contact (contact-time.ts).
 * Who sees one: its author within the viewer's follow-up scope, OR anyone who sees the customer
 * (the owner sees every colleague's follow-up on their customer: the 360° timeline) or the lead.
 * Only the author (or an admin) changes or deletes it.
 */

/** Follow-ups (alias `f`) the viewer may see. */
export function followUpVisible(auth: Auth): Expression<SqlBool> {
  return sql<SqlBool>`(${ownedVisible(auth, 'followups', 'f')}
    or (f.customer_id is not null and exists (select 1 from customers c where c.id = f.customer_id and ${customerVisible(auth)}))
    or (f.lead_id is not null and exists (select 1 from leads l where l.id = f.lead_id and ${ownedVisible(auth, 'leads', 'l')})))`;
}

/* ---- keyset cursor `<epoch ms>.<id>` over (time desc, id desc) ---- */

export function encodeCursor(at: string, id: string): string {
  return `${Date.parse(at)}.${id}`;
}

export function decodeCursor(cursor: string | undefined): TimeCursor | null {
  if (!cursor) return null;
  const [ms, id] = cursor.split('.');
  const t = Number(ms);
  if (!/^\d{1,15}$/.test(ms ?? '') || !Number.isFinite(t) || !ID_PATTERN.test(id ?? '')) throw fieldError('cursor', 'invalid');
  return { at: nowIso(new Date(t)), id };
}

/** An ISO instant as stored (UTC, milliseconds, `Z`), so text comparison is time order. */
export const toStored = (iso: string) => nowIso(new Date(iso));

const FUTURE_SLACK_MS = 60_000;

function present(row: FollowUpRow, auth: Auth, attachments: FollowUp['attachments']): FollowUp {
  return {
    id: row.id,
    customerId: row.customer_id,
    customerName: row.customer_name,
    leadId: row.lead_id,
    leadName: row.lead_name,
    contactId: row.contact_id,
    contactName: row.contact_name,
    type: row.type as FollowUpType,
    content: row.content,
    at: row.at,
    nextStep: row.next_step,
    nextAt: row.next_at,
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    ownerDepartmentId: row.owner_department_id,
    attachments,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
    canEdit: (row.owner_id === auth.user.id || auth.user.isAdmin) && allows(auth, 'followups', 'edit'),
  };
}

async function presentAll(db: DbOrTx, rows: FollowUpRow[], auth: Auth): Promise<FollowUp[]> {
  const files = await attachmentsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) =>
    present(
      r,
      auth,
      files.filter((f) => f.entity_id === r.id).map((f) => ({ id: f.id, name: f.name, mime: f.mime, size: f.size })),
    ),
  );
}

/**
 * Follow-ups the viewer may see, newest contact first (keyset `cursor`). Filters: a customer, a
 * lead, an author, mine / my team (authors within my follow-up scope), a time range, a type.
 * Used by GET /follow-ups and by the customer's 360° page.
 */
export async function listFollowUps(db: DbOrTx, auth: Auth, q: FollowUpListQuery): Promise<Page<FollowUp>> {
  const filters: Expression<SqlBool>[] = [followUpVisible(auth)];
  if (q.customerId) filters.push(sql<SqlBool>`f.customer_id = ${q.customerId}`);
  if (q.leadId) filters.push(sql<SqlBool>`f.lead_id = ${q.leadId}`);
  if (q.ownerId) filters.push(sql<SqlBool>`f.owner_id = ${q.ownerId}`);
  if (q.view === 'mine') filters.push(sql<SqlBool>`f.owner_id = ${auth.user.id}`);
  if (q.view === 'team') filters.push(ownedVisible(auth, 'followups', 'f'));
  if (q.from) filters.push(sql<SqlBool>`f.at >= ${toStored(q.from)}`);
  if (q.to) filters.push(sql<SqlBool>`f.at < ${toStored(q.to)}`);
  if (q.type) filters.push(sql<SqlBool>`f.type = ${q.type}`);
  const rows = await listFollowUpRows(db, filters, decodeCursor(q.cursor), q.limit);
  const items = await presentAll(db, rows.slice(0, q.limit), auth);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > q.limit ? encodeCursor(last.at, last.id) : null };
}

/** One follow-up the viewer may see, or 404. */
export async function getFollowUp(db: DbOrTx, auth: Auth, id: string): Promise<FollowUp> {
  const row = await findFollowUpRow(db, id, followUpVisible(auth));
  if (!row) throw new AppError('not_found');
  return (await presentAll(db, [row], auth))[0];
}

/**
 * The customer or lead a follow-up or schedule is about, checked for the caller: exactly one of
 * the two; a customer the caller sees and that has an owner (a pool customer is claimed first), or
 * a lead the caller sees; a contact must be a live contact of that customer. Out of scope → 404.
 */
export async function requireContactTarget(
  db: DbOrTx,
  auth: Auth,
  t: { customerId?: string | null; leadId?: string | null; contactId?: string | null },
  opts: { required: boolean } = { required: true },
): Promise<ContactTarget> {
  const customerId = t.customerId ?? null;
  const leadId = t.leadId ?? null;
  if (customerId && leadId) throw fieldError('leadId', 'customer_or_lead');
  if (!customerId && !leadId && opts.required) throw fieldError('customerId', 'customer_or_lead');
  if (customerId) {
    const c = await db
      .selectFrom('customers as c')
      .select(['c.id', 'c.owner_id'])
      .where('c.id', '=', customerId)
      .where('c.deleted_at', 'is', null)
      .where(customerVisible(auth))
      .executeTakeFirst();
    if (!c) throw new AppError('not_found');
    if (!c.owner_id) throw new AppError('customer_in_pool');
  }
  if (leadId) {
    const l = await db
      .selectFrom('leads as l')
      .select('l.id')
      .where('l.id', '=', leadId)
      .where('l.deleted_at', 'is', null)
      .where(ownedVisible(auth, 'leads', 'l'))
      .executeTakeFirst();
    if (!l) throw new AppError('not_found');
  }
  if (t.contactId) {
    if (!customerId) throw fieldError('contactId', 'invalid_value');
    const ct = await db
      .selectFrom('contacts')
      .select('id')
      .where('id', '=', t.contactId)
      .where('customer_id', '=', customerId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!ct) throw fieldError('contactId', 'not_found');
  }
  return { customerId, leadId };
}

/** Refuses a time more than a minute ahead of `now`. */
function notInFuture(field: string, iso: string, now: Date): string {
  if (Date.parse(iso) > now.getTime() + FUTURE_SLACK_MS) throw fieldError(field, 'in_future');
  return toStored(iso);
}

/** Every id must be a file the caller uploaded and has not attached elsewhere (or already on this follow-up). */
async function checkAttachments(tx: Tx, ids: string[], auth: Auth, followUpId: string): Promise<string[]> {
  const ok = await attachableFiles(tx, [...new Set(ids)], auth.user.id, followUpId);
  ids.forEach((id, i) => {
    if (!ok.has(id)) throw fieldError(`attachmentIds.${i}`, 'not_found');
  });
  return [...new Set(ids)];
}

const auditView = (f: FollowUp) => ({
  customerId: f.customerId,
  leadId: f.leadId,
  contactId: f.contactId,
  type: f.type,
  content: f.content,
  at: f.at,
  nextStep: f.nextStep,
  nextAt: f.nextAt,
  ownerId: f.ownerId,
  attachmentIds: f.attachments.map((a) => a.id),
});

const labelOf = (content: string) => content.replace(/\s+/g, ' ').slice(0, 60);

/**
 * Logs a follow-up by the caller (its author and owner) on a customer or lead the caller sees, with
 * attachments the caller uploaded. Counts as contact: last contact and next follow-up date of the
 * customer / lead are updated in the same transaction. Audited.
 */
export async function createFollowUp(db: DbOrTx, auth: Auth, actor: Actor, body: CreateFollowUpBody, now = new Date()): Promise<FollowUp> {
  return withTx(db, async (tx) => {
    const target = await requireContactTarget(tx, auth, body);
    const at = body.at ? notInFuture('at', body.at, now) : nowIso(now);
    const id = newId();
    const stamp = nowIso(now);
    await insertFollowUp(tx, {
      id,
      version: 1,
      created_by: auth.user.id,
      created_at: stamp,
      updated_at: stamp,
      deleted_at: null,
      customer_id: target.customerId,
      lead_id: target.leadId,
      contact_id: body.contactId ?? null,
      type: body.type,
      content: body.content,
      at,
      next_step: body.nextStep ?? null,
      next_at: body.nextAt ? toStored(body.nextAt) : null,
      owner_id: auth.user.id,
      owner_department_id: auth.user.departmentId,
    });
    if (body.attachmentIds?.length) await setAttachments(tx, id, await checkAttachments(tx, body.attachmentIds, auth, id), stamp);
    await recordContact(tx, target, at, actor, stamp, `follow_up:${id}`);
    const created = await getFollowUp(tx, auth, id);
    await audit(tx, actor, { action: 'create', entity: 'follow_up', entityId: id, after: auditView(created) });
    return created;
  });
}

/** The follow-up, if the caller may change it: visible (else 404), and the author or an admin (else 403). */
async function requireAuthor(tx: Tx, auth: Auth, id: string): Promise<FollowUp> {
  const f = await getFollowUp(tx, auth, id);
  if (f.ownerId !== auth.user.id && !auth.user.isAdmin) throw new AppError('forbidden');
  return f;
}

/**
 * Edits a follow-up (author or admin; stale version → 409). A changed time or next date
 * recomputes the customer's / lead's last contact and next follow-up date. Audited.
 */
export async function updateFollowUp(
  db: DbOrTx,
  auth: Auth,
  actor: Actor,
  id: string,
  body: UpdateFollowUpBody,
  now = new Date(),
): Promise<FollowUp> {
  return withTx(db, async (tx) => {
    const before = await requireAuthor(tx, auth, id);
    if (before.version !== body.version) throw new AppError('stale_version');
    const patch: Parameters<typeof updateFollowUpRow>[3] = {};
    if (body.contactId !== undefined) {
      if (body.contactId)
        await requireContactTarget(tx, auth, { customerId: before.customerId, leadId: before.leadId, contactId: body.contactId });
      patch.contact_id = body.contactId;
    }
    if (body.type !== undefined) patch.type = body.type;
    if (body.content !== undefined) patch.content = body.content;
    if (body.at !== undefined) patch.at = notInFuture('at', body.at, now);
    if (body.nextStep !== undefined) patch.next_step = body.nextStep;
    if (body.nextAt !== undefined) patch.next_at = body.nextAt ? toStored(body.nextAt) : null;
    const stamp = nowIso(now);
    if (!(await updateFollowUpRow(tx, id, body.version, patch, stamp))) throw new AppError('stale_version');
    if (body.attachmentIds) await setAttachments(tx, id, await checkAttachments(tx, body.attachmentIds, auth, id), stamp);
    if ((patch.at !== undefined && patch.at !== before.at) || (patch.next_at !== undefined && patch.next_at !== before.nextAt)) {
      await recomputeContact(tx, before, actor, stamp, `follow_up:${id}`, before.nextAt);
    }
    const after = await getFollowUp(tx, auth, id);
    await audit(tx, actor, { action: 'update', entity: 'follow_up', entityId: id, before: auditView(before), after: auditView(after) });
    return after;
  });
}

/**
 * Moves a follow-up to the recycle bin (author or admin). The customer's / lead's last contact is
 * recomputed from what remains. Audited by the bin.
 */
export async function deleteFollowUp(db: DbOrTx, auth: Auth, actor: Actor, id: string, version?: number, now = new Date()) {
  await withTx(db, async (tx) => {
    const before = await requireAuthor(tx, auth, id);
    if (version !== undefined && before.version !== version) throw new AppError('stale_version');
    const stamp = nowIso(now);
    if (!(await updateFollowUpRow(tx, id, before.version, { deleted_at: stamp }, stamp))) throw new AppError('stale_version');
    await moveToRecycleBin(tx, { entity: 'follow_up', entityId: id, label: labelOf(before.content), before: auditView(before) }, actor);
    await recomputeContact(tx, before, actor, stamp, `follow_up:${id}`, before.nextAt);
  });
}

registerRecyclable({
  entity: 'follow_up',
  labelKey: 'followups.entity',
  async restore(tx, id, actor) {
    const stamp = nowIso();
    const row = await restoreFollowUpRow(tx, id, stamp);
    if (row) await recomputeContact(tx, { customerId: row.customer_id, leadId: row.lead_id }, actor, stamp, `follow_up:${id}`);
  },
  purge: (tx, id) => purgeFollowUpRow(tx, id, nowIso()),
});

/** Whether the viewer may read a follow-up's audit history (also while it is in the recycle bin). */
export async function followUpHistoryVisible(db: DbOrTx, auth: Auth, id: string): Promise<boolean> {
  if (!allows(auth, 'followups', 'view')) return false;
  const row = await db.selectFrom('follow_ups as f').select('f.id').where('f.id', '=', id).where(followUpVisible(auth)).executeTakeFirst();
  return !!row;
}

/** Whether the viewer sees this live follow-up (its attachments' read check). */
export async function followUpReadable(db: DbOrTx, auth: Auth, id: string): Promise<boolean> {
  if (!allows(auth, 'followups', 'view')) return false;
  return !!(await findFollowUpRow(db, id, followUpVisible(auth)));
}
