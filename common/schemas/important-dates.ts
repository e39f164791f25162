import { z } from 'zod';
import { idSchema } from './fields';

/** Important dates (重要日期) of a customer: birthdays, founding days, contract anniversaries… */

export const IMPORTANT_DATE_REPEATS = ['yearly', 'once'] as const;
export type ImportantDateRepeat = (typeof IMPORTANT_DATE_REPEATS)[number];

export const createImportantDateBody = z.strictObject({
  customerId: idSchema,
  /** the contact the date is about (a live contact of the same customer) */
  contactId: idSchema.nullable().optional(),
  title: z.string().trim().min(1).max(100),
  /** YYYY-MM-DD; for a yearly date the year is the first one (29 Feb falls on 28 Feb in other years) */
  date: z.iso.date(),
  repeat: z.enum(IMPORTANT_DATE_REPEATS),
  /** remind the customer's owner this many days before (0: on the day) */
  remindDays: z.number().int().min(0).max(365).default(0),
});
export type CreateImportantDateBody = z.infer<typeof createImportantDateBody>;

export const importantDateListQuery = z.object({ customerId: idSchema });

export type ImportantDate = {
  id: string;
  customerId: string;
  contactId: string | null;
  contactName: string | null;
  title: string;
  date: string;
  repeat: ImportantDateRepeat;
  remindDays: number;
  /** the next occurrence on or after today (company time zone); null for a past one-off date */
  nextOccurrence: string | null;
  createdAt: string;
};
