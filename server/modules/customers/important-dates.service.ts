import { sql, type Selectable } from 'kysely';
import { pickLocale, translate } from '@common/messages/index';
import type { CreateImportantDateBody, ImportantDate, ImportantDateRepeat } from '@common/schemas/important-dates';
import type { Db, DbOrTx, ImportantDatesTable } from '@server/db/types';
import { newId, nowIso } from '@server/db/ids';
import type { Auth } from '@server/platform/access/types';
import { audit, type Actor } from '@server/platform/audit/audit.service';
import { AppError, fieldError } from '@server/platform/http/errors';
import { notify } from '@server/platform/notify/notify.service';
import { inTransaction } from '@server/platform/notify/transaction';
import type { RealtimeHub } from '@server/platform/realtime/realtime.hub';
import { getCompany } from '@server/platform/settings/settings.service';
import { customerEditable, customerVisible } from './visibility';

/** The daily reminder job (and its schedule): 08:00 company time. */
export const IMPORTANT_DATES_JOB = 'customers.important-dates.remind';
export const IMPORTANT_DATES_CRON = '0 8 * * *';

// ---- calendar ------------------------------------------------------------------------------

/** The calendar date (YYYY-MM-DD) of an instant in time zone `tz`. */
export function localDate(at: Date, tz: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** The day a yearly date falls on in `year`: 29 Feb is kept on 28 Feb in non-leap years. */
export function occurrenceIn(date: string, year: number): string {
  const [, m, d] = date.split('-');
  const day = m === '02' && d === '29' && !isLeap(year) ? '28' : d;
  return `${String(year).padStart(4, '0')}-${m}-${day}`;
}

/** The next occurrence on or after `today` (both YYYY-MM-DD); null for a one-off date already past. */
export function nextOccurrence(date: string, repeat: ImportantDateRepeat, today: string): string | null {
  if (date >= today) return date;
  if (repeat === 'once') return null;
  const year = Number(today.slice(0, 4));
  const thisYear = occurrenceIn(date, year);
  return thisYear >= today ? thisYear : occurrenceIn(date, year + 1);
}

/** Whole days from `a` to `b` (YYYY-MM-DD). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

// ---- API -----------------------------------------------------------------------------------

type Row = Selectable<ImportantDatesTable> & { contact_name: string | null };

function present(r: Row, today: string): ImportantDate {
  return {
    id: r.id,
    customerId: r.customer_id,
    contactId: r.contact_id,
    contactName: r.contact_name,
    title: r.title,
    date: r.date,
    repeat: r.repeat,
    remindDays: r.remind_days,
    nextOccurrence: nextOccurrence(r.date, r.repeat, today),
    createdAt: r.created_at,
  };
}

function datesQuery(db: DbOrTx) {
  return db
    .selectFrom('important_dates as d')
    .leftJoin('contacts as k', (j) => j.onRef('k.id', '=', 'd.contact_id').on('k.deleted_at', 'is', null))
    .selectAll('d')
    .select('k.name as contact_name')
    .where('d.deleted_at', 'is', null);
}

/**
 * The customer as the caller may change it: 404 when not visible under the customers scope (or
 * absent), 403 when visible but read-only.
 */
async function assertEditable(db: DbOrTx, auth: Auth, customerId: string): Promise<void> {
  const row = await db
    .selectFrom('customers as c')
    .select(sql<number>`case when ${customerEditable(auth)} then 1 else 0 end`.as('editable'))
    .where('c.id', '=', customerId)
    .where('c.deleted_at', 'is', null)
    .where(customerVisible(auth, 'customers'))
    .executeTakeFirst();
  if (!row) throw new AppError('not_found');
  if (Number(row.editable) !== 1) throw new AppError('forbidden');
}

/** A customer's important dates, soonest next occurrence first (past one-off dates last). */
export async function listImportantDates(
  db: DbOrTx,
  auth: Auth,
  customerId: string,
  now = new Date(),
): Promise<{ items: ImportantDate[] }> {
  const seen = await db
    .selectFrom('customers as c')
    .select('c.id')
    .where('c.id', '=', customerId)
    .where('c.deleted_at', 'is', null)
    .where(customerVisible(auth, 'customers'))
    .executeTakeFirst();
  if (!seen) throw new AppError('not_found');
  const today = localDate(now, (await getCompany(db)).timezone);
  const rows = await datesQuery(db).where('d.customer_id', '=', customerId).orderBy('d.id').execute();
  const items = rows.map((r) => present(r, today));
  items.sort((a, b) => (a.nextOccurrence ?? '9999').localeCompare(b.nextOccurrence ?? '9999') || a.id.localeCompare(b.id));
  return { items };
}

const auditView = (r: Selectable<ImportantDatesTable>) => ({
  customerId: r.customer_id,
  contactId: r.contact_id,
  title: r.title,
  date: r.date,
  repeat: r.repeat,
  remindDays: r.remind_days,
});

export async function createImportantDate(db: Db, auth: Auth, actor: Actor, body: CreateImportantDateBody): Promise<ImportantDate> {
  return db.transaction().execute(async (tx) => {
    await assertEditable(tx, auth, body.customerId);
    if (body.contactId) {
      const contact = await tx
        .selectFrom('contacts')
        .select('customer_id')
        .where('id', '=', body.contactId)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      if (contact?.customer_id !== body.customerId) throw fieldError('contactId', 'not_found');
    }
    const row: Selectable<ImportantDatesTable> = {
      id: newId(),
      customer_id: body.customerId,
      contact_id: body.contactId ?? null,
      title: body.title,
      date: body.date,
      repeat: body.repeat,
      remind_days: body.remindDays,
      last_reminded_for: null,
      created_by: auth.user.id,
      created_at: nowIso(),
      deleted_at: null,
    };
    await tx.insertInto('important_dates').values(row).execute();
    await audit(tx, actor, { action: 'create', entity: 'important_date', entityId: row.id, before: null, after: auditView(row) });
    const stored = await datesQuery(tx).where('d.id', '=', row.id).executeTakeFirstOrThrow();
    return present(stored, localDate(new Date(), (await getCompany(tx)).timezone));
  });
}

export async function deleteImportantDate(db: Db, auth: Auth, actor: Actor, id: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const row = await tx.selectFrom('important_dates').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
    if (!row) throw new AppError('not_found');
    await assertEditable(tx, auth, row.customer_id);
    await tx.updateTable('important_dates').set({ deleted_at: nowIso() }).where('id', '=', id).execute();
    await audit(tx, actor, { action: 'delete', entity: 'important_date', entityId: id, before: auditView(row), after: null });
  });
}

