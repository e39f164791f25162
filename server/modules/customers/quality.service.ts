import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { DbOrTx } from '@server/db/types';
import type { CustomerSettings, RequirableField } from '@common/schemas/customer-settings';
import type { QualityReport, QualityReportQuery, QualityReportRow } from '@common/schemas/reports';
import type { Auth } from '@server/platform/access/types';
import { departmentTreeOf, scopeFilter } from '@server/platform/access/scope';
import { getCompany } from '@server/platform/settings/settings.service';
import { getCustomerSettings } from './customer-settings.service';
import { addDays, startOfDay } from './visit-cycle';

/**
 * Data quality per salesperson (数据质量): what the manual's penalty rules are counted from —
 * duplicate entries attempted, saves refused as incomplete, customers that went past their visit
 * cycle (events written by the customer services and the visit-cycle job into
 * customer_quality_events), plus the customers each user owns now and how many of those lack a
 * required field of their category.
 */

/** Event kinds in customer_quality_events counted by the report. */
export const QUALITY_EVENT_KINDS = {
  duplicate_attempt: 'duplicateAttempts',
  incomplete_save: 'incompleteSaves',
  overdue_visit: 'overdueVisits',
} as const;

const blank = (column: string) => sql<SqlBool>`(${sql.ref(column)} is null or ${sql.ref(column)} = '')`;
const noContact = (extra?: 'mobile' | 'email') =>
  sql<SqlBool>`not exists (select 1 from contacts ct where ct.customer_id = c.id and ct.deleted_at is null${
    extra ? sql` and ${sql.ref(`ct.${extra}`)} is not null and ${sql.ref(`ct.${extra}`)} <> ''` : sql``
  })`;

/** SQL over `customers as c`: true when the customer lacks `field`. */
function missing(field: RequirableField): RawBuilder<SqlBool> {
  switch (field) {
    case 'phones':
      return sql<SqlBool>`(c.phones is null or c.phones = '[]' or c.phones = '')`;
    case 'importance':
      return blank('c.importance');
    case 'shortName':
      return blank('c.short_name');
    case 'source':
      return blank('c.source');
    case 'industry':
      return blank('c.industry');
    case 'regionCode':
      return blank('c.region_code');
    case 'address':
      return blank('c.address');
    case 'website':
      return blank('c.website');
    case 'contact':
      return noContact();
    case 'contact.mobile':
      return noContact('mobile');
    case 'contact.email':
      return noContact('email');
  }
}

/**
 * 1 when a customer (`customers as c`) lacks a required field of its category, else 0. Customers
 * without a category, or of a category no longer defined, have no requirements.
 */
export function incompleteSql(settings: CustomerSettings): RawBuilder<number> {
  const cases = settings.categories
    .filter((cat) => cat.requiredFields.length > 0)
    .map(
      (cat) => sql`when c.category = ${cat.key} then (case when ${sql.join(cat.requiredFields.map(missing), sql` or `)} then 1 else 0 end)`,
    );
  if (!cases.length) return sql<number>`0`;
  return sql<number>`(case ${sql.join(cases, sql` `)} else 0 end)`;
}

/** The wall-clock date (YYYY-MM-DD) of `at` in `timeZone`. */
export function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** The UTC instant (ISO) of 00:00 on `date` (YYYY-MM-DD) in `timeZone`, daylight saving included. */
export function dayStartUtc(date: string, timeZone: string): string {
  return startOfDay(date, timeZone).toISOString();
}

/**
 * One row per user within the viewer's customers scope (admins: everyone; department scopes: the
 * users of the department (tree); self: just the viewer), optionally narrowed to a department
 * tree, for the period `from`–`to` (inclusive days in the company time zone; default this month
 * up to today). Disabled and departed users appear only while they have something to count.
 * Sorted by the number of issues, most first.
 */
