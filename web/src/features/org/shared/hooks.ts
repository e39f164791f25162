import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { get, qs } from '@web/app/api';
import type { Department, Page, Position, User } from './types';

export const orgKeys = {
  departments: ['org', 'departments'] as const,
  positions: ['org', 'positions'] as const,
  users: ['org', 'users'] as const,
  user: (id: string) => ['org', 'users', 'one', id] as const,
  handover: (id: string) => ['org', 'users', 'handover', id] as const,
};

/** Every department, flat (the tree is built on the client). */
export function useDepartments() {
  return useQuery({
    queryKey: orgKeys.departments,
    queryFn: () => get<{ items: Department[] }>('/departments').then((r) => r.items),
  });
}

export function usePositions() {
  return useQuery({
    queryKey: orgKeys.positions,
    queryFn: () => get<{ items: Position[] }>('/positions').then((r) => r.items),
  });
}

export type UserFilters = { q?: string; departmentId?: string; positionId?: string; status?: string };

/** Users page by page (keyset): `fetchNextPage` loads the next `limit` rows after the last one. */
export function useUserList(filters: UserFilters, limit = 50) {
  return useInfiniteQuery({
    queryKey: [...orgKeys.users, 'list', filters, limit],
    queryFn: ({ pageParam }) => get<Page<User>>(`/users${qs({ ...filters, cursor: pageParam, limit })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useUser(id: string | undefined) {
  return useQuery({
    queryKey: orgKeys.user(id ?? ''),
    queryFn: () => get<User>(`/users/${id}`),
    enabled: Boolean(id),
  });
}
