import { z } from 'zod';
import { idSchema, pageQuery } from './fields';

/**
 * Customer reports (客户举报) and their admin queue, merging duplicates, and the data-quality
 * report per salesperson: shapes shared by server and web.
 */

/** What a user flags: a duplicate entry, a wrong main category, a wrong owner, or anything else. */
export const REPORT_KINDS = ['duplicate', 'wrong_category', 'wrong_owner', 'other'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** open, or how an admin settled it */
export const REPORT_STATUSES = ['open', 'merged', 'recategorised', 'reassigned', 'dismissed'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export const RESOLVE_ACTIONS = ['merge', 'recategorise', 'reassign', 'dismiss'] as const;
export type ResolveAction = (typeof RESOLVE_ACTIONS)[number];

/** The report status each resolve action leaves. */
export const RESOLVED_STATUS: Record<ResolveAction, Exclude<ReportStatus, 'open'>> = {
  merge: 'merged',
  recategorise: 'recategorised',
  reassign: 'reassigned',
  dismiss: 'dismissed',
};

const note = z.string().trim().min(1).max(500);

export const createReportBody = z
  .strictObject({
    customerId: idSchema,
    kind: z.enum(REPORT_KINDS),
    /** duplicate only: the customer this one duplicates (may lie outside the reporter's scope) */
    targetCustomerId: idSchema.optional(),
    note,
  })
  .superRefine((b, ctx) => {
    if (b.kind === 'duplicate' && !b.targetCustomerId) {
      ctx.addIssue({ code: 'custom', path: ['targetCustomerId'], message: 'validation.required' });
    }
    if (b.kind !== 'duplicate' && b.targetCustomerId) {
      ctx.addIssue({ code: 'custom', path: ['targetCustomerId'], message: 'validation.invalid_value' });
    }
  });
export type CreateReportBody = z.infer<typeof createReportBody>;

export const reportListQuery = pageQuery.extend({
  /** open: the queue; resolved: everything settled */
  status: z.enum(['open', 'resolved']).default('open'),
});
export type ReportListQuery = z.infer<typeof reportListQuery>;

export const resolveReportBody = z.strictObject({
  action: z.enum(RESOLVE_ACTIONS),
  /** recategorise: the new main category (a key of the customer settings) */
  category: z.string().trim().min(1).max(30).optional(),
  /** reassign: the new owner */
  userId: idSchema.optional(),
  note: z.string().trim().max(500).optional(),
});
export type ResolveReportBody = z.infer<typeof resolveReportBody>;

/** POST /customers/:id/merge: `sourceId` is merged into the customer of the path. */
export const mergeCustomerBody = z.strictObject({
  sourceId: idSchema,
  note: z.string().trim().max(500).optional(),
});
export type MergeCustomerBody = z.infer<typeof mergeCustomerBody>;

export type MergeResult = {
  targetId: string;
  sourceId: string;
  /** rows moved per registered link, keyed `table.column` */
  moved: Record<string, number>;
};

export type CustomerReport = {
  id: string;
  kind: ReportKind;
  status: ReportStatus;
  customerId: string;
  /** null when the viewer may not see the customer (own reports only) */
  customerName: string | null;
  customerOwnerId: string | null;
  customerOwnerName: string | null;
  customerCategory: string | null;
  /** merged away or deleted since the report */
  customerDeleted: boolean;
  targetCustomerId: string | null;
  targetCustomerName: string | null;
  targetOwnerId: string | null;
  targetOwnerName: string | null;
  note: string | null;
  reporterId: string;
  reporterName: string | null;
  createdAt: string;
  resolvedBy: string | null;
  resolvedByName: string | null;
  resolvedAt: string | null;
  resolutionNote: string | null;
};

const day = z.iso.date();

export const qualityReportQuery = z
  .object({
    /** first day of the period (company time zone); default: the first of this month */
    from: day.optional(),
    /** last day of the period, inclusive; default: today */
    to: day.optional(),
    /** only users of this department and the departments below it (within the viewer's scope) */
    departmentId: idSchema.optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'validation.invalid_value', path: ['to'] });
export type QualityReportQuery = z.infer<typeof qualityReportQuery>;

export type QualityReportRow = {
  userId: string;
  userName: string;
  departmentId: string | null;
  departmentName: string | null;
  /** the user is disabled or has left (shown while their numbers matter) */
  inactive: boolean;
  /** duplicate entries attempted in the period (refused as duplicates) */
  duplicateAttempts: number;
  /** saves refused for missing required fields in the period */
  incompleteSaves: number;
  /** customers that went past their visit cycle in the period */
  overdueVisits: number;
  /** live customers the user owns now */
  owned: number;
  /** of those, how many lack a required field of their category now */
  incompleteNow: number;
  /** duplicateAttempts + incompleteSaves + overdueVisits + incompleteNow: the sort key */
  issues: number;
};

export type QualityReport = {
  from: string;
  to: string;
  items: QualityReportRow[];
  totals: Omit<QualityReportRow, 'userId' | 'userName' | 'departmentId' | 'departmentName' | 'inactive'>;
};