export async function qualityReport(db: DbOrTx, auth: Auth, q: QualityReportQuery, now = new Date()): Promise<QualityReport> {
  const { timezone } = await getCompany(db);
  const today = localDate(now, timezone);
  const to = q.to ?? (q.from && q.from > today ? q.from : today);
  const from = q.from ?? to.slice(0, 8) + '01';
  const start = dayStartUtc(from, timezone);
  const end = dayStartUtc(addDays(to, 1), timezone);

  const inScope: Expression<SqlBool> = scopeFilter(auth, 'customers', { owner: 'u.id', department: 'u.department_id' });
  const inDepartment = q.departmentId ? sql<SqlBool>`u.department_id in ${departmentTreeOf(q.departmentId)}` : sql<SqlBool>`1 = 1`;
  const userIds = sql`(select u.id from users u where ${inScope} and ${inDepartment})`;

  const users = await db
    .selectFrom('users as u')
    .leftJoin('departments as d', 'd.id', 'u.department_id')
    .select(['u.id', 'u.name', 'u.status', 'u.department_id', 'd.name as department_name'])
    .where(inScope)
    .where(inDepartment)
    .execute();

  const events = await db
    .selectFrom('customer_quality_events as e')
    .select(['e.user_id', 'e.kind', (e) => e.fn.countAll<number>().as('n')])
    .where('e.at', '>=', start)
    .where('e.at', '<', end)
    .where('e.kind', 'in', Object.keys(QUALITY_EVENT_KINDS))
    .where(sql<SqlBool>`e.user_id in ${userIds}`)
    .groupBy(['e.user_id', 'e.kind'])
    .execute();

  const settings = await getCustomerSettings(db);
  const owned = await db
    .selectFrom('customers as c')
    .select(['c.owner_id', (e) => e.fn.countAll<number>().as('owned'), sql<number>`sum(${incompleteSql(settings)})`.as('incomplete')])
    .where('c.deleted_at', 'is', null)
    .where(sql<SqlBool>`c.owner_id in ${userIds}`)
    .groupBy('c.owner_id')
    .execute();

  const rows = new Map<string, QualityReportRow>();
  for (const u of users) {
    rows.set(u.id, {
      userId: u.id,
      userName: u.name,
      departmentId: u.department_id,
      departmentName: u.department_name,
      inactive: u.status !== 'active',
      duplicateAttempts: 0,
      incompleteSaves: 0,
      overdueVisits: 0,
      owned: 0,
      incompleteNow: 0,
      issues: 0,
    });
  }
  for (const e of events) {
    const row = rows.get(e.user_id);
    if (row) row[QUALITY_EVENT_KINDS[e.kind as keyof typeof QUALITY_EVENT_KINDS]] = Number(e.n);
  }
  for (const o of owned) {
    const row = o.owner_id ? rows.get(o.owner_id) : undefined;
    if (!row) continue;
    row.owned = Number(o.owned);
    row.incompleteNow = Number(o.incomplete ?? 0);
  }
  const items = [...rows.values()]
    .map((r) => ({ ...r, issues: r.duplicateAttempts + r.incompleteSaves + r.overdueVisits + r.incompleteNow }))
    .filter((r) => !r.inactive || r.issues > 0 || r.owned > 0)
    .sort((a, b) => b.issues - a.issues || a.userName.localeCompare(b.userName, 'zh-CN') || a.userId.localeCompare(b.userId));
  const sum = (k: 'duplicateAttempts' | 'incompleteSaves' | 'overdueVisits' | 'owned' | 'incompleteNow' | 'issues') =>
    items.reduce((n, r) => n + r[k], 0);
  return {
    from,
    to,
    items,
    totals: {
      duplicateAttempts: sum('duplicateAttempts'),
      incompleteSaves: sum('incompleteSaves'),
      overdueVisits: sum('overdueVisits'),
      owned: sum('owned'),
      incompleteNow: sum('incompleteNow'),
      issues: sum('issues'),
    },
  };
}
