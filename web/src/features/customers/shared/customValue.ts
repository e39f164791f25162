import type { TFunction } from '@web/app/i18n';
import type { CustomField } from '../api';

/** Money custom fields are stored in minor units (分), as every amount; shown in yuan. */
export const fenToYuan = (v: number) => (v / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A custom field's value as text for tables and descriptions; '' when empty. */
export function formatCustomValue(t: TFunction, field: CustomField, value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  const label = (v: unknown) => field.options.find((o) => o.value === String(v))?.label ?? String(v);
  switch (field.type) {
    case 'boolean':
      return t(value ? 'common.yes' : 'common.no');
    case 'select':
      return label(value);
    case 'multiselect':
      return Array.isArray(value) ? value.map(label).join('、') : label(value);
    case 'money':
      return typeof value === 'number' ? `¥${fenToYuan(value)}` : String(value);
    case 'user':
      if (typeof value === 'object') return String((value as { name?: string }).name ?? '');
      return String(value);
    case 'text':
    case 'number':
    case 'date':
      return String(value);
  }
}
