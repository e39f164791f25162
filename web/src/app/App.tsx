import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { App as AntApp } from 'antd';
import { ApiError, setUnauthenticatedHandler, patch } from './api';
import { ME_QUERY_KEY, safeNext, useMeQuery, useSetupQuery, useSignedOut, type MeResponse } from './auth';
import { I18nProvider, isLocale, useLocale, useT } from './i18n';
import { FullPageSpin, LoadError } from './StatusPages';

// Pages outside the shell are separate chunks: the login page must not pull in the layout.
const SetupPage = lazy(() => import('@web/features/auth/SetupPage').then((m) => ({ default: m.SetupPage })));
const LoginPage = lazy(() => import('@web/features/auth/LoginPage').then((m) => ({ default: m.LoginPage })));
const ChangePasswordPage = lazy(() => import('@web/features/auth/ChangePasswordPage').then((m) => ({ default: m.ChangePasswordPage })));
const ForgotPasswordPage = lazy(() => import('@web/features/auth/ForgotPasswordPage').then((m) => ({ default: m.ForgotPasswordPage })));
const SetPasswordPage = lazy(() => import('@web/features/auth/SetPasswordPage').then((m) => ({ default: m.SetPasswordPage })));
const Shell = lazy(() => import('./Shell').then((m) => ({ default: m.Shell })));

function makeQueryClient(): QueryClient {
  // a request refused because the password must change first: reload /me, which sends the user there
  const onError = (e: unknown) => {
    if (e instanceof ApiError && e.problem.code === 'password_change_required') {
      void client.invalidateQueries({ queryKey: ME_QUERY_KEY, exact: true });
    }
  };
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: (count, e) => !(e instanceof ApiError && e.status < 500) && count < 2,
      },
    },
  });
  return client;
}

const queryClient = makeQueryClient();

/** The root component: providers, then the router. */
export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <BrowserRouter>
          <SessionWatcher />
          <AppRoutes />
        </BrowserRouter>
      </I18nProvider>
    </QueryClientProvider>
  );
}

/**
 * Any request answering 401 while we believed we were signed in (session revoked, expired, user
 * disabled): forget the user; RequireUser then shows the login page with `next`.
 */
function SessionWatcher() {
  const signedOut = useSignedOut();
  const { message } = AntApp.useApp();
  const t = useT();
  useEffect(() => {
    setUnauthenticatedHandler(() => {
      if (!queryClient.getQueryData<MeResponse | null>(ME_QUERY_KEY)) return;
      signedOut();
      void message.warning(t('shell.sessionEnded'));
    });
  }, [signedOut, message, t]);
  return null;
}

/** The profile's language wins on sign-in; a profile without one takes the language chosen here. */
function useProfileLocale(me: MeResponse | null | undefined) {
  const { locale, adoptLocale } = useLocale();
  const userId = me?.user.id;
  const profileLocale = me?.user.locale;
  const pendingPassword = me?.user.mustChangePassword;
  useEffect(() => {
    if (!userId) return;
    if (isLocale(profileLocale)) {
      if (profileLocale !== locale) adoptLocale(profileLocale);
    } else if (!pendingPassword) {
      // (the server refuses profile writes until a forced password change is done)
      patch<MeResponse>('/me', { locale }).then(
        (fresh) => queryClient.setQueryData(ME_QUERY_KEY, fresh),
        () => undefined,
      );
    }
    // only when the signed-in user or their stored language changes
  }, [userId, profileLocale, pendingPassword]);
}

/** Pages for a signed-in user only; sends everyone else to the login page, keeping where they were going. */
function RequireUser({ children, allowPendingPassword = false }: { children: ReactNode; allowPendingPassword?: boolean }) {
  const me = useMeQuery();
  const location = useLocation();
  useProfileLocale(me.data);
  if (me.isPending) return <FullPageSpin />;
  if (me.isError) return <LoadError onRetry={() => void me.refetch()} />;
  const here = location.pathname + location.search;
  if (!me.data) return <Navigate to={`/login?next=${encodeURIComponent(here)}`} replace />;
  if (me.data.user.mustChangePassword && !allowPendingPassword) {
    return <Navigate to={`/change-password?next=${encodeURIComponent(safeNext(here))}`} replace />;
  }
  return <>{children}</>;
}

function AppRoutes() {
  const setup = useSetupQuery();
  useMeQuery(); // asked together with /setup rather than after it
  if (setup.isPending) return <FullPageSpin />;
  if (setup.isError) return <LoadError onRetry={() => void setup.refetch()} />;
  const needed = setup.data.needed;
  return (
    <Suspense fallback={<FullPageSpin />}>
      <Routes>
        <Route path="/setup" element={needed ? <SetupPage /> : <Navigate to="/" replace />} />
        {needed ? (
          <Route path="*" element={<Navigate to="/setup" replace />} />
        ) : (
          <>
            <Route path="/login" element={<LoginPage />} />
            {/* public: the links of password-reset and invitation mails */}
            <Route path="/forgot-password" element={<ForgotPasswordPage />} />
            <Route path="/set-password" element={<SetPasswordPage />} />
            <Route
              path="/change-password"
              element={
                <RequireUser allowPendingPassword>
                  <ChangePasswordPage />
                </RequireUser>
              }
            />
            <Route
              path="*"
              element={
                <RequireUser>
                  <Shell />
                </RequireUser>
              }
            />
          </>
        )}
      </Routes>
    </Suspense>
  );
}
