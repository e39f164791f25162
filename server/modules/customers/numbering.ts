import { sql } from 'kysely';
import type { DbOrTx } from '@server/db/types';
import type { CustomerSettings } from '@common/schemas/customer-settings';
import { getCompany } from '@server/platform/settings/settings.service';
import { fieldError } from '@server/platform/http/errors';

/**
 * Customer codes (客户编号) by the numbering rule of the customer settings: prefix + date part
 * (yyyymm / yyyymmdd / none, in the company time zone) + a zero-padded sequence that restarts each
 * period. The counter lives in `sequences`, one row per prefix and period.
 */

/** The date part of a code for `now` in `timeZone`. */
export function codePeriod(rule: CustomerSettings['code'], now: Date, timeZone: string): string {
  if (rule.date === 'none') return '';
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return rule.date === 'yyyymm' ? `${get('year')}${get('month')}` : `${get('year')}${get('month')}${get('day')}`;
}

/**
 * Increments and returns a named counter, starting at 1. One statement (insert … on conflict do
 * update … returning), so concurrent transactions on Postgres queue on the row and never get the
 * same value; call it inside the record's transaction so a rolled-back create gives its number back.
 */
export async function nextSequence(tx: DbOrTx, name: string): Promise<number> {
  const row = await tx
    .insertInto('sequences')
    .values({ name, value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: sql<number>`sequences.value + 1` }))
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

async function codeTaken(db: DbOrTx, code: string, exceptId?: string): Promise<boolean> {
  let q = db.selectFrom('customers').select('id').where('code', '=', code).where('deleted_at', 'is', null);
  if (exceptId) q = q.where('id', '<>', exceptId);
  return !!(await q.limit(1).executeTakeFirst());
}

/**
 * The next free customer code under the settings' rule. A number someone typed by hand is skipped
 * rather than handed out twice. `timeZone`: the company's, when the caller has it at hand.
 */
export async function nextCustomerCode(tx: DbOrTx, settings: CustomerSettings, now = new Date(), timeZone?: string): Promise<string> {
  const rule = settings.code;
  const timezone = timeZone ?? (await getCompany(tx)).timezone;
  const head = `${rule.prefix}${codePeriod(rule, now, timezone)}`;
  for (;;) {
    const n = await nextSequence(tx, `customer.code:${head}`);
    const code = `${head}${String(n).padStart(rule.digits, '0')}`;
    if (!(await codeTaken(tx, code))) return code;
  }
}

/** A code typed by the user must be unique among live customers: fieldError('code', 'duplicate'). */
export async function assertCodeFree(db: DbOrTx, code: string, exceptId?: string): Promise<void> {
  if (await codeTaken(db, code, exceptId)) throw fieldError('code', 'duplicate');
}
