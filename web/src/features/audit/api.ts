import { useInfiniteQuery } from '@tanstack/react-query';
import { get, qs } from '@web/app/api';

/** One audit entry; `changes` is field → [before, after] (secrets masked by the server). */
export type AuditEntry = {
  id: string;
  at: string;
  actorId: string | null;
  actorName: string | null;
  ip: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  changes: Record<string, [unknown, unknown]> | null;
  detail: string | null;
};

export type AuditFilters = { actorId?: string; entity?: string; entityId?: string; action?: string; from?: string; to?: string };

type AuditPage = { items: AuditEntry[]; nextCursor: string | null };

/** Entities and actions the platform writes today; modules add theirs (the filters also accept others). */
export const KNOWN_ENTITIES = ['user', 'department', 'position', 'company', 'api_token', 'settings', 'job', 'recycle_bin'];
export const KNOWN_ACTIONS = [
  'create',
  'update',
  'delete',
  'restore',
  'purge',
  'permission',
  'status',
  'password_reset',
  'password_change',
  'handover',
  'login',
  'login_failed',
  'lock',
  'logout',
  'session_revoke',
  'setup',
  'retry',
];

/** GET /audit, newest first, page by page. */
export function useAuditLog(filters: AuditFilters, limit = 50) {
  return useInfiniteQuery({
    queryKey: ['audit', 'search', filters, limit],
    queryFn: ({ pageParam }) => get<AuditPage>(`/audit${qs({ ...filters, cursor: pageParam, limit })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** GET /audit/:entity/:id: one record's history. */
export function useRecordHistory(entity: string, id: string, limit = 20) {
  return useInfiniteQuery({
    queryKey: ['audit', 'record', entity, id, limit],
    queryFn: ({ pageParam }) =>
      get<AuditPage>(`/audit/${encodeURIComponent(entity)}/${encodeURIComponent(id)}${qs({ cursor: pageParam, limit })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}
