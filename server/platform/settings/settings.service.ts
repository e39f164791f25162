import type { DbOrTx } from '@server/db/types';
import { nowIso } from '@server/db/ids';

export type CompanySettings = { name: string; timezone: string; recycleRetentionDays: number };
const DEFAULTS: CompanySettings = { name: '', timezone: 'Asia/Shanghai', recycleRetentionDays: 30 };

export async function getSetting<T>(db: DbOrTx, key: string): Promise<T | undefined> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row ? (JSON.parse(row.value) as T) : undefined;
}

export async function putSetting(db: DbOrTx, key: string, value: unknown): Promise<void> {
  const json = JSON.stringify(value);
  const now = nowIso();
  if (key === 'company') forgetCompanyCache();
  await db
    .insertInto('settings')
    .values({ key, value: json, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_at: now }))
    .execute();
}

export async function getCompany(db: DbOrTx): Promise<CompanySettings> {
  return { ...DEFAULTS, ...(await getSetting<Partial<CompanySettings>>(db, 'company')) };
}

// /me is on every page load: keep the company settings for a few seconds (each instance its own copy)
let cached: { at: number; value: CompanySettings } | undefined;
export async function getCompanyCached(db: DbOrTx): Promise<CompanySettings> {
  if (cached && Date.now() - cached.at < 5000) return cached.value;
  const value = await getCompany(db);
  cached = { at: Date.now(), value };
  return value;
}
export function forgetCompanyCache() {
  cached = undefined;
}
