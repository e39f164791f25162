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

// ---------------------------------------------------------------- transfers under approval (移交审批)

/** Why an approved transfer left a customer where it was. */
export type TransferSkipReason = 'owner_changed' | 'deleted' | 'target_inactive';

/** What an approved transfer request did: the moves, and the customers it skipped. */
export type TransferRequestResult = TransferResult & { skipped: { id: string; name: string; reason: TransferSkipReason }[] };

/**
 * 202 from POST /customers/transfer when an approval flow applies: nothing has moved yet and the
 * customers are held until the approval ends. `status` is the approval's right after submission:
 * 'pending' as a rule; 'approved' when every point was skipped (then `result` says what moved), or
 * 'rejected' when a point without approvers rejects.
 */
export type TransferSubmitted = {
  status: 'pending' | 'returned' | 'approved' | 'rejected' | 'withdrawn';
  requestId: string;
  approvalId: string;
  result?: TransferRequestResult | null;
};

/** 202 from the bulk transfer when a flow applies: one request for the customers that passed; the rest failed. */
export type BulkTransferSubmitted = TransferSubmitted & { failed: BulkFailure[] };

/** One transfer request (移交申请) touching a customer, as GET /customers/:id/transfer-requests lists it. */
export type CustomerTransferRequest = {
  id: string;
  /** pending | returned (both hold the customers) | approved | rejected | withdrawn */
  status: TransferSubmitted['status'];
  approvalId: string | null;
  submitterId: string;
  submitterName: string | null;
  toUserId: string;
  toName: string | null;
  /** this customer's owner when the request was made */
  fromUserId: string | null;
  fromName: string | null;
  customerCount: number;
  note: string | null;
  result: TransferRequestResult | null;
  createdAt: string;
  updatedAt: string;
};
