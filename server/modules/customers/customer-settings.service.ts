import type { DbOrTx } from '@server/db/types';
import {
  DEFAULT_CUSTOMER_SETTINGS,
  customerSettingsSchema,
  type CustomerCategory,
  type CustomerSettings,
} from '@common/schemas/customer-settings';
import { getSetting, putSetting } from '@server/platform/settings/settings.service';
import { audit, type Actor } from '@server/platform/audit/audit.service';
import { withTx } from '@server/platform/org/caller';

const KEY = 'customers';

/** The customer standards, defaults filled in for whatever was never saved. */
export async function getCustomerSettings(db: DbOrTx): Promise<CustomerSettings> {
  const stored = await getSetting<Partial<CustomerSettings>>(db, KEY);
  if (!stored) return DEFAULT_CUSTOMER_SETTINGS;
  const merged = { ...DEFAULT_CUSTOMER_SETTINGS, ...stored };
  return customerSettingsSchema.safeParse(merged).success ? (merged as CustomerSettings) : DEFAULT_CUSTOMER_SETTINGS;
}

/** Replaces the customer standards (already validated by the route's schema). Audited. */
export async function putCustomerSettings(db: DbOrTx, next: CustomerSettings, actor: Actor): Promise<CustomerSettings> {
  return withTx(db, async (tx) => {
    const before = await getCustomerSettings(tx);
    await putSetting(tx, KEY, next);
    await audit(tx, actor, { action: 'update', entity: 'settings', entityId: KEY, before, after: next });
    return next;
  });
}

/**
 * The category a customer takes when none is given (create, import, lead conversion, an edit that
 * clears it): the first of the settings, so its required fields always apply.
 */
export function defaultCategory(settings: CustomerSettings): string | null {
  return settings.categories[0]?.key ?? null;
}

/** The given category, or the default one when it is empty. */
export function categoryOrDefault(settings: CustomerSettings, key: string | null | undefined): string | null {
  const k = key?.trim();
  return k ? k : defaultCategory(settings);
}

/** The category's rules, or null for a customer without (or with an unknown) category. */
export function categoryOf(settings: CustomerSettings, key: string | null | undefined): CustomerCategory | null {
  return settings.categories.find((c) => c.key === key) ?? null;
}
