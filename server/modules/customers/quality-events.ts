import type { DbOrTx } from '@server/db/types';
import { newId, nowIso } from '@server/db/ids';

/** What the data-quality report (数据质量) counts per salesperson. */
export type QualityEventKind = 'duplicate_attempt' | 'incomplete_save' | 'overdue_visit';

export type QualityEvent = {
  userId: string;
  kind: QualityEventKind;
  customerId?: string | null;
  /** a short note for the report's detail view, e.g. the refused name or the missing fields */
  detail?: string | null;
  /** defaults to now; jobs pass their controllable clock */
  at?: Date | string;
};

/**
 * Appends one data-quality event (customer_quality_events). Refusals (a duplicate, an incomplete
 * save) are recorded by the caller in their OWN small transaction after the refused one rolled
 * back, so the refusal still leaves its trace.
 */
export async function recordQualityEvent(db: DbOrTx, e: QualityEvent): Promise<void> {
  const at = e.at === undefined ? nowIso() : typeof e.at === 'string' ? e.at : nowIso(e.at);
  await db
    .insertInto('customer_quality_events')
    .values({
      id: newId(),
      user_id: e.userId,
      kind: e.kind,
      customer_id: e.customerId ?? null,
      detail: e.detail ? e.detail.slice(0, 500) : null,
      at,
    })
    .execute();
}
