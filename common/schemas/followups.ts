import { z } from 'zod';
import { idSchema, pageQuery } from './fields';

/** Follow-ups (跟单), schedules (日程) and overdue visits (拜访周期): shapes shared by server and web. */

export const FOLLOW_UP_TYPES = ['phone', 'visit', 'wechat', 'mail', 'other'] as const;
export type FollowUpType = (typeof FOLLOW_UP_TYPES)[number];

const datetime = z.iso.datetime({ offset: true });
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

/** A follow-up on exactly one customer or one lead (checked by the server, naming `customerId`). */
export const createFollowUpBody = z.strictObject({
  customerId: idSchema.optional(),
  leadId: idSchema.optional(),
  /** a live contact of that customer */
  contactId: idSchema.nullable().optional(),
  type: z.enum(FOLLOW_UP_TYPES),
  content: z.string().trim().min(1).max(5000),
  /** when the contact happened; default now, at most a minute ahead */
  at: datetime.optional(),
  nextStep: optionalText(500),
  /** the next contact planned: sets the customer's / lead's next follow-up date */
  nextAt: datetime.nullable().optional(),
  /** ids of files the caller uploaded (not yet attached to anything) */
  attachmentIds: z.array(idSchema).max(20).optional(),
});
export type CreateFollowUpBody = z.infer<typeof createFollowUpBody>;

/** `attachmentIds`, when given, is the whole new list: files left out are removed. */
export const updateFollowUpBody = z.strictObject({
  version: z.number().int().min(1),
  contactId: idSchema.nullable().optional(),
  type: z.enum(FOLLOW_UP_TYPES).optional(),
  content: z.string().trim().min(1).max(5000).optional(),
  at: datetime.optional(),
  nextStep: optionalText(500),
  nextAt: datetime.nullable().optional(),
  attachmentIds: z.array(idSchema).max(20).optional(),
});
export type UpdateFollowUpBody = z.infer<typeof updateFollowUpBody>;

/** mine: written by me; team: written by anyone in my follow-up data scope (me included). */
export const FOLLOW_UP_VIEWS = ['mine', 'team'] as const;

export const followUpListQuery = pageQuery.extend({
  customerId: idSchema.optional(),
  leadId: idSchema.optional(),
  ownerId: idSchema.optional(),
  view: z.enum(FOLLOW_UP_VIEWS).optional(),
  /** contact time range [from, to) */
  from: datetime.optional(),
  to: datetime.optional(),
  type: z.enum(FOLLOW_UP_TYPES).optional(),
});
export type FollowUpListQuery = z.infer<typeof followUpListQuery>;

export type Attachment = { id: string; name: string; mime: string; size: number };

export type FollowUp = {
  id: string;
  customerId: string | null;
  customerName: string | null;
  leadId: string | null;
  leadName: string | null;
  contactId: string | null;
  contactName: string | null;
  type: FollowUpType;
  content: string;
  at: string;
  nextStep: string | null;
  nextAt: string | null;
  /** the author */
  ownerId: string;
  ownerName: string | null;
  ownerDepartmentId: string | null;
  attachments: Attachment[];
  createdAt: string;
  updatedAt: string;
  version: number;
  /** the author (or an admin) may edit and delete */
  canEdit: boolean;
};

export const createScheduleBody = z.strictObject({
  title: z.string().trim().min(1).max(200),
  notes: optionalText(5000),
  startAt: datetime,
  endAt: datetime.nullable().optional(),
  allDay: z.boolean().optional(),
  /** remind this many minutes before the start (0–7 days); null: no reminder */
  remindMinutes: z.number().int().min(0).max(10080).nullable().optional(),
  customerId: idSchema.nullable().optional(),
  leadId: idSchema.nullable().optional(),
  contactId: idSchema.nullable().optional(),
  /** default: the caller; another user only within the caller's follow-up data scope */
  ownerId: idSchema.optional(),
});
export type CreateScheduleBody = z.infer<typeof createScheduleBody>;

export const updateScheduleBody = createScheduleBody.partial().extend({ version: z.number().int().min(1) });
export type UpdateScheduleBody = z.infer<typeof updateScheduleBody>;

export const scheduleDoneBody = z.strictObject({
  done: z.boolean(),
  version: z.number().int().min(1).optional(),
});

/**
 * Calendar: schedules overlapping [from, to) (at most 366 days), of mine / my team / one user.
 * With customerId or leadId instead: that record's schedules, newest first, keyset paged.
 */
export const scheduleListQuery = pageQuery.extend({
  from: datetime.optional(),
  to: datetime.optional(),
  view: z.enum(FOLLOW_UP_VIEWS).optional(),
  userId: idSchema.optional(),
  customerId: idSchema.optional(),
  leadId: idSchema.optional(),
  done: z.enum(['true', 'false']).optional(),
});
export type ScheduleListQuery = z.infer<typeof scheduleListQuery>;

export type Schedule = {
  id: string;
  title: string;
  notes: string | null;
  startAt: string;
  endAt: string | null;
  allDay: boolean;
  remindMinutes: number | null;
  remindedAt: string | null;
  done: boolean;
  doneAt: string | null;
  customerId: string | null;
  customerName: string | null;
  leadId: string | null;
  leadName: string | null;
  contactId: string | null;
  contactName: string | null;
  ownerId: string;
  ownerName: string | null;
  ownerDepartmentId: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
  /** the owner, or someone whose follow-up scope covers the owner, with the edit right */
  canEdit: boolean;
};

export const overdueVisitsQuery = z.object({ ownerId: idSchema.optional() });

export type OverdueCustomer = { id: string; name: string; lastContactAt: string | null; daysOverdue: number };
export type OverdueGroup = {
  ownerId: string;
  ownerName: string | null;
  count: number;
  /** the most overdue first, at most 50 */
  customers: OverdueCustomer[];
};
