import { z } from 'zod';

/** Custom fields (属性定义): definitions an admin adds to customers, contacts, leads and later modules. */

export const CUSTOM_FIELD_TYPES = ['text', 'number', 'money', 'date', 'select', 'multiselect', 'user', 'boolean'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

/** types whose values are picked from `options` */
export const OPTION_TYPES: readonly CustomFieldType[] = ['select', 'multiselect'];

export const CUSTOM_TEXT_MAX = 500;
export const CUSTOM_OPTIONS_MAX = 200;

/** the key under which a value is stored in the record's JSON and named in filters (`custom.<key>`) */
export const customFieldKey = z.string().regex(/^[a-z][a-z0-9_]{0,29}$/, 'validation.invalid_format');
const entityName = z.string().regex(/^[a-z][a-z0-9_]{0,49}$/, 'validation.invalid_format');
const option = z.string().trim().min(1).max(50);

export const customFieldsQuery = z.object({ entity: entityName });

export const createCustomFieldBody = z.strictObject({
  entity: entityName,
  key: customFieldKey,
  label: z.string().trim().min(1).max(50),
  type: z.enum(CUSTOM_FIELD_TYPES),
  /** select / multi select only: 1–200 distinct options */
  options: z.array(option).max(CUSTOM_OPTIONS_MAX).optional(),
  required: z.boolean().optional(),
  sortOrder: z.number().int().min(0).max(100000).optional(),
});
export type CreateCustomFieldBody = z.infer<typeof createCustomFieldBody>;

/** The type and key never change once defined (stored values depend on them). */
export const updateCustomFieldBody = z.strictObject({
  version: z.number().int().min(1),
  label: createCustomFieldBody.shape.label.optional(),
  options: createCustomFieldBody.shape.options,
  required: z.boolean().optional(),
  sortOrder: createCustomFieldBody.shape.sortOrder,
});
export type UpdateCustomFieldBody = z.infer<typeof updateCustomFieldBody>;

export type CustomFieldDef = {
  id: string;
  entity: string;
  key: string;
  label: string;
  type: CustomFieldType;
  options: string[];
  required: boolean;
  sortOrder: number;
  version: number;
  createdAt: string;
  updatedAt: string;
};

/** An entity that has custom fields, and the permission module that guards its records. */
export type CustomFieldEntity = { entity: string; module: string };
