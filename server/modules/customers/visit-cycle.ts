import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db, DbOrTx } from '@server/db/types';
import type { OverdueCustomer, OverdueGroup } from '@common/schemas/followups';
import type { CustomerSettings } from '@common/schemas/customer-settings';
import { pickLocale, translate } from '@common/messages/index';
import { nowIso } from '@server/db/ids';
import type { Auth } from '@server/platform/access/types';
import { getCompany } from '@server/platform/settings/settings.service';
import { notify } from '@server/platform/notify/notify.service';
import { inTransaction } from '@server/platform/notify/transaction';
import type { RealtimeHub } from '@server/platform/realtime/realtime.hub';
import { getCustomerSettings } from './customer-settings.service';
import { customerVisible } from './visibility';
import { recordQualityEvent } from './quality-events';

/**
 * 拜访周期: a customer with an owner, whose category has visitCycleDays N, is overdue when its last
 * contact (last_contact_at; created_at when never contacted) fell on a day more than N days before
 * today — days as the company's time zone counts them. Contact on Monday 23:30 with N = 7 is on
 * time all of the next Monday and overdue from Tuesday 00:00, company time.
 */

/* ---- calendar days in a time zone ---- */

/** The calendar date ('YYYY-MM-DD') of an instant in `timeZone`. */
export function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

const dayNumber = (date: string) => Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) / 86_400_000;

/** 'YYYY-MM-DD' moved by `days` calendar days. */
export function addDays(date: string, days: number): string {
  return new Date((dayNumber(date) + days) * 86_400_000).toISOString().slice(0, 10);
}

/** Offset of `timeZone` from UTC at `instant` (ms, positive east of Greenwich). */
function offsetAt(instant: number, timeZone: string): number {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
      .formatToParts(new Date(instant))
      .map((x) => [x.type, Number(x.value)]),
  );
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The instant a calendar day begins in `timeZone` (00:00 local; DST-safe). */
export function startOfDay(date: string, timeZone: string): Date {
  const wall = dayNumber(date) * 86_400_000;
  let t = wall - offsetAt(wall, timeZone);
  t = wall - offsetAt(t, timeZone);
  return new Date(t);
}

/* ---- which customers are overdue ---- */

type Cycle = { category: string; days: number; cutoff: string };

/** Per category with a cycle: contacts before `cutoff` (start of day today − N) are overdue. */
function cycles(settings: CustomerSettings, today: string, timeZone: string): Cycle[] {
  return settings.categories
    .filter((c) => c.visitCycleDays !== null)
    .map((c) => ({ category: c.key, days: c.visitCycleDays!, cutoff: nowIso(startOfDay(addDays(today, -c.visitCycleDays!), timeZone)) }));
}

const lastContact = sql<string>`coalesce(c.last_contact_at, c.created_at)`;

/** Live owned customers (alias `c`) overdue under the given cycles. */
function overdueCondition(list: Cycle[]): Expression<SqlBool> {
  if (!list.length) return sql<SqlBool>`1 = 0`;
  const any = list.map((x) => sql<SqlBool>`(c.category = ${x.category} and ${lastContact} < ${x.cutoff})`);
  return sql<SqlBool>`(c.deleted_at is null and c.owner_id is not null and (${sql.join(any, sql` or `)}))`;
}

/** The clock and rules of one evaluation. */
type Frame = { today: string; timeZone: string; list: Cycle[] };

async function frameAt(db: DbOrTx, now: Date): Promise<Frame> {
  const { timezone } = await getCompany(db);
  const today = localDate(now, timezone);
  return { today, timeZone: timezone, list: cycles(await getCustomerSettings(db), today, timezone) };
}

/**
 * The overdue rule as a condition over `customers as c` at `now`, for the customer list's
 * `overdue=true` filter (live, owned, past the category's visit cycle).
 */
export async function overdueCustomerFilter(db: DbOrTx, now = new Date()): Promise<Expression<SqlBool>> {
  return overdueCondition((await frameAt(db, now)).list);
}

function daysOverdue(f: Frame, category: string | null, last: string): number {
  const days = f.list.find((x) => x.category === category)?.days ?? 0;
  return dayNumber(f.today) - dayNumber(localDate(new Date(last), f.timeZone)) - days;
}

type OverdueRow = { id: string; name: string; owner_id: string; category: string | null; last_contact_at: string | null; lc: string };

/** How many customers to list per owner. */
const PER_OWNER = 50;

/**
 * Overdue customers the viewer sees (customers scope and team grants), grouped per owner, the
 * owners with the most first; each group lists its 50 most overdue customers.
 */
