import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db, DbOrTx, Tx } from '@server/db/types';
import type { CreateScheduleBody, Schedule, ScheduleListQuery, UpdateScheduleBody } from '@common/schemas/followups';
import type { Page } from '@common/schemas/fields';
import { pickLocale, translate } from '@common/messages/index';
import { newId, nowIso } from '@server/db/ids';
import type { Auth } from '@server/platform/access/types';
import { allows } from '@server/platform/access/check';
import { scopeFilter } from '@server/platform/access/scope';
import { AppError, fieldError } from '@server/platform/http/errors';
import { audit, type Actor } from '@server/platform/audit/audit.service';
import { moveToRecycleBin, registerRecyclable } from '@server/platform/recycle/recycle.service';
import { registerOwnable } from '@server/platform/org/handover';
import { withTx } from '@server/platform/org/caller';
import { notify } from '@server/platform/notify/notify.service';
import { inTransaction } from '@server/platform/notify/transaction';
import type { RealtimeHub } from '@server/platform/realtime/realtime.hub';
import { localTime } from '@server/platform/settings/local-time';
import { getCompany } from '@server/platform/settings/settings.service';
import { customerVisible, ownedVisible } from './visibility';
import { recomputeContact, recordContact, type ContactTarget } from './contact-time';
import { decodeCursor, encodeCursor, requireContactTarget, toStored } from './follow-ups.service';
import {
  claimReminder,
  findScheduleRow,
  insertSchedule,
  listScheduleRowsInRange,
  listScheduleRowsPaged,
  MAX_REMIND_MINUTES,
  pendingReminders,
  purgeScheduleRow,
  restoreScheduleRow,
  updateScheduleRow,
  type ScheduleRow,
} from './schedules.repository';

/**
 * 日程: a user's appointments, optionally about a customer or lead, with a reminder and a done
 * flag. Owned by one user; a manager may create and edit schedules of anyone in their follow-up
 * data scope. A schedule marked done counts as contact (contact-time.ts).
 */

/** Schedules (alias `s`) whose owner is within the viewer's follow-up scope: may be edited. */
const inScope = (auth: Auth) => ownedVisible(auth, 'followups', 's');

/** Schedules the viewer may see: in scope, or about a customer / lead the viewer sees. */
export function scheduleVisible(auth: Auth): Expression<SqlBool> {
  return sql<SqlBool>`(${inScope(auth)}
    or (s.customer_id is not null and exists (select 1 from customers c where c.id = s.customer_id and ${customerVisible(auth)}))
    or (s.lead_id is not null and exists (select 1 from leads l where l.id = s.lead_id and ${ownedVisible(auth, 'leads', 'l')})))`;
}

function present(r: ScheduleRow, auth: Auth): Schedule {
  return {
    id: r.id,
    title: r.title,
    notes: r.notes,
    startAt: r.start_at,
    endAt: r.end_at,
    allDay: r.all_day === 1,
    remindMinutes: r.remind_minutes,
    remindedAt: r.reminded_at,
    done: r.done === 1,
    doneAt: r.done_at,
    customerId: r.customer_id,
    customerName: r.customer_name,
    leadId: r.lead_id,
    leadName: r.lead_name,
    contactId: r.contact_id,
    contactName: r.contact_name,
    ownerId: r.owner_id,
    ownerName: r.owner_name,
    ownerDepartmentId: r.owner_department_id,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
    canEdit: Number(r.in_scope) === 1 && allows(auth, 'followups', 'edit'),
  };
}

const DAY_MS = 86_400_000;
/** The widest calendar range one request may ask for. */
const MAX_RANGE_DAYS = 366;
/** Most schedules one calendar request returns. */
const MAX_CALENDAR_ITEMS = 2000;

/**
 * Two modes. With customerId / leadId: that record's schedules the viewer may see, latest start
 * first, keyset paged (the 360° page). Otherwise the calendar: schedules overlapping [from, to),
 * of mine (default), my team (owners within my follow-up scope) or one user in that scope.
 */
