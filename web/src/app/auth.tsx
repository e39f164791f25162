import { useCallback, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { can, type Action, type Capabilities } from '@common/permissions';
import type { MeResponse } from '@common/schemas/auth';
import { ApiError, get, post } from './api';
import type { FeatureRoute } from './features';

export type { MeResponse };
export const ME_QUERY_KEY = ['me'] as const;
export const SETUP_QUERY_KEY = ['setup'] as const;

/** An access rule as declared by a FeatureRoute (or a button): signed-in user, admin, or a permission. */
export type Access = FeatureRoute['access'];

/** GET /me as a query: `data` is the signed-in user, `null` when nobody is signed in. */
export function useMeQuery() {
  return useQuery({
    queryKey: ME_QUERY_KEY,
    queryFn: async (): Promise<MeResponse | null> => {
      try {
        return await get<MeResponse>('/me');
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: 5 * 60_000,
    retry: (count, e) => !(e instanceof ApiError && e.status < 500) && count < 2,
  });
}

/** GET /setup: whether the first-run set-up page must be shown. */
export function useSetupQuery() {
  return useQuery({
    queryKey: SETUP_QUERY_KEY,
    queryFn: () => get<{ needed: boolean }>('/setup'),
    staleTime: Infinity,
  });
}

/**
 * The signed-in user, company and capabilities. Only for pages inside the shell: the shell renders
 * them only once /me has answered with a user.
 */
export function useMe(): MeResponse {
  const { data } = useMeQuery();
  if (!data) throw new Error('useMe() used outside the signed-in shell');
  return data;
}

/** Whether capabilities satisfy an access rule. */
export function allows(caps: Capabilities | undefined, access: Access): boolean {
  if (!caps) return false;
  if (access === 'user') return true;
  if (access === 'admin') return caps.isAdmin;
  return can(caps, access.module, access.action);
}

/** `(module, action) => boolean` for the signed-in user; admins may do everything. */
export function useCan(): (module: string, action: Action) => boolean {
  const { data } = useMeQuery();
  const caps = data?.capabilities;
  return useCallback((module: string, action: Action) => (caps ? can(caps, module, action) : false), [caps]);
}

/** Whether the signed-in user satisfies an access rule ('user' | 'admin' | {module, action}). */
export function useAllows(): (access: Access) => boolean {
  const { data } = useMeQuery();
  const caps = data?.capabilities;
  return useCallback((access: Access) => allows(caps, access), [caps]);
}

/**
 * Renders its children only when the user may: `<Allowed access={{ module: 'org', action: 'create' }}>
 * <Button>…</Button></Allowed>`. The server enforces the same rule whatever the UI shows.
 */
export function Allowed({ access, children, fallback = null }: { access: Access; children: ReactNode; fallback?: ReactNode }) {
  return <>{useAllows()(access) ? children : fallback}</>;
}

/** Forgets everything cached for the previous user, so nothing leaks into the next sign-in. */
export function useSignedOut(): () => void {
  const queryClient = useQueryClient();
  return useCallback(() => {
    // /me stays in the cache, set to null, so its observers (RequireUser) see the change and
    // show the login page; a removed query would leave them looking at the old user
    queryClient.setQueryData(ME_QUERY_KEY, null);
    const keep = (key: readonly unknown[]) => key.length === 1 && (key[0] === ME_QUERY_KEY[0] || key[0] === SETUP_QUERY_KEY[0]);
    queryClient.removeQueries({ predicate: (q) => !keep(q.queryKey) });
  }, [queryClient]);
}

/**
 * Logs out on the server, then loads the login page afresh: nothing of this user's session
 * (query cache, socket, page state) survives into the next sign-in.
 */
export function useLogout(): () => Promise<void> {
  return useCallback(async () => {
    try {
      await post('/auth/logout');
    } catch {
      // already signed out on the server: nothing else to undo
    }
    window.location.replace('/login');
  }, []);
}

/** `next` query parameter → a safe same-origin path (never another site). */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next.startsWith('/login') || next.startsWith('/setup') || next.startsWith('/change-password')) return '/';
  return next;
}
