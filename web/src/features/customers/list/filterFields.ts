import { useMemo } from 'react';
import { FILTER_OPS } from '@common/schemas/customers';
import { useT } from '@web/app/i18n';
import type { CustomFieldOption, CustomFieldType } from '../api';
import { useCustomerSettings, useCustomFields } from '../hooks';

export type FilterOp = (typeof FILTER_OPS)[number];

/** A field the advanced filter offers: standard or `custom.<key>`, with how its value is entered. */
export type FilterField = { field: string; label: string; type: CustomFieldType; options: CustomFieldOption[] };

const OPS: Record<CustomFieldType, FilterOp[]> = {
  text: ['contains', 'eq', 'ne', 'empty', 'notEmpty'],
  select: ['eq', 'ne', 'in', 'empty', 'notEmpty'],
  multiselect: ['contains', 'empty', 'notEmpty'],
  number: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'empty', 'notEmpty'],
  money: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'empty', 'notEmpty'],
  date: ['gte', 'lte', 'gt', 'lt', 'eq', 'empty', 'notEmpty'],
  boolean: ['eq'],
  user: ['eq', 'ne', 'empty', 'notEmpty'],
};

export const opsOf = (type: CustomFieldType): FilterOp[] => OPS[type];
export const opNeedsValue = (op: string) => op !== 'empty' && op !== 'notEmpty';

const TEXT = ['name', 'shortName', 'code', 'phones', 'address', 'website', 'tags', 'notes', 'regionCode'];
const LISTS = { category: 'categories', stage: 'stages', importance: 'importances', source: 'sources', industry: 'industries' } as const;
const DATES = ['createdAt', 'updatedAt', 'lastContactAt', 'nextFollowUpAt', 'lastDealAt', 'pooledAt'];

/** Every field the advanced filter can use, standard fields first, then custom fields. */
export function useFilterFields(): FilterField[] {
  const t = useT();
  const { data: settings } = useCustomerSettings();
  const { data: custom } = useCustomFields('customer');
  return useMemo(() => {
    const label = (f: string) => t(`customer.field.${f}`);
    const fields: FilterField[] = [
      ...TEXT.map((field) => ({ field, label: label(field), type: 'text' as const, options: [] })),
      ...Object.entries(LISTS).map(([field, list]) => ({
        field,
        label: label(field),
        type: 'select' as const,
        options: (settings?.[list] ?? []).map((o) => ({ value: o.key, label: o.label })),
      })),
      { field: 'ownerId', label: label('ownerName'), type: 'user', options: [] },
      { field: 'createdBy', label: label('createdByName'), type: 'user', options: [] },
      ...DATES.map((field) => ({ field, label: label(field), type: 'date' as const, options: [] })),
      { field: 'locked', label: label('locked'), type: 'boolean', options: [] },
      { field: 'inPool', label: label('inPool'), type: 'boolean', options: [] },
    ];
    for (const f of custom ?? []) fields.push({ field: `custom.${f.key}`, label: f.label, type: f.type, options: f.options });
    return fields;
  }, [t, settings, custom]);
}
