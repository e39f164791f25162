import { z } from 'zod';
import { idSchema, pageQuery, timezoneSchema } from './fields';

/** Platform services: jobs, recycle bin, notifications, company settings. */

export const JOB_STATUSES = ['scheduled', 'running', 'failed', 'done'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const jobsQuery = pageQuery.extend({
  status: z.enum(JOB_STATUSES).optional(),
});

export type JobItem = {
  id: string;
  name: string;
  status: JobStatus;
  runAt: string;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  dedupeKey: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
};

export type JobScheduleItem = { name: string; cron: string; nextRunAt: string; lastRunAt: string | null };

export const recycleQuery = pageQuery.extend({
  entity: z.string().trim().min(1).max(50).optional(),
});

export type RecycleItem = {
  id: string;
  entity: string;
  /** message key naming the record type (registered by its module) */
  labelKey: string | null;
  entityId: string;
  label: string;
  deletedBy: string | null;
  deletedByName: string | null;
  deletedAt: string;
  purgeAt: string;
};

export const notificationsQuery = pageQuery.extend({
  unread: z.stringbool().optional(),
});

export type NotificationItem = {
  id: string;
  type: string;
  title: string;
  body: string | null;
  link: string | null;
  /** structured details the sender attached (ids the client can act on) */
  data: unknown;
  readAt: string | null;
  createdAt: string;
};

export const idParams = z.object({ id: idSchema });

export const companySettings = z.object({
  name: z.string(),
  timezone: z.string(),
  recycleRetentionDays: z.number().int(),
});
export type CompanySettingsDto = z.infer<typeof companySettings>;

export const patchCompanyBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    timezone: timezoneSchema.optional(),
    recycleRetentionDays: z.number().int().min(1).max(3650).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'validation.required');
