import { z } from 'zod';
import { idSchema, pageQuery } from './fields';

/** Contacts (联系人) of customers: shapes shared by server and web. */

const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();
const date = z.iso.date().nullable().optional();

/** Fields of a contact as written (create; also nested in a customer create). */
export const contactInput = z.strictObject({
  name: z.string().trim().min(1).max(50),
  title: optionalText(50),
  department: optionalText(50),
  mobile: optionalText(40),
  phone: optionalText(40),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .max(200)
    .pipe(z.email())
    .nullable()
    .optional()
    .or(z.literal('').transform(() => null)),
  wechat: optionalText(50),
  birthday: date,
  hobbies: optionalText(200),
  /** sensitive (身份证号): hidden or read-only by field rule `contacts.idNumber` */
  idNumber: optionalText(30),
  notes: optionalText(2000),
  isPrimary: z.boolean().optional(),
  decisionMaker: z.boolean().optional(),
  reportsToId: idSchema.nullable().optional(),
  custom: z.record(z.string().max(40), z.unknown()).optional(),
});
export type ContactInput = z.infer<typeof contactInput>;

export const createContactBody = contactInput.extend({ customerId: idSchema });
export type CreateContactBody = z.infer<typeof createContactBody>;

/** Partial edit; `customerId` moves the contact to another customer (one the caller may edit). */
export const updateContactBody = contactInput.partial().extend({ version: z.number().int().min(1), customerId: idSchema.optional() });
export type UpdateContactBody = z.infer<typeof updateContactBody>;

export const deleteContactQuery = z.object({ version: z.coerce.number().int().min(1) });

export const contactListQuery = pageQuery.extend({
  q: z.string().trim().max(100).optional(),
  customerId: idSchema.optional(),
});

export type Contact = {
  id: string;
  customerId: string;
  customerName: string;
  name: string;
  title: string | null;
  department: string | null;
  mobile: string | null;
  phone: string | null;
  email: string | null;
  wechat: string | null;
  birthday: string | null;
  hobbies: string | null;
  idNumber: string | null;
  notes: string | null;
  isPrimary: boolean;
  decisionMaker: boolean;
  reportsToId: string | null;
  /** name of the live contact this one reports to */
  reportsToName: string | null;
  custom: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  version: number;
  hiddenFields: string[];
};
