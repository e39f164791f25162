import { describe, expect, it } from 'vitest';
import { catalogs, translate, pickLocale } from './index';

describe('message catalogs', () => {
  it('has the same keys in every language', () => {
    const zh = Object.keys(catalogs['zh-CN']).sort();
    const en = Object.keys(catalogs['en-US']).sort();
    expect(en.filter((k) => !zh.includes(k))).toEqual([]);
    expect(zh.filter((k) => !en.includes(k))).toEqual([]);
  });

  it('fills placeholders and picks the language from Accept-Language', () => {
    expect(translate('zh-CN', 'validation.required', { field: 'name' })).toBe('name：必填');
    expect(pickLocale('en-GB,en;q=0.9')).toBe('en-US');
    expect(pickLocale(undefined, 'fr')).toBe('zh-CN');
  });
});
