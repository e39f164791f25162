import type { TFunction } from '@web/app/i18n';
import { labelOr } from '@web/features/system/shared/format';

/** Labels for audit values; names a module registers later fall back to the raw name. */
export const entityLabel = (t: TFunction, entity: string) => labelOr(t, `audit.entity.${entity}`, entity);
export const actionLabel = (t: TFunction, action: string) => labelOr(t, `audit.action.${action}`, action);
export const fieldLabel = (t: TFunction, field: string) => labelOr(t, `audit.field.${field}`, field);

/** A before/after value as text: null → '—', booleans and 0/1 flags stay as they are, objects as JSON. */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}