export async function listSchedules(db: DbOrTx, auth: Auth, q: ScheduleListQuery): Promise<Page<Schedule>> {
  const filters: Expression<SqlBool>[] = [];
  if (q.done) filters.push(sql<SqlBool>`s.done = ${q.done === 'true' ? 1 : 0}`);
  if (q.customerId || q.leadId) {
    filters.push(scheduleVisible(auth));
    if (q.customerId) filters.push(sql<SqlBool>`s.customer_id = ${q.customerId}`);
    if (q.leadId) filters.push(sql<SqlBool>`s.lead_id = ${q.leadId}`);
    if (q.userId) filters.push(sql<SqlBool>`s.owner_id = ${q.userId}`);
    if (q.from) filters.push(sql<SqlBool>`(s.start_at >= ${toStored(q.from)} or s.end_at > ${toStored(q.from)})`);
    if (q.to) filters.push(sql<SqlBool>`s.start_at < ${toStored(q.to)}`);
    const rows = await listScheduleRowsPaged(db, inScope(auth), filters, decodeCursor(q.cursor), q.limit);
    const items = rows.slice(0, q.limit).map((r) => present(r, auth));
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > q.limit ? encodeCursor(last.startAt, last.id) : null };
  }
  if (!q.from) throw fieldError('from', 'required');
  if (!q.to) throw fieldError('to', 'required');
  const from = toStored(q.from);
  const to = toStored(q.to);
  if (to <= from) throw fieldError('to', 'end_before_start');
  if (Date.parse(to) - Date.parse(from) > MAX_RANGE_DAYS * DAY_MS) throw fieldError('to', 'too_big', { max: `${MAX_RANGE_DAYS}` });
  if (q.userId) {
    filters.push(sql<SqlBool>`s.owner_id = ${q.userId}`, inScope(auth));
  } else if (q.view === 'team') {
    filters.push(inScope(auth));
  } else {
    filters.push(sql<SqlBool>`s.owner_id = ${auth.user.id}`);
  }
  const rows = await listScheduleRowsInRange(db, inScope(auth), filters, from, to, MAX_CALENDAR_ITEMS);
  return { items: rows.map((r) => present(r, auth)), nextCursor: null };
}

/** One schedule the viewer may see, or 404. */
export async function getSchedule(db: DbOrTx, auth: Auth, id: string): Promise<Schedule> {
  const row = await findScheduleRow(db, id, inScope(auth), scheduleVisible(auth));
  if (!row) throw new AppError('not_found');
  return present(row, auth);
}

/** A schedule the caller may change: visible (else 404) and owned within their scope (else 403). */
async function requireEditable(tx: Tx, auth: Auth, id: string): Promise<Schedule> {
  const row = await findScheduleRow(tx, id, inScope(auth), scheduleVisible(auth));
  if (!row) throw new AppError('not_found');
  if (Number(row.in_scope) !== 1) throw new AppError('forbidden');
  return present(row, auth);
}

/** The owner: an active user within the caller's follow-up scope (the caller always is). */
async function requireOwner(tx: Tx, auth: Auth, userId: string): Promise<{ id: string; departmentId: string | null }> {
  const u = await tx
    .selectFrom('users as u')
    .select(['u.id', 'u.department_id', 'u.status'])
    .where('u.id', '=', userId)
    .where(userId === auth.user.id ? sql<SqlBool>`1 = 1` : scopeFilter(auth, 'followups', { owner: 'u.id', department: 'u.department_id' }))
    .executeTakeFirst();
  if (!u) throw fieldError('ownerId', 'out_of_scope');
  if (u.status !== 'active') throw fieldError('ownerId', 'inactive');
  return { id: u.id, departmentId: u.department_id };
}

/** A reminder already due for a schedule that has started is not sent: it is marked done at once. */
function remindedAtFor(startAt: string, remindMinutes: number | null, now: string): string | null {
  return remindMinutes !== null && startAt <= now ? now : null;
}

const auditView = (s: Schedule) => ({
  title: s.title,
  notes: s.notes,
  startAt: s.startAt,
  endAt: s.endAt,
  allDay: s.allDay,
  remindMinutes: s.remindMinutes,
  done: s.done,
  doneAt: s.doneAt,
  customerId: s.customerId,
  leadId: s.leadId,
  contactId: s.contactId,
  ownerId: s.ownerId,
});

const target = (s: { customerId: string | null; leadId: string | null }): ContactTarget => ({ customerId: s.customerId, leadId: s.leadId });

/** Creates a schedule for the caller or, within the caller's follow-up scope, for another user. Audited. */
export async function createSchedule(db: DbOrTx, auth: Auth, actor: Actor, body: CreateScheduleBody, now = new Date()): Promise<Schedule> {
  return withTx(db, async (tx) => {
    const owner = await requireOwner(tx, auth, body.ownerId ?? auth.user.id);
    const t = await requireContactTarget(tx, auth, body, { required: false });
    const startAt = toStored(body.startAt);
    const endAt = body.endAt ? toStored(body.endAt) : null;
    if (endAt !== null && endAt < startAt) throw fieldError('endAt', 'end_before_start');
    const stamp = nowIso(now);
    const id = newId();
    await insertSchedule(tx, {
      id,
      version: 1,
      created_by: auth.user.id,
      created_at: stamp,
      updated_at: stamp,
      deleted_at: null,
      owner_id: owner.id,
      owner_department_id: owner.departmentId,
      customer_id: t.customerId,
      lead_id: t.leadId,
      contact_id: body.contactId ?? null,
      title: body.title,
      notes: body.notes ?? null,
      start_at: startAt,
      end_at: endAt,
      all_day: body.allDay ? 1 : 0,
      remind_minutes: body.remindMinutes ?? null,
      reminded_at: remindedAtFor(startAt, body.remindMinutes ?? null, stamp),
      done: 0,
      done_at: null,
    });
    const created = await getSchedule(tx, auth, id);
    await audit(tx, actor, { action: 'create', entity: 'schedule', entityId: id, after: auditView(created) });
    return created;
  });
}

