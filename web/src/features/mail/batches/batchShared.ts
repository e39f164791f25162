import { useQueryClient } from '@tanstack/react-query';
import { post } from '@web/app/api';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import { mailKeys, type MailBatch } from '../api';

export const BATCH_STATUS_COLORS: Record<MailBatch['status'], string> = {
  queued: 'default',
  running: 'processing',
  done: 'success',
  cancelled: 'warning',
};

/** Share of the run that has an outcome (sent or failed). */
export const batchPercent = (b: MailBatch) => (b.total ? Math.floor(((b.sent + b.failed) / b.total) * 100) : 100);

/** Cancels a queued or running run; shared by the list and the detail. */
export function useCancelBatch() {
  const qc = useQueryClient();
  const feedback = useFeedback();
  return async (b: MailBatch) => {
    try {
      await post(`/mail/batches/${encodeURIComponent(b.id)}/cancel`);
      feedback.success('mailui.batches.cancelled');
    } catch (e) {
      feedback.failure(e);
    } finally {
      void qc.invalidateQueries({ queryKey: mailKeys.batches });
    }
  };
}
