import { useInfiniteQuery, useQuery, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { get, qs } from '@web/app/api';
import { useRealtime } from '@web/app/realtime';
import type {
  ComposeBody,
  MailAccount,
  MailBatch,
  MailBatchRecipient,
  MailFolder,
  MailListItem,
  MailMessage,
  SystemMailSettings,
} from '@common/schemas/mail';

export type { ComposeBody, MailAccount, MailBatch, MailBatchRecipient, MailFolder, MailListItem, MailMessage, SystemMailSettings };

/** Every mail query key starts with this: one invalidation refreshes lists, counts and accounts. */
export const MAIL_KEY = ['mail'] as const;
export const mailKeys = {
  accounts: [...MAIL_KEY, 'accounts'] as const,
  lists: [...MAIL_KEY, 'list'] as const,
  list: (params: object) => [...MAIL_KEY, 'list', params] as const,
  message: (id: string, images: boolean) => [...MAIL_KEY, 'message', id, images] as const,
  messageAny: (id: string) => [...MAIL_KEY, 'message', id] as const,
  unread: [...MAIL_KEY, 'unread'] as const,
  batches: [...MAIL_KEY, 'batches'] as const,
  batch: (id: string) => [...MAIL_KEY, 'batches', id] as const,
  system: [...MAIL_KEY, 'system'] as const,
  ofCustomer: (customerId: string) => [...MAIL_KEY, 'customer', customerId] as const,
};

export type MailPage = { items: MailListItem[]; nextCursor: string | null };
export type UnreadCount = { count: number; byAccount: Record<string, number> };
export type BatchDetail = MailBatch & { recipients: MailBatchRecipient[] };
export type ListParams = { folder: MailFolder; accountId?: string; q?: string; unread?: boolean };

const enc = encodeURIComponent;

/** The signed-in user's own mail accounts. */
export function useMailAccounts() {
  return useQuery({
    queryKey: mailKeys.accounts,
    queryFn: async () => (await get<{ items: MailAccount[] }>('/mail/accounts')).items,
  });
}

/** One folder of the mailbox, page by page (keyset cursor). */
export function useMailList(p: ListParams) {
  return useInfiniteQuery({
    queryKey: mailKeys.list(p),
    queryFn: ({ pageParam }) =>
      get<MailPage>(
        `/mail/messages${qs({ folder: p.folder, accountId: p.accountId, q: p.q, unread: p.unread, cursor: pageParam, limit: 30 })}`,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** One message (opening it marks it read on the server); `images` lets remote images through. */
export function useMailMessage(id: string | null, images = false) {
  return useQuery({
    enabled: !!id,
    queryKey: mailKeys.message(id ?? '', images),
    queryFn: () => get<MailMessage>(`/mail/messages/${enc(id ?? '')}${images ? '?images=1' : ''}`),
    staleTime: 60_000,
  });
}

/** The same, always read afresh (a draft's version, a reply's original with its images): never from the cache. */
export function useMessageForCompose(id: string | null) {
  return useQuery({
    enabled: !!id,
    queryKey: [...mailKeys.message(id ?? '', true), 'compose'],
    queryFn: () => get<MailMessage>(`/mail/messages/${enc(id ?? '')}?images=1`),
    staleTime: 0,
    gcTime: 0,
  });
}

export function useUnreadCount() {
  return useQuery({ queryKey: mailKeys.unread, queryFn: () => get<UnreadCount>('/mail/unread-count') });
}

/** A customer's mail for its timeline (within the reader's scope), page by page. */
export function useCustomerMail(customerId: string) {
  return useInfiniteQuery({
    queryKey: mailKeys.ofCustomer(customerId),
    queryFn: ({ pageParam }) => get<MailPage>(`/mail/messages${qs({ customerId, cursor: pageParam, limit: 20 })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    retry: false,
  });
}

export function useBatches() {
  return useInfiniteQuery({
    queryKey: mailKeys.batches,
    queryFn: ({ pageParam }) =>
      get<{ items: MailBatch[]; nextCursor: string | null }>(`/mail/batches${qs({ cursor: pageParam, limit: 20 })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useBatch(id: string | null) {
  return useQuery({ enabled: !!id, queryKey: mailKeys.batch(id ?? ''), queryFn: () => get<BatchDetail>(`/mail/batches/${enc(id ?? '')}`) });
}

/**
 * Keeps every mail query of the page live: new or moved mail (`mail`) refreshes lists and counts,
 * group-send progress (`mail_batch`) refreshes that run.
 */
export function useMailLive() {
  const qc = useQueryClient();
  useRealtime('mail', () => {
    void qc.invalidateQueries({ queryKey: mailKeys.lists });
    void qc.invalidateQueries({ queryKey: mailKeys.unread });
    void qc.invalidateQueries({ queryKey: mailKeys.accounts });
  });
  useRealtime('mail_batch', (data) => {
    const b = data as MailBatch | undefined;
    if (!b?.id) return;
    // the run's new counts go straight into the list; a run not listed yet needs the list again
    let listed = false;
    qc.setQueryData<InfiniteData<{ items: MailBatch[]; nextCursor: string | null }>>(mailKeys.batches, (old) =>
      old
        ? {
            ...old,
            pages: old.pages.map((p) => ({
              ...p,
              items: p.items.map((x) => {
                if (x.id !== b.id) return x;
                listed = true;
                return { ...x, ...b };
              }),
            })),
          }
        : old,
    );
    if (!listed) void qc.invalidateQueries({ queryKey: mailKeys.batches, exact: true });
    qc.setQueryData<BatchDetail>(mailKeys.batch(b.id), (old) => (old ? { ...old, ...b } : old));
    void qc.invalidateQueries({ queryKey: mailKeys.batch(b.id) });
  });
  // after a reconnection anything may have happened meanwhile
  useRealtime('connected', () => void qc.invalidateQueries({ queryKey: MAIL_KEY }));
}

/** "Name <address>" or the bare address. */
export function formatAddress(a: { name?: string | null; address: string } | null | undefined): string {
  if (!a) return '';
  return a.name ? `${a.name} <${a.address}>` : a.address;
}

/** The short form shown in lists: the name, else the address. */
export function shortAddress(a: { name?: string | null; address: string } | null | undefined): string {
  if (!a) return '';
  return a.name || a.address;
}
