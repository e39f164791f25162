import type { Db } from '@server/db/types';
import { DEAL_STAGES, type CustomerSettings } from '@common/schemas/customer-settings';
import { pickLocale, translate, type Locale } from '@common/messages/index';
import { nowIso } from '@server/db/ids';
import { SYSTEM_ACTOR } from '@server/platform/audit/audit.service';
import { getCompany } from '@server/platform/settings/settings.service';
import type { AppContext } from '@server/platform/http/context';
import { notify } from '@server/platform/notify/notify.service';
import { inTransaction } from '@server/platform/notify/transaction';
import { getCustomerSettings } from './customer-settings.service';
import { changeOwner } from './ownership';
import { heldCustomers } from './transfer-requests.service';

/**
 * 公海回收: the daily job that returns neglected customers to the public pool.
 * - no contact for N days (noContactDays): counted from the later of the last contact and the day
 *   the current owner got the customer (a customer just claimed gets the full N days);
 * - no deal for M days (noDealDays): counted from the later of the last deal and that same day;
 * - K days (warnDays) before, the owner is told once per period (recycle_warned_at);
 * - locked customers and customers with a deal (stage 成交 / VIP or a deal date) may be exempt.
 * Days are whole days in the company time zone. Customers are read in keyset pages and changed
 * one transaction per page, so a million customers do not make one huge transaction.
 */

export const POOL_RECYCLE_JOB = 'customers.pool-recycle';
const BATCH = 500;

type NotifyCtx = Pick<AppContext, 'db' | 'realtime'>;

/** Registers the job and its daily schedule (02:00 company time, before anyone starts work). */
export function registerPoolRecycle(ctx: AppContext): void {
  ctx.jobs.registerJob(POOL_RECYCLE_JOB, async (_payload, job) => {
    await runPoolRecycle(job.db, ctx, job.now);
  });
  ctx.jobs.registerSchedule(POOL_RECYCLE_JOB, '0 2 * * *', POOL_RECYCLE_JOB);
}

/* ---- calendar days in a time zone ---- */

/** The local calendar date (YYYY-MM-DD) of an instant in `tz`. */
export function localDate(at: Date, tz: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Milliseconds `tz` is ahead of UTC at the instant `ms`. */
function offsetAt(ms: number, tz: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(ms));
  const n = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - Math.floor(ms / 1000) * 1000;
}

/** The instant local midnight starts `date` in `tz`. */
export function dayStart(date: string, tz: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  const guess = Date.UTC(y, m - 1, d);
  const first = guess - offsetAt(guess, tz);
  return new Date(guess - offsetAt(first, tz));
}

/* ---- the rules ---- */

type Rule = 'no_contact' | 'no_deal';

/** When each rule recycles / warns: a reference time before `recycleBefore` is due. */
type Limits = { days: number; recycleBefore: number; warnBefore: number };

function limits(days: number, warnDays: number, today: string, tz: string): Limits | null {
  if (days <= 0) return null;
  // due once `days` whole local days have passed since the reference day
  const recycleBefore = dayStart(addDays(today, 1 - days), tz).getTime();
  const warnBefore = warnDays > 0 ? dayStart(addDays(today, 1 - days + warnDays), tz).getTime() : -Infinity;
  return { days, recycleBefore, warnBefore };
}

type Candidate = {
  id: string;
  name: string;
  owner_id: string | null;
  created_at: string;
  last_contact_at: string | null;
  last_deal_at: string | null;
  recycle_warned_at: string | null;
};

type Verdict = { action: 'recycle' | 'warn'; rule: Rule; days: number; recycleDate: string } | null;