// ---- reminders -----------------------------------------------------------------------------

export type ReminderContext = { db: Db; realtime: Pick<RealtimeHub, 'publish'> };

/**
 * The daily reminder: for every date of an owned, live customer whose next occurrence is within its
 * remindDays of today (company time zone), notifies the customer's owner once per occurrence
 * (last_reminded_for). Pool customers have nobody to remind. Returns how many reminders were sent.
 */
export async function remindImportantDates(ctx: ReminderContext, now: Date): Promise<number> {
  const { db } = ctx;
  const today = localDate(now, (await getCompany(db)).timezone);
  const rows = await db
    .selectFrom('important_dates as d')
    .innerJoin('customers as c', 'c.id', 'd.customer_id')
    .innerJoin('users as u', 'u.id', 'c.owner_id')
    .leftJoin('contacts as k', (j) => j.onRef('k.id', '=', 'd.contact_id').on('k.deleted_at', 'is', null))
    .select([
      'd.id',
      'd.customer_id',
      'd.title',
      'd.date',
      'd.repeat',
      'd.remind_days',
      'd.last_reminded_for',
      'c.name as customer_name',
      'c.owner_id',
      'u.locale',
      'k.name as contact_name',
    ])
    .where('d.deleted_at', 'is', null)
    .where('c.deleted_at', 'is', null)
    .where('u.status', '=', 'active')
    .where((eb) => eb.or([eb('d.repeat', '=', 'yearly'), eb('d.date', '>=', today)]))
    .orderBy('d.id')
    .execute();
  let sent = 0;
  for (const r of rows) {
    const next = nextOccurrence(r.date, r.repeat, today);
    if (!next || r.last_reminded_for === next) continue;
    const days = daysBetween(today, next);
    if (days > r.remind_days) continue;
    const done = await inTransaction(db, async (tx) => {
      // claim the occurrence first: a second runner (or a retry) finds it taken
      const claimed = await tx
        .updateTable('important_dates')
        .set({ last_reminded_for: next })
        .where('id', '=', r.id)
        .where((eb) => eb.or([eb('last_reminded_for', 'is', null), eb('last_reminded_for', '!=', next)]))
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) return false;
      const locale = pickLocale(r.locale);
      const when =
        days === 0 ? translate(locale, 'importantDates.notify.today') : translate(locale, 'importantDates.notify.in_days', { days });
      await notify(
        ctx,
        [r.owner_id!],
        {
          type: 'customer.important_date',
          title: translate(locale, 'importantDates.notify.title', { customer: r.customer_name, title: r.title }),
          body: translate(locale, 'importantDates.notify.body', { date: next, when, contact: r.contact_name ?? '' }).trim(),
          link: `/customers/${r.customer_id}`,
          data: { customerId: r.customer_id, importantDateId: r.id, occurrence: next },
        },
        tx,
      );
      return true;
    });
    if (done) sent++;
  }
  return sent;
}
