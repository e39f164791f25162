import { useCallback } from 'react';
import { useInfiniteQuery, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { get, qs } from '@web/app/api';
import type { Contact } from '@common/schemas/contacts';
import type { Customer360 } from '@common/schemas/customers';
import type { CustomerSettings } from '@common/schemas/customer-settings';
import {
  customerKeys,
  itemsOf,
  normaliseCustomField,
  type CustomerDetail,
  type CustomerKind,
  type CustomerPage,
  type CustomField,
  type FileInfo,
  type FollowUp,
  type ListFilter,
  type OwnerHistoryEntry,
  type SavedView,
  type Schedule,
} from './api';

/** What the list shows: the URL state of the customer list, as query parameters. */
export type ListParams = {
  kind: CustomerKind;
  view?: 'all' | 'mine' | 'team' | 'pool';
  q?: string;
  ownerId?: string;
  category?: string;
  stage?: string;
  importance?: string;
  tag?: string;
  overdue?: boolean;
  filters?: ListFilter[];
  sort?: string;
  order?: 'asc' | 'desc';
};

export function listQueryString(p: ListParams, extra: Record<string, string | number | undefined> = {}): string {
  return qs({
    kind: p.kind,
    view: p.view && p.view !== 'all' ? p.view : undefined,
    q: p.q,
    ownerId: p.ownerId,
    category: p.category,
    stage: p.stage,
    importance: p.importance,
    tag: p.tag,
    overdue: p.overdue ? 'true' : undefined,
    filters: p.filters?.length ? JSON.stringify(p.filters) : undefined,
    sort: p.sort,
    order: p.sort ? p.order : undefined,
    ...extra,
  });
}

/** Customers page by page (keyset "load more"); `total` and `totalCapped` come with each page. */
export function useCustomerList(params: ListParams, limit = 50, enabled = true) {
  return useInfiniteQuery({
    queryKey: customerKeys.list({ ...params, limit }),
    queryFn: ({ pageParam }) => get<CustomerPage>(`/customers${listQueryString(params, { cursor: pageParam, limit })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
}

/**
 * The customer page in one request (GET /customers/:id/360). The page's parts (record, contacts,
 * follow-ups, owner history) start from it: their own queries take it as initial data, so opening
 * the page costs one request; each part refetches alone after a change.
 */
export function useCustomer360(id: string) {
  return useQuery({ queryKey: customerKeys.sub(id, '360'), queryFn: () => get<Customer360>(`/customers/${id}/360`) });
}

/** `initialData` / `initialDataUpdatedAt` of a part, taken from the customer's 360° answer when cached. */
function fromOverview<T>(qc: QueryClient, id: string, pick: (o: Customer360) => T) {
  const key = customerKeys.sub(id, '360');
  return {
    initialData: () => {
      const o = qc.getQueryData<Customer360>(key);
      return o ? pick(o) : undefined;
    },
    initialDataUpdatedAt: () => qc.getQueryState(key)?.dataUpdatedAt,
  };
}

export function useCustomer(id: string | undefined) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: customerKeys.one(id ?? ''),
    queryFn: () => get<CustomerDetail>(`/customers/${id}`),
    enabled: Boolean(id),
    ...fromOverview<CustomerDetail>(qc, id ?? '', (o) => ({ ...o.customer, team: o.team })),
  });
}

/** The customer standards (categories, stages, importances, sources, industries…). */
export function useCustomerSettings() {
  return useQuery({
    queryKey: customerKeys.settings,
    queryFn: () => get<CustomerSettings>('/customer-settings'),
    staleTime: 5 * 60_000,
  });
}

/** key → label of one definable list; unknown keys show as themselves. */
export function useSettingLabel() {
  const { data } = useCustomerSettings();
  return useCallback(
    (list: 'categories' | 'stages' | 'importances' | 'sources' | 'industries', key: string | null | undefined): string => {
      if (!key) return '';
      return data?.[list].find((o) => o.key === key)?.label ?? key;
    },
    [data],
  );
}

/** Custom field definitions of an entity, in their order; an install without the endpoint has none. */
export function useCustomFields(entity: 'customer' | 'contact' = 'customer') {
  return useQuery({
    queryKey: customerKeys.customFields(entity),
    queryFn: async (): Promise<CustomField[]> =>
      itemsOf<Record<string, unknown>>(await get(`/custom-fields${qs({ entity })}`))
        .map(normaliseCustomField)
        .sort((a, b) => a.sortOrder - b.sortOrder),
    staleTime: 5 * 60_000,
  });
}

export function useContacts(customerId: string, enabled = true) {
  const qc = useQueryClient();
  return useQuery({
    enabled,
    queryKey: customerKeys.sub(customerId, 'contacts'),
    queryFn: async () => itemsOf<Contact>(await get(`/contacts${qs({ customerId, limit: 200 })}`)),
    ...fromOverview(qc, customerId, (o) => o.contacts),
  });
}

type FollowUpPage = { items: FollowUp[]; nextCursor: string | null };

export function useFollowUps(customerId: string) {
  const qc = useQueryClient();
  return useInfiniteQuery({
    queryKey: customerKeys.sub(customerId, 'followUps'),
    queryFn: ({ pageParam }) => get<FollowUpPage>(`/follow-ups${qs({ customerId, cursor: pageParam, limit: 20 })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    ...fromOverview(qc, customerId, (o) => ({
      pages: [{ items: o.followUps, nextCursor: o.followUpsNextCursor }],
      pageParams: [undefined as string | undefined],
    })),
  });
}

export function useSchedules(customerId: string) {
  return useQuery({
    queryKey: customerKeys.sub(customerId, 'schedules'),
    queryFn: async () => itemsOf<Schedule>(await get(`/schedules${qs({ customerId, limit: 200 })}`)),
  });
}

export function useOwnerHistory(customerId: string) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: customerKeys.sub(customerId, 'ownerHistory'),
    queryFn: async () => itemsOf<OwnerHistoryEntry>(await get(`/customers/${customerId}/owner-history`)),
    ...fromOverview(qc, customerId, (o) => o.ownerHistory),
  });
}

export function useCustomerFiles(customerId: string) {
  return useQuery({
    queryKey: customerKeys.sub(customerId, 'files'),
    // files attached to the customer itself (附件); a failure shows as an error, not as "none"
    queryFn: async () => itemsOf<FileInfo>(await get(`/files${qs({ entity: 'customer', entityId: customerId })}`)),
  });
}

/** Saved list views of customers: mine and those shared with everyone. */
export function useSavedViews() {
  return useQuery({
    queryKey: customerKeys.views,
    queryFn: async () => itemsOf<SavedView>(await get(`/saved-views${qs({ entity: 'customer' })}`)),
    staleTime: 60_000,
  });
}
