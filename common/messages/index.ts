import zhCN from './zh-CN/index';
import enUS from './en-US/index';

export const LOCALES = ['zh-CN', 'en-US'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

export const catalogs: Record<Locale, Record<string, string>> = { 'zh-CN': zhCN, 'en-US': enUS };

export type Params = Record<string, string | number | undefined | null>;

/** Looks up `key` in the locale's catalog and fills `{name}` placeholders. Falls back to the key. */
export function translate(locale: Locale, key: string, params?: Params): string {
  const template = catalogs[locale][key] ?? catalogs[DEFAULT_LOCALE][key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => {
    const v = params[name];
    return v === undefined || v === null ? m : String(v);
  });
}

/** Picks a supported locale from an Accept-Language header or a stored preference. */
export function pickLocale(...candidates: (string | null | undefined)[]): Locale {
  for (const c of candidates) {
    if (!c) continue;
    for (const part of c.split(',')) {
      const tag = part.split(';')[0].trim().toLowerCase();
      if (tag.startsWith('zh')) return 'zh-CN';
      if (tag.startsWith('en')) return 'en-US';
    }
  }
  return DEFAULT_LOCALE;
}