export async function overdueVisits(db: DbOrTx, auth: Auth, q: { ownerId?: string }, now = new Date()): Promise<{ items: OverdueGroup[] }> {
  const f = await frameAt(db, now);
  const where = sql<SqlBool>`${overdueCondition(f.list)} and ${customerVisible(auth)}${q.ownerId ? sql` and c.owner_id = ${q.ownerId}` : sql``}`;
  const counts = await db
    .selectFrom('customers as c')
    .leftJoin('users as u', 'u.id', 'c.owner_id')
    .select(['c.owner_id', 'u.name as owner_name', (eb) => eb.fn.countAll<number>().as('n')])
    .where(where)
    .groupBy(['c.owner_id', 'u.name'])
    .execute();
  if (!counts.length) return { items: [] };
  const top = await sql<OverdueRow>`select * from (
      select c.id, c.name, c.owner_id, c.category, c.last_contact_at, ${lastContact} as lc,
        row_number() over (partition by c.owner_id order by ${lastContact}, c.id) as rn
      from customers c where ${where}
    ) x where x.rn <= ${PER_OWNER}`.execute(db);
  const byOwner = new Map<string, OverdueCustomer[]>();
  for (const r of top.rows) {
    const list = byOwner.get(r.owner_id) ?? [];
    list.push({ id: r.id, name: r.name, lastContactAt: r.last_contact_at, daysOverdue: daysOverdue(f, r.category, r.lc) });
    byOwner.set(r.owner_id, list);
  }
  const items = counts.map((c): OverdueGroup => ({
    ownerId: c.owner_id!,
    ownerName: c.owner_name,
    count: Number(c.n),
    customers: (byOwner.get(c.owner_id!) ?? []).sort((a, b) => b.daysOverdue - a.daysOverdue),
  }));
  items.sort((a, b) => b.count - a.count || (a.ownerName ?? '').localeCompare(b.ownerName ?? '', 'zh-CN'));
  return { items };
}

/* ---- the daily reminder ---- */

export const OVERDUE_JOB = 'customers.overdue-visits';

type NotifyContext = { db: Db; realtime: Pick<RealtimeHub, 'publish'> };

/**
 * The 09:00 job: for each owner with overdue customers, one 'overdue_visit' quality event per
 * overdue customer per day, and one notice with the count. Owner by owner, each in its own
 * transaction; running again the same day adds nothing and tells nobody twice.
 */
export async function remindOverdueVisits(ctx: NotifyContext, now: Date): Promise<{ owners: number; events: number }> {
  const f = await frameAt(ctx.db, now);
  const dayStart = nowIso(startOfDay(f.today, f.timeZone));
  const dayEnd = nowIso(startOfDay(addDays(f.today, 1), f.timeZone));
  const where = overdueCondition(f.list);
  const owners = await ctx.db
    .selectFrom('customers as c')
    .innerJoin('users as u', 'u.id', 'c.owner_id')
    .select(['c.owner_id', 'u.locale', 'u.status'])
    .distinct()
    .where(where)
    .execute();
  let notified = 0;
  let events = 0;
  for (const o of owners) {
    const ownerId = o.owner_id!;
    await inTransaction(ctx.db, async (tx) => {
      const rows = await tx
        .selectFrom('customers as c')
        .select(['c.id', 'c.category', sql<string>`coalesce(c.last_contact_at, c.created_at)`.as('lc')])
        .where(where)
        .where('c.owner_id', '=', ownerId)
        .execute();
      const already = new Set(
        (
          await tx
            .selectFrom('customer_quality_events')
            .select('customer_id')
            .where('user_id', '=', ownerId)
            .where('kind', '=', 'overdue_visit')
            .where('at', '>=', dayStart)
            .where('at', '<', dayEnd)
            .execute()
        ).map((r) => r.customer_id),
      );
      for (const r of rows) {
        if (already.has(r.id)) continue;
        const detail = JSON.stringify({ date: f.today, daysOverdue: daysOverdue(f, r.category, r.lc) });
        await recordQualityEvent(tx, { userId: ownerId, kind: 'overdue_visit', customerId: r.id, detail, at: now });
        events++;
      }
      // told once a day: the first run of the day that finds something
      if (already.size > 0 || !rows.length || o.status !== 'active') return;
      const locale = pickLocale(o.locale);
      await notify(
        ctx,
        [ownerId],
        {
          type: 'customer.overdue_visits',
          title: translate(locale, 'followups.overdue.title', { count: rows.length }),
          body: translate(locale, 'followups.overdue.body', { count: rows.length }),
          link: '/customers?view=mine&overdue=true',
          data: { count: rows.length, date: f.today },
        },
        tx,
      );
      notified++;
    });
  }
  return { owners: notified, events };
}
