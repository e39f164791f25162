import { z } from 'zod';
import { idSchema } from './fields';

/** Public pool (公海), owner changes, transfer (移交) and bulk actions on customers: shapes shared by server and web. */

const note = z.string().trim().max(500).nullable().optional();
const tag = z.string().trim().min(1).max(20);
/** customers acted on at once (bulk and transfer) */
export const MAX_BULK = 500;
const ids = z.array(idSchema).min(1).max(MAX_BULK);

/** POST /customers/:id/release */
export const releaseBody = z.strictObject({ note });

/** POST /customers/:id/assign (admins): from the pool or from another owner */
export const assignBody = z.strictObject({ userId: idSchema, note });

/** POST /customers/transfer (移交): the customers, their contacts, open schedules and open follow-ups */
export const transferBody = z.strictObject({ ids, toUserId: idSchema, note });
export type TransferBody = z.infer<typeof transferBody>;

export const BULK_ACTIONS = ['release', 'tag', 'untag', 'delete', 'transfer'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

/** POST /customers/bulk: `tags` for tag / untag, `toUserId` for transfer */
export const bulkBody = z
  .strictObject({
    action: z.enum(BULK_ACTIONS),
    ids,
    tags: z.array(tag).min(1).max(30).optional(),
    toUserId: idSchema.optional(),
    note,
  })
  .superRefine((b, ctx) => {
    if ((b.action === 'tag' || b.action === 'untag') && !b.tags)
      ctx.addIssue({ code: 'custom', path: ['tags'], message: 'validation.required' });
    if (b.action === 'transfer' && !b.toUserId) ctx.addIssue({ code: 'custom', path: ['toUserId'], message: 'validation.required' });
  });
export type BulkBody = z.infer<typeof bulkBody>;

/** One customer a bulk action could not do, with the reason in the caller's language. */
export type BulkFailure = { id: string; code: string; message: string };
export type BulkResult = { done: number; failed: BulkFailure[] };

/** POST /customers/transfer: `done` (= `transferred`) counts the customers moved, as in a bulk result. */
export type TransferResult = { transferred: number; done: number; schedules: number; followUps: number };

/** One owner change (归属变更) of a customer; `toUserId` null = into the pool. */
export type OwnerHistoryEntry = {
  fromUserId: string | null;
  fromName: string | null;
  toUserId: string | null;
  toName: string | null;
  /** create | claim | release | assign | transfer | recycle | handover | merge | convert */
  reason: string;
  note: string | null;
  /** null: the system (recycle job) */
  actorName: string | null;
  at: string;
};
