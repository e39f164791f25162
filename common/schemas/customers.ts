import { z } from 'zod';
import { idSchema, pageQuery } from './fields';
import { contactInput, type Contact } from './contacts';
import { attachmentIds } from './files';
import type { FollowUp, Schedule } from './followups';
import type { ImportantDate } from './important-dates';
import type { OwnerHistoryEntry } from './pool';

/** Customers (客户档案) and partners (合作伙伴): the API shapes shared by server and web. */

export const CUSTOMER_KINDS = ['customer', 'partner'] as const;
export type CustomerKind = (typeof CUSTOMER_KINDS)[number];

const text = (max: number) => z.string().trim().max(max);
const optionalText = (max: number) => text(max).nullable().optional();
/** a definable-list key (category, stage, importance, source, industry); checked against the settings */
const listKey = z.string().trim().max(30).nullable().optional();
const phone = z.string().trim().min(1).max(40);
/** most phone numbers on one customer (a merge may bring in the other customer's numbers) */
export const MAX_CUSTOMER_PHONES = 20;
const tag = z.string().trim().min(1).max(20);
/** GB/T 2260 division code: 2 (province), 4 (city) or 6 (district) digits */
export const regionCodeSchema = z.string().regex(/^\d{2}(\d{2}){0,2}$/, 'validation.invalid_format');
const teamMember = z.strictObject({ userId: idSchema, access: z.enum(['read', 'write']) });
/** custom field values by field key; validated against the entity's definitions on the server */
export const customValues = z.record(z.string().max(40), z.unknown());

const customerFields = {
  kind: z.enum(CUSTOMER_KINDS).optional(),
  name: text(200).min(1),
  shortName: optionalText(100),
  /** leave empty to number by the rule in the customer settings */
  code: optionalText(50),
  category: listKey,
  stage: listKey,
  importance: listKey,
  source: listKey,
  industry: listKey,
  regionCode: regionCodeSchema.nullable().optional(),
  address: optionalText(300),
  latitude: z.number().min(-90).max(90).nullable().optional(),
  longitude: z.number().min(-180).max(180).nullable().optional(),
  phones: z.array(phone).max(MAX_CUSTOMER_PHONES).optional(),
  website: optionalText(300),
  tags: z.array(tag).max(30).optional(),
  notes: optionalText(5000),
  nextFollowUpAt: z.iso.datetime({ offset: true }).nullable().optional(),
  locked: z.boolean().optional(),
  custom: customValues.optional(),
};

export const createCustomerBody = z.strictObject({
  ...customerFields,
  /** a single phone, as the API landmark allows: merged into `phones` */
  phone: phone.optional(),
  /** the owner; defaults to the creator (the first to enter a customer owns it) */
  ownerId: idSchema.optional(),
  /** contacts created in the same transaction (the required-fields rule may demand one) */
  contacts: z.array(contactInput).max(20).optional(),
  team: z.array(teamMember).max(50).optional(),
});
export type CreateCustomerBody = z.infer<typeof createCustomerBody>;

export const updateCustomerBody = z.strictObject({
  version: z.number().int().min(1),
  ...customerFields,
  name: customerFields.name.optional(),
});
export type UpdateCustomerBody = z.infer<typeof updateCustomerBody>;

export const CUSTOMER_SORTS = [
  'id',
  'name',
  'code',
  'createdAt',
  'updatedAt',
  'lastContactAt',
  'nextFollowUpAt',
  'stage',
  'importance',
] as const;

/**
 * List query. Filters on standard fields are plain parameters; `filters` is a JSON array of
 * `{ field, op, value }` for any field including custom ones (`custom.<key>`), as saved views store.
 */
export const customerListQuery = pageQuery.extend({
  q: z.string().trim().max(100).optional(),
  kind: z.enum(CUSTOMER_KINDS).optional(),
  /** mine: owned by me; team: where I am a team member; pool: in the public pool */
  view: z.enum(['all', 'mine', 'team', 'pool']).optional(),
  ownerId: idSchema.optional(),
  departmentId: idSchema.optional(),
  category: z.string().max(30).optional(),
  stage: z.string().max(30).optional(),
  importance: z.string().max(30).optional(),
  tag: z.string().max(20).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  filters: z.string().max(4000).optional(),
  sort: z.enum(CUSTOMER_SORTS).optional(),
  order: z.enum(['asc', 'desc']).optional(),
});
export type CustomerListQuery = z.infer<typeof customerListQuery>;

