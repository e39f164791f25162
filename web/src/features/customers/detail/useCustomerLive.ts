import { useQueryClient } from '@tanstack/react-query';
import { useRealtime } from '@web/app/realtime';
import { customerKeys } from '../api';

type Event = { id?: string; customerId?: string; ids?: string[] } | undefined;

/**
 * Keeps an open customer page current: when the server pushes a change of this customer (another
 * user edited it, wrote a follow-up, transferred it), its queries are refetched.
 */
export function useCustomerLive(id: string) {
  const qc = useQueryClient();
  const onEvent = (data: unknown) => {
    const e = data as Event;
    const ids = [e?.id, e?.customerId, ...(e?.ids ?? [])];
    if (ids.includes(id)) void qc.invalidateQueries({ queryKey: customerKeys.one(id) });
  };
  useRealtime('customer_changed', onEvent);
  useRealtime('customers_changed', onEvent);
}
