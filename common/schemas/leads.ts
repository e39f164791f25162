import { z } from 'zod';
import { idSchema, pageQuery } from './fields';
import { contactInput } from './contacts';
import { createCustomerBody, customValues, regionCodeSchema } from './customers';

/** Leads (潜在客户): a person (and usually their company) not yet a customer. Shapes shared by server and web. */

export const LEAD_STATUSES = ['new', 'following', 'converted', 'invalid'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];
/** what a user may set by hand: 'converted' is reached only by converting */
export const EDITABLE_LEAD_STATUSES = ['new', 'following', 'invalid'] as const;

const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();
/** a definable-list key of the customer settings (source, industry); checked on the server */
const listKey = z.string().trim().max(30).nullable().optional();
const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(200)
  .pipe(z.email())
  .nullable()
  .optional()
  .or(z.literal('').transform(() => null));

const leadFields = {
  /** the person (联系人姓名) */
  name: z.string().trim().min(1).max(50),
  /** the company; becomes the customer's name on conversion */
  company: optionalText(200),
  title: optionalText(50),
  mobile: optionalText(40),
  phone: optionalText(40),
  email,
  wechat: optionalText(50),
  source: listKey,
  industry: listKey,
  regionCode: regionCodeSchema.nullable().optional(),
  address: optionalText(300),
  notes: optionalText(5000),
  nextFollowUpAt: z.iso.datetime({ offset: true }).nullable().optional(),
  custom: customValues.optional(),
};

export const createLeadBody = z.strictObject({
  ...leadFields,
  status: z.enum(EDITABLE_LEAD_STATUSES).optional(),
});
export type CreateLeadBody = z.infer<typeof createLeadBody>;

export const updateLeadBody = z.strictObject({
  version: z.number().int().min(1),
  ...leadFields,
  name: leadFields.name.optional(),
  status: z.enum(EDITABLE_LEAD_STATUSES).optional(),
});
export type UpdateLeadBody = z.infer<typeof updateLeadBody>;

export const leadListQuery = pageQuery.extend({
  /** keyword over name, company, mobile, phone and email (Chinese substrings of any length) */
  q: z.string().trim().max(100).optional(),
  status: z.enum(LEAD_STATUSES).optional(),
  ownerId: idSchema.optional(),
  source: z.string().max(30).optional(),
});
export type LeadListQuery = z.infer<typeof leadListQuery>;

export const transferLeadsBody = z.strictObject({
  ids: z.array(idSchema).min(1).max(500),
  toUserId: idSchema,
});
export type TransferLeadsBody = z.infer<typeof transferLeadsBody>;

/**
 * POST /leads/:id/convert. The customer is built from the lead (name = company, else the person;
 * phones, source, industry, region, address; owner = the lead's owner); `customer` overrides any
 * of those fields (e.g. the category, stage and importance the required-fields rule asks for).
 * With `createContact` (default) the person becomes the customer's contact; `contact` overrides
 * its fields (e.g. an email the category requires).
 */
export const convertLeadBody = z.strictObject({
  customer: createCustomerBody.omit({ contacts: true, ownerId: true }).partial().optional(),
  createContact: z.boolean().optional(),
  contact: contactInput.partial().optional(),
});
export type ConvertLeadBody = z.infer<typeof convertLeadBody>;

export type Lead = {
  id: string;
  name: string;
  company: string | null;
  title: string | null;
  /** null (and listed in hiddenFields) when a field rule hides it */
  mobile: string | null;
  phone: string | null;
  email: string | null;
  wechat: string | null;
  source: string | null;
  industry: string | null;
  regionCode: string | null;
  /** e.g. 广东省 / 深圳市 / 南山区, from the bundled divisions */
  regionName: string | null;
  address: string | null;
  status: LeadStatus;
  ownerId: string | null;
  ownerName: string | null;
  ownerDepartmentId: string | null;
  ownerDepartmentName: string | null;
  lastContactAt: string | null;
  nextFollowUpAt: string | null;
  convertedCustomerId: string | null;
  convertedCustomerName: string | null;
  convertedContactId: string | null;
  convertedAt: string | null;
  notes: string | null;
  custom: Record<string, unknown>;
  createdBy: string | null;
  createdByName: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
  /** the viewer holds leads.edit and the lead is not converted (converted leads are read-only) */
  canEdit: boolean;
  hiddenFields: string[];
};

export type ConvertLeadResult = { lead: Lead; customerId: string; contactId: string | null };