function verdict(c: Candidate, ownedSince: number, rules: Partial<Record<Rule, Limits>>, tz: string): Verdict {
  const refs: Partial<Record<Rule, number>> = {
    no_contact: Math.max(ownedSince, c.last_contact_at ? Date.parse(c.last_contact_at) : 0),
    no_deal: Math.max(ownedSince, c.last_deal_at ? Date.parse(c.last_deal_at) : 0),
  };
  let warn: { rule: Rule; ref: number; days: number } | null = null;
  for (const rule of ['no_contact', 'no_deal'] as const) {
    const l = rules[rule];
    if (!l) continue;
    const ref = refs[rule]!;
    if (ref < l.recycleBefore) return { action: 'recycle', rule, days: l.days, recycleDate: '' };
    if (ref < l.warnBefore && (!warn || ref < warn.ref)) warn = { rule, ref, days: l.days };
  }
  if (!warn) return null;
  // told once per period: a warning sent after the reference time (last contact / owned since) stands
  if (c.recycle_warned_at && Date.parse(c.recycle_warned_at) >= warn.ref) return null;
  return { action: 'warn', rule: warn.rule, days: warn.days, recycleDate: addDays(localDate(new Date(warn.ref), tz), warn.days) };
}

export type RecycleResult = { warned: number; recycled: number };

/**
 * One run of the recycle rules at `now`: warns owners K days ahead and returns due customers to
 * the pool (owner history reason 'recycle', by the system), notifying their owners.
 */
export async function runPoolRecycle(db: Db, ctx: NotifyCtx, now: Date): Promise<RecycleResult> {
  const result: RecycleResult = { warned: 0, recycled: 0 };
  const settings: CustomerSettings = await getCustomerSettings(db);
  const pool = settings.pool;
  if (!pool.enabled) return result;
  const tz = (await getCompany(db)).timezone;
  const today = localDate(now, tz);
  const rules: Partial<Record<Rule, Limits>> = {};
  const contact = limits(pool.noContactDays, pool.warnDays, today, tz);
  const deal = limits(pool.noDealDays, pool.warnDays, today, tz);
  if (contact) rules.no_contact = contact;
  if (deal) rules.no_deal = deal;
  if (!contact && !deal) return result;
  const iso = (ms: number) => new Date(Math.max(ms, 0)).toISOString();

  let after = '';
  for (;;) {
    // candidates: owned, not exempt, and old enough for some rule (the reference time is never
    // before created_at nor before the last contact / deal, so these bounds lose nobody)
    const batch: Candidate[] = await db
      .selectFrom('customers')
      .select(['id', 'name', 'owner_id', 'created_at', 'last_contact_at', 'last_deal_at', 'recycle_warned_at'])
      .where('owner_id', 'is not', null)
      .where('deleted_at', 'is', null)
      .where('id', '>', after)
      .$if(pool.exemptLocked, (q) => q.where('locked', '=', 0))
      .$if(pool.exemptDeals, (q) =>
        q.where((e) => e.and([e.or([e('stage', 'is', null), e('stage', 'not in', DEAL_STAGES)]), e('last_deal_at', 'is', null)])),
      )
      .where((e) => {
        const any = [];
        for (const [column, l] of [
          ['last_contact_at', contact],
          ['last_deal_at', deal],
        ] as const) {
          if (!l) continue;
          const bound = iso(Math.max(l.recycleBefore, l.warnBefore));
          any.push(e.and([e('created_at', '<', bound), e.or([e(column, 'is', null), e(column, '<', bound)])]));
        }
        return e.or(any);
      })
      .orderBy('id')
      .limit(BATCH)
      .execute();
    if (!batch.length) break;
    after = batch[batch.length - 1].id;

    const since = await ownedSinceOf(db, batch);
    const todo: { c: Candidate; v: NonNullable<Verdict> }[] = [];
    for (const c of batch) {
      const v = verdict(c, since.get(c.id) ?? Date.parse(c.created_at), rules, tz);
      if (v) todo.push({ c, v });
    }
    if (!todo.length) continue;
    const done = await applyBatch(db, ctx, todo, now);
    result.warned += done.warned;
    result.recycled += done.recycled;
    if (batch.length < BATCH) break;
  }
  return result;
}

