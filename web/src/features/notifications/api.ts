import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, qs } from '@web/app/api';

/** One notification as GET /notifications lists it. */
export type Notification = {
  id: string;
  type: string;
  title: string;
  body: string | null;
  link: string | null;
  readAt: string | null;
  createdAt: string;
};
export type NotificationPage = { items: Notification[]; nextCursor: string | null; unread: number };

/** Every notifications query starts with this key: invalidate it when something changes. */
export const NOTIFICATIONS_KEY = ['notifications'] as const;

const fetchPage = (p: { unread?: boolean; cursor?: string; limit: number }) =>
  get<NotificationPage>(`/notifications${qs({ unread: p.unread ? 'true' : undefined, cursor: p.cursor, limit: p.limit })}`);

/** The latest few notifications and the unread count, for the top-bar bell. */
export function useNotificationSummary() {
  return useQuery({
    queryKey: [...NOTIFICATIONS_KEY, 'summary'],
    queryFn: () => fetchPage({ limit: 6 }),
    // pushed over the WebSocket; the interval only covers a dropped connection
    refetchInterval: 5 * 60_000,
  });
}

/** The full list, page by page (keyset cursor), optionally unread only. */
export function useNotificationList(unreadOnly: boolean) {
  return useInfiniteQuery({
    queryKey: [...NOTIFICATIONS_KEY, 'list', { unreadOnly }],
    queryFn: ({ pageParam }) => fetchPage({ unread: unreadOnly, cursor: pageParam, limit: 20 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** Marks one notification read. */
export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => post(`/notifications/${encodeURIComponent(id)}/read`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: NOTIFICATIONS_KEY }),
  });
}

/** Marks every notification of the user read. */
export function useMarkAllRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => post('/notifications/read-all'),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: NOTIFICATIONS_KEY }),
  });
}
