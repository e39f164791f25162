import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { del, get, patch, post } from '@web/app/api';
import { ME_QUERY_KEY, type MeResponse } from '@web/app/auth';

export type SessionItem = {
  id: string;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
  lastSeenAt: string | null;
  expiresAt: string;
  remember: boolean;
  current: boolean;
};
export type ApiTokenItem = {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
};
export type CreatedApiToken = ApiTokenItem & { token: string };

const SESSIONS_KEY = ['me', 'sessions'] as const;
const TOKENS_KEY = ['me', 'api-tokens'] as const;

/** PATCH /me {name?, locale?}; the answer replaces the cached /me. */
export function useUpdateProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { name?: string; locale?: string }) => patch<MeResponse>('/me', body),
    onSuccess: (me) => queryClient.setQueryData(ME_QUERY_KEY, me),
  });
}

/** POST /me/password: other sessions end on the server; refresh the list we may show. */
export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) => post('/me/password', body),
    onSuccess: () => {
      // lift the forced-change flag at once, so the next page is not sent back here before /me reloads
      queryClient.setQueryData<MeResponse | null>(ME_QUERY_KEY, (me) =>
        me ? { ...me, user: { ...me.user, mustChangePassword: false } } : me,
      );
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY, exact: true }),
        queryClient.invalidateQueries({ queryKey: SESSIONS_KEY }),
      ]);
    },
  });
}

export function useSessions() {
  return useQuery({ queryKey: SESSIONS_KEY, queryFn: () => get<{ items: SessionItem[] }>('/me/sessions') });
}

export function useRevokeSession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => del(`/me/sessions/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: SESSIONS_KEY }),
  });
}

export function useApiTokens() {
  return useQuery({ queryKey: TOKENS_KEY, queryFn: () => get<{ items: ApiTokenItem[] }>('/api-tokens') });
}

export function useCreateApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; expiresAt?: string }) => post<CreatedApiToken>('/api-tokens', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: TOKENS_KEY }),
  });
}

export function useRevokeApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => del(`/api-tokens/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: TOKENS_KEY }),
  });
}

/** "Chrome · Windows" from a User-Agent header: enough to recognise one's own devices. */
export function describeUserAgent(ua: string | null): string | null {
  if (!ua) return null;
  const browser = /wxwork/i.test(ua)
    ? 'WeChat Work'
    : /MicroMessenger/i.test(ua)
      ? 'WeChat'
      : /Edg\//.test(ua)
        ? 'Edge'
        : /OPR\/|Opera/.test(ua)
          ? 'Opera'
          : /Firefox\//.test(ua)
            ? 'Firefox'
            : /Chrome\/|Chromium\/|CriOS/.test(ua)
              ? 'Chrome'
              : /Safari\//.test(ua)
                ? 'Safari'
                : /curl|python|node|axios|okhttp/i.test(ua)
                  ? ua.split(/[\s/]/)[0]
                  : null;
  const os = /Windows/.test(ua)
    ? 'Windows'
    : /iPhone|iPad|iPod/.test(ua)
      ? 'iOS'
      : /Mac OS X|Macintosh/.test(ua)
        ? 'macOS'
        : /HarmonyOS|OpenHarmony/.test(ua)
          ? 'HarmonyOS'
          : /Android/.test(ua)
            ? 'Android'
            : /Linux/.test(ua)
              ? 'Linux'
              : null;
  return [browser, os].filter(Boolean).join(' · ') || ua.slice(0, 60);
}