/** When each customer's current owner got it: the latest owner-history row naming that owner. */
async function ownedSinceOf(db: Db, batch: Candidate[]): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('customer_owner_history')
    .select(['customer_id', 'to_user_id'])
    .select((e) => e.fn.max('at').as('at'))
    .where(
      'customer_id',
      'in',
      batch.map((c) => c.id),
    )
    .where('to_user_id', 'is not', null)
    .groupBy(['customer_id', 'to_user_id'])
    .execute();
  const owner = new Map(batch.map((c) => [c.id, c.owner_id]));
  const out = new Map<string, number>();
  for (const r of rows) if (owner.get(r.customer_id) === r.to_user_id && r.at) out.set(r.customer_id, Date.parse(String(r.at)));
  return out;
}

async function applyBatch(db: Db, ctx: NotifyCtx, todo: { c: Candidate; v: NonNullable<Verdict> }[], now: Date): Promise<RecycleResult> {
  const done: RecycleResult = { warned: 0, recycled: 0 };
  const ownerIds = [...new Set(todo.map((t) => t.c.owner_id!))];
  const owners = new Map(
    (await db.selectFrom('users').select(['id', 'locale']).where('id', 'in', ownerIds).execute()).map((u) => [u.id, pickLocale(u.locale)]),
  );
  const reasonText = (locale: Locale, v: NonNullable<Verdict>) =>
    translate(locale, 'pool.notice.rule', { rule: translate(locale, `pool.rule.${v.rule}`, { days: v.days }) });
  await inTransaction(db, async (tx) => {
    // what was read before the transaction may have moved on (a follow-up, a claim): re-read
    const fresh = new Map(
      (
        await tx
          .selectFrom('customers')
          .select(['id', 'owner_id', 'last_contact_at', 'last_deal_at', 'recycle_warned_at', 'deleted_at'])
          .where(
            'id',
            'in',
            todo.map((t) => t.c.id),
          )
          .execute()
      ).map((r) => [r.id, r]),
    );
    // a transfer in approval holds its customers: recycling waits until it ends
    const held = await heldCustomers(
      tx,
      todo.filter((t) => t.v.action === 'recycle').map((t) => t.c.id),
    );
    for (const { c, v } of todo) {
      const f = fresh.get(c.id);
      if (!f || f.deleted_at || f.owner_id !== c.owner_id || f.last_contact_at !== c.last_contact_at || f.last_deal_at !== c.last_deal_at)
        continue;
      const locale = owners.get(c.owner_id!) ?? pickLocale();
      if (v.action === 'recycle') {
        if (held.has(c.id)) continue;
        if (!(await changeOwner(tx, c.id, null, 'recycle', SYSTEM_ACTOR, `${v.rule}:${v.days}`, c.owner_id))) continue;
        done.recycled++;
        await notify(
          ctx,
          [c.owner_id!],
          {
            type: 'customer.recycled',
            title: translate(locale, 'pool.notice.recycled', { name: c.name }),
            body: reasonText(locale, v),
            link: `/customers/${c.id}`,
            data: { customerId: c.id, rule: v.rule },
          },
          tx,
        );
      } else {
        if (f.recycle_warned_at !== c.recycle_warned_at) continue;
        await tx
          .updateTable('customers')
          .set({ recycle_warned_at: nowIso(now) })
          .where('id', '=', c.id)
          .execute();
        done.warned++;
        await notify(
          ctx,
          [c.owner_id!],
          {
            type: 'customer.recycle_warning',
            title: translate(locale, 'pool.notice.warning', { name: c.name, date: v.recycleDate }),
            body: reasonText(locale, v),
            link: `/customers/${c.id}`,
            data: { customerId: c.id, rule: v.rule, recycleOn: v.recycleDate },
          },
          tx,
        );
      }
    }
  });
  return done;
}
