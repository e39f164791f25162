import { useQueryClient } from '@tanstack/react-query';
import { useRealtime } from '@web/app/realtime';
import { customerKeys } from '../api';

/**
 * Keeps an open customer page current from what the server pushes: a notification about this
 * customer (transferred, released, about to be recycled, reported…) refetches it and its tabs.
 * Everything the user does here refreshes through the mutations themselves.
 */
export function useCustomerLive(id: string) {
  const qc = useQueryClient();
  useRealtime('notification', (data) => {
    const link = (data as { link?: string | null } | undefined)?.link ?? '';
    if (link === `/customers/${id}` || link.startsWith(`/customers/${id}?`)) void qc.invalidateQueries({ queryKey: customerKeys.one(id) });
  });
}
