import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ConfigProvider, App as AntApp, theme as antTheme } from 'antd';
import zhCNAntd from 'antd/locale/zh_CN';
import enUSAntd from 'antd/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import relativeTime from 'dayjs/plugin/relativeTime';
import { useQueryClient } from '@tanstack/react-query';
import { DEFAULT_LOCALE, LOCALES, translate, type Locale, type Params } from '@common/messages/index';
import type { MeResponse } from '@common/schemas/auth';
import { patch } from './api';

dayjs.extend(relativeTime);

const STORAGE_KEY = 'xt.locale';
const ANTD_LOCALES = { 'zh-CN': zhCNAntd, 'en-US': enUSAntd } as const;
const DAYJS_LOCALES = { 'zh-CN': 'zh-cn', 'en-US': 'en' } as const;
/** the query key of GET /me; kept here too so i18n does not import the auth module */
const ME_KEY = ['me'];

export type TFunction = (key: string, params?: Params) => string;

type I18nContext = {
  locale: Locale;
  /** switch language; saved in this browser and, when signed in, in the user's profile */
  setLocale: (locale: Locale) => void;
  /** switch language without writing the profile (used when the profile itself says so) */
  adoptLocale: (locale: Locale) => void;
  t: TFunction;
};

const Ctx = createContext<I18nContext | null>(null);

export function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v);
}

function initialLocale(): Locale {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isLocale(stored)) return stored;
  } catch {
    // storage may be blocked (private mode): fall back to the default
  }
  return DEFAULT_LOCALE;
}

/** applied synchronously so the very first API request already carries the right Accept-Language */
function applyToDocument(locale: Locale) {
  document.documentElement.lang = locale;
  dayjs.locale(DAYJS_LOCALES[locale]);
}

/** Language state for the whole app: message catalog, antd locale, dayjs locale, <html lang>. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [locale, setState] = useState<Locale>(() => {
    const l = initialLocale();
    applyToDocument(l);
    return l;
  });

  const adoptLocale = useCallback((next: Locale) => {
    applyToDocument(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // not fatal: the profile still remembers it
    }
    setState(next);
  }, []);

  const setLocale = useCallback(
    (next: Locale) => {
      adoptLocale(next);
      const me = queryClient.getQueryData<MeResponse | null>(ME_KEY);
      if (!me || me.user.locale === next) return;
      // optimistic, so a refetch of /me in flight does not switch the language back
      const optimistic: MeResponse = { ...me, user: { ...me.user, locale: next } };
      queryClient.setQueryData(ME_KEY, optimistic);
      patch<MeResponse>('/me', { locale: next }).then(
        (fresh) => queryClient.setQueryData(ME_KEY, fresh),
        () => undefined, // the local choice stands; the profile is updated next time
      );
    },
    [adoptLocale, queryClient],
  );

  useEffect(() => applyToDocument(locale), [locale]);

  const value = useMemo<I18nContext>(
    () => ({ locale, setLocale, adoptLocale, t: (key, params) => translate(locale, key, params) }),
    [locale, setLocale, adoptLocale],
  );

  return (
    <Ctx.Provider value={value}>
      <ConfigProvider
        locale={ANTD_LOCALES[locale]}
        theme={{ algorithm: antTheme.defaultAlgorithm, token: { colorPrimary: '#1668dc', borderRadius: 6 } }}
      >
        <AntApp>{children}</AntApp>
      </ConfigProvider>
    </Ctx.Provider>
  );
}

function useI18n(): I18nContext {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error('useT/useLocale must be used inside <I18nProvider>');
  return ctx;
}

/** `t(key, params?)`: the message in the current language; `{name}` placeholders filled from params. */
export function useT(): TFunction {
  return useI18n().t;
}

/** The current language and a setter (persisted in localStorage and in the signed-in user's profile). */
export function useLocale(): Pick<I18nContext, 'locale' | 'setLocale' | 'adoptLocale'> {
  const { locale, setLocale, adoptLocale } = useI18n();
  return { locale, setLocale, adoptLocale };
}