export const FILTER_OPS = ['eq', 'ne', 'contains', 'in', 'gt', 'gte', 'lt', 'lte', 'empty', 'notEmpty'] as const;
export const listFilter = z.strictObject({
  field: z.string().max(60),
  op: z.enum(FILTER_OPS),
  value: z.unknown().optional(),
});
export type ListFilter = z.infer<typeof listFilter>;

export type TeamMember = { userId: string; name: string; access: 'read' | 'write' };

/** PUT /customers/:id/team: the whole list of team members (团队成员), replacing the previous one. */
export const putTeamBody = z.strictObject({ members: z.array(teamMember).max(50) });
export type PutTeamBody = z.infer<typeof putTeamBody>;

/** POST /customers/:id/attachments: files the caller uploaded (POST /files) become the customer's 附件. */
export const attachCustomerFilesBody = z.strictObject({ fileIds: attachmentIds.min(1) });
export type AttachCustomerFilesBody = z.infer<typeof attachCustomerFilesBody>;

/** DELETE /customers/:id/attachments/:fileId */
export const customerFileParams = z.object({ id: idSchema, fileId: idSchema });

/** DELETE /customers/:id?version=: without a version the delete is not guarded against concurrent edits. */
export const deleteCustomerQuery = z.object({ version: z.coerce.number().int().min(1).optional() });

export type Customer = {
  id: string;
  kind: CustomerKind;
  name: string;
  shortName: string | null;
  code: string | null;
  category: string | null;
  stage: string | null;
  importance: string | null;
  source: string | null;
  industry: string | null;
  regionCode: string | null;
  /** e.g. 广东省 / 深圳市 / 南山区, from the bundled divisions */
  regionName: string | null;
  address: string | null;
  latitude: number | null;
  longitude: number | null;
  /** hidden ([]) when a field rule hides it */
  phones: string[];
  website: string | null;
  tags: string[];
  ownerId: string | null;
  ownerName: string | null;
  ownerDepartmentId: string | null;
  ownerDepartmentName: string | null;
  inPool: boolean;
  pooledAt: string | null;
  locked: boolean;
  lastContactAt: string | null;
  nextFollowUpAt: string | null;
  lastDealAt: string | null;
  notes: string | null;
  custom: Record<string, unknown>;
  createdBy: string | null;
  createdByName: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
  /** what the viewer may do with it: edit needs ownership scope or a write team grant */
  canEdit: boolean;
  /** fields hidden from the viewer by field rules (so the UI can say 无权查看, not empty) */
  hiddenFields: string[];
  /** team members (团队成员): on the single customer (GET /customers/:id, writes), not in lists */
  team?: TeamMember[];
};

/**
 * GET /customers/:id/360: the customer page (360°) in one response, each part as the viewer may see
 * it: contacts (contacts scope), the latest follow-ups (with the cursor of the next ones), open
 * schedules, team, owner history, important dates.
 */
export type Customer360 = {
  customer: Customer;
  contacts: Contact[];
  followUps: FollowUp[];
  followUpsNextCursor: string | null;
  schedules: Schedule[];
  team: TeamMember[];
  ownerHistory: OwnerHistoryEntry[];
  importantDates: ImportantDate[];
};

/** GET /customers: one page. `total` counts up to 1,000 matches; `totalCapped` says there are more ("1000+"). */
export type CustomerPage = { items: Customer[]; nextCursor: string | null; total: number; totalCapped: boolean };

/** Sensitive customer fields a position may hide or make read-only (see MODULES in permissions). */
export const CUSTOMER_SENSITIVE = ['phones', 'address', 'website'] as const;

/** Standard fields a list filter (`filters`) may name, besides `custom.<key>`. */
export const CUSTOMER_FILTER_FIELDS = [
  'kind',
  'name',
  'shortName',
  'code',
  'category',
  'stage',
  'importance',
  'source',
  'industry',
  'regionCode',
  'address',
  'phones',
  'website',
  'tags',
  'ownerId',
  'ownerDepartmentId',
  'inPool',
  'pooledAt',
  'locked',
  'lastContactAt',
  'nextFollowUpAt',
  'lastDealAt',
  'notes',
  'createdBy',
  'createdAt',
  'updatedAt',
] as const;
export type CustomerFilterField = (typeof CUSTOMER_FILTER_FIELDS)[number];

/** GET /customers/duplicate-check: whether it exists and who owns it, nothing more. */
export type DuplicateCheckResult = {
  matches: { by: 'name' | 'phone'; ownerName: string | null; inPool: boolean }[];
};

export const duplicateCheckQuery = z
  .object({ name: z.string().trim().max(200).optional(), phone: z.string().trim().max(40).optional() })
  .refine((q) => q.name || q.phone, { message: 'validation.required', path: ['name'] });