/**
 * Edits a schedule (owner within the caller's scope; stale version → 409). A new start or
 * reminder re-arms the reminder. Moving a done schedule to another customer / lead moves the
 * contact it counts as. Audited.
 */
export async function updateSchedule(
  db: DbOrTx,
  auth: Auth,
  actor: Actor,
  id: string,
  body: UpdateScheduleBody,
  now = new Date(),
): Promise<Schedule> {
  return withTx(db, async (tx) => {
    const before = await requireEditable(tx, auth, id);
    if (before.version !== body.version) throw new AppError('stale_version');
    const stamp = nowIso(now);
    const patch: Parameters<typeof updateScheduleRow>[3] = {};
    if (body.ownerId !== undefined && body.ownerId !== before.ownerId) {
      const owner = await requireOwner(tx, auth, body.ownerId);
      patch.owner_id = owner.id;
      patch.owner_department_id = owner.departmentId;
    }
    const targetChanged = body.customerId !== undefined || body.leadId !== undefined;
    if (targetChanged || body.contactId !== undefined) {
      const next = {
        customerId: body.customerId !== undefined ? body.customerId : body.leadId ? null : before.customerId,
        leadId: body.leadId !== undefined ? body.leadId : body.customerId ? null : before.leadId,
        contactId: body.contactId !== undefined ? body.contactId : targetChanged ? null : before.contactId,
      };
      const t = await requireContactTarget(tx, auth, next, { required: false });
      patch.customer_id = t.customerId;
      patch.lead_id = t.leadId;
      patch.contact_id = next.contactId ?? null;
    }
    if (body.title !== undefined) patch.title = body.title;
    if (body.notes !== undefined) patch.notes = body.notes;
    if (body.allDay !== undefined) patch.all_day = body.allDay ? 1 : 0;
    const startAt = body.startAt !== undefined ? toStored(body.startAt) : before.startAt;
    const endAt = body.endAt !== undefined ? (body.endAt ? toStored(body.endAt) : null) : before.endAt;
    if (endAt !== null && endAt < startAt) throw fieldError(body.endAt !== undefined ? 'endAt' : 'startAt', 'end_before_start');
    patch.start_at = startAt;
    patch.end_at = endAt;
    const remind = body.remindMinutes !== undefined ? body.remindMinutes : before.remindMinutes;
    if (startAt !== before.startAt || remind !== before.remindMinutes) {
      patch.remind_minutes = remind;
      patch.reminded_at = remindedAtFor(startAt, remind, stamp);
    }
    if (!(await updateScheduleRow(tx, id, body.version, patch, stamp))) throw new AppError('stale_version');
    const after = await getSchedule(tx, auth, id);
    if (before.done && (after.customerId !== before.customerId || after.leadId !== before.leadId)) {
      await recomputeContact(tx, target(before), actor, stamp, `schedule:${id}`);
      await recordContact(tx, target(after), before.doneAt!, actor, stamp, `schedule:${id}`);
    }
    await audit(tx, actor, { action: 'update', entity: 'schedule', entityId: id, before: auditView(before), after: auditView(after) });
    return after;
  });
}

/**
 * Marks a schedule done (counts as contact at the done time) or not done (the contact is taken
 * back: last contact recomputed). Setting the current state again changes nothing.
 */
export async function setScheduleDone(
  db: DbOrTx,
  auth: Auth,
  actor: Actor,
  id: string,
  done: boolean,
  version?: number,
  now = new Date(),
): Promise<Schedule> {
  return withTx(db, async (tx) => {
    const before = await requireEditable(tx, auth, id);
    if (version !== undefined && before.version !== version) throw new AppError('stale_version');
    if (before.done === done) return before;
    const stamp = nowIso(now);
    const ok = await updateScheduleRow(tx, id, before.version, { done: done ? 1 : 0, done_at: done ? stamp : null }, stamp);
    if (!ok) throw new AppError('stale_version');
    if (done) await recordContact(tx, target(before), stamp, actor, stamp, `schedule:${id}`);
    else await recomputeContact(tx, target(before), actor, stamp, `schedule:${id}`);
    const after = await getSchedule(tx, auth, id);
    await audit(tx, actor, {
      action: done ? 'done' : 'undone',
      entity: 'schedule',
      entityId: id,
      before: auditView(before),
      after: auditView(after),
    });
    return after;
  });
}

