import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { del, get, patch, post, qs } from '@web/app/api';
import type { ConvertLeadBody, ConvertLeadResult, CreateLeadBody, Lead, LeadStatus, UpdateLeadBody } from '@common/schemas/leads';
import type { CreateFollowUpBody, FollowUp } from '@common/schemas/followups';
import { itemsOf, normaliseCustomField, type CustomField } from '@web/features/customers/api';

export type { Lead, LeadStatus };
export { LEAD_STATUSES, EDITABLE_LEAD_STATUSES } from '@common/schemas/leads';

/** Every lead query key starts with this; a write refreshes all of them. */
export const LEADS_KEY = ['leads'] as const;

export type LeadFilters = { q?: string; status?: LeadStatus; ownerId?: string; source?: string };
type LeadPage = { items: Lead[]; nextCursor: string | null; total?: number };

/** GET /leads page by page (keyset "load more"). */
export function useLeadList(filters: LeadFilters, limit = 50) {
  return useInfiniteQuery({
    queryKey: [...LEADS_KEY, 'list', filters, limit],
    queryFn: ({ pageParam }) => get<LeadPage>(`/leads${qs({ ...filters, cursor: pageParam, limit })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useLead(id: string | undefined) {
  return useQuery({
    queryKey: [...LEADS_KEY, 'one', id ?? ''],
    queryFn: () => get<Lead>(`/leads/${id}`),
    enabled: Boolean(id),
  });
}

/** The lead's follow-ups, newest first. */
export function useLeadFollowUps(leadId: string) {
  return useInfiniteQuery({
    queryKey: [...LEADS_KEY, 'one', leadId, 'followUps'],
    queryFn: ({ pageParam }) =>
      get<{ items: FollowUp[]; nextCursor: string | null }>(`/follow-ups${qs({ leadId, cursor: pageParam, limit: 20 })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** Every write on leads; each success refreshes what shows leads (and customers, after a conversion). */
export function useLeadMutations() {
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: LEADS_KEY });
  return {
    create: useMutation({ mutationFn: (body: CreateLeadBody) => post<Lead>('/leads', body), onSuccess: refresh }),
    update: useMutation({
      mutationFn: ({ id, ...body }: UpdateLeadBody & { id: string }) => patch<Lead>(`/leads/${id}`, body),
      onSuccess: refresh,
    }),
    remove: useMutation({ mutationFn: (id: string) => del<void>(`/leads/${id}`), onSuccess: refresh }),
    transfer: useMutation({
      mutationFn: (body: { ids: string[]; toUserId: string }) => post<{ moved: number }>('/leads/transfer', body),
      onSuccess: refresh,
    }),
    convert: useMutation({
      mutationFn: ({ id, ...body }: ConvertLeadBody & { id: string }) => post<ConvertLeadResult>(`/leads/${id}/convert`, body),
      onSuccess: () => {
        void refresh();
        void qc.invalidateQueries({ queryKey: ['customers'] });
      },
    }),
    followUp: useMutation({ mutationFn: (body: CreateFollowUpBody) => post<FollowUp>('/follow-ups', body), onSuccess: refresh }),
  };
}

export const STATUS_COLORS: Record<LeadStatus, string> = { new: 'blue', following: 'gold', converted: 'green', invalid: 'default' };

/** Custom field definitions of leads, in their order (same cache shape as the customer pages'). */
export function useLeadCustomFields() {
  return useQuery({
    queryKey: ['customers', 'customFields', 'lead'],
    queryFn: async (): Promise<CustomField[]> =>
      itemsOf<Record<string, unknown>>(await get(`/custom-fields${qs({ entity: 'lead' })}`))
        .map(normaliseCustomField)
        .sort((a, b) => a.sortOrder - b.sortOrder),
    staleTime: 5 * 60_000,
  });
}