/** Moves a schedule to the recycle bin; a done one no longer counts as contact. Audited by the bin. */
export async function deleteSchedule(db: DbOrTx, auth: Auth, actor: Actor, id: string, version?: number, now = new Date()) {
  await withTx(db, async (tx) => {
    const before = await requireEditable(tx, auth, id);
    if (version !== undefined && before.version !== version) throw new AppError('stale_version');
    const stamp = nowIso(now);
    if (!(await updateScheduleRow(tx, id, before.version, { deleted_at: stamp }, stamp))) throw new AppError('stale_version');
    await moveToRecycleBin(tx, { entity: 'schedule', entityId: id, label: before.title, before: auditView(before) }, actor);
    if (before.done) await recomputeContact(tx, target(before), actor, stamp, `schedule:${id}`);
  });
}

registerRecyclable({
  entity: 'schedule',
  labelKey: 'schedules.entity',
  async restore(tx, id, actor) {
    const stamp = nowIso();
    const row = await restoreScheduleRow(tx, id, stamp);
    if (row?.done) await recomputeContact(tx, { customerId: row.customer_id, leadId: row.lead_id }, actor, stamp, `schedule:${id}`);
  },
  purge: (tx, id) => purgeScheduleRow(tx, id),
});

// 离职交接: the leaver's open schedules go to the successor; done ones stay as history
registerOwnable({
  entity: 'schedules',
  labelKey: 'schedules.handover',
  async count(db, userId) {
    const r = await db
      .selectFrom('schedules')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('owner_id', '=', userId)
      .where('done', '=', 0)
      .where('deleted_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },
  async transfer(tx, fromUserId, toUserId, actor) {
    const to = await tx.selectFrom('users').select('department_id').where('id', '=', toUserId).executeTakeFirstOrThrow();
    const rows = await tx
      .selectFrom('schedules')
      .select('id')
      .where('owner_id', '=', fromUserId)
      .where('done', '=', 0)
      .where('deleted_at', 'is', null)
      .execute();
    const now = nowIso();
    for (const r of rows) {
      await tx
        .updateTable('schedules')
        .set((eb) => ({ owner_id: toUserId, owner_department_id: to.department_id, updated_at: now, version: eb('version', '+', 1) }))
        .where('id', '=', r.id)
        .execute();
      await audit(tx, actor, {
        action: 'handover',
        entity: 'schedule',
        entityId: r.id,
        before: { ownerId: fromUserId },
        after: { ownerId: toUserId },
      });
    }
    return rows.length;
  },
});

/* ---- reminders ---- */

export const REMINDER_JOB = 'schedules.remind';

type NotifyContext = { db: Db; realtime: Pick<RealtimeHub, 'publish'> };

/**
 * The every-minute job: tells each schedule's owner, once, when `now` has reached the start
 * minus the reminder minutes. Done and deleted schedules are not reminded. Returns how many went out.
 */
export async function sendScheduleReminders(ctx: NotifyContext, now: Date): Promise<number> {
  const stamp = nowIso(now);
  const horizon = nowIso(new Date(now.getTime() + MAX_REMIND_MINUTES * 60_000));
  const due = (await pendingReminders(ctx.db, horizon)).filter(
    (s) => Date.parse(s.start_at) - (s.remind_minutes ?? 0) * 60_000 <= now.getTime(),
  );
  if (!due.length) return 0;
  const { timezone } = await getCompany(ctx.db);
  let sent = 0;
  for (const s of due) {
    await inTransaction(ctx.db, async (tx) => {
      if (!(await claimReminder(tx, s.id, stamp))) return;
      if (s.status !== 'active') return;
      const locale = pickLocale(s.locale);
      await notify(
        ctx,
        [s.owner_id],
        {
          type: 'schedule.reminder',
          title: translate(locale, 'schedules.reminder.title', { title: s.title }),
          body: translate(locale, 'schedules.reminder.body', { at: localTime(s.start_at, timezone, s.all_day === 1) }),
          link: `/calendar?schedule=${s.id}`,
          data: { scheduleId: s.id, startAt: s.start_at, customerId: s.customer_id },
        },
        tx,
      );
      sent++;
    });
  }
  return sent;
}

/** Whether the viewer may read a schedule's audit history (also while it is in the recycle bin). */
export async function scheduleHistoryVisible(db: DbOrTx, auth: Auth, id: string): Promise<boolean> {
  if (!allows(auth, 'followups', 'view')) return false;
  const row = await db.selectFrom('schedules as s').select('s.id').where('s.id', '=', id).where(scheduleVisible(auth)).executeTakeFirst();
  return !!row;
}
