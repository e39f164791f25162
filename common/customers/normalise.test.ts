import { describe, expect, it } from 'vitest';
import { DEFAULT_REGION_PREFIXES, nameKeyLooksValid, normaliseCompanyName, normalisePhone, phoneKeys } from './normalise';

const key = (name: string) => normaliseCompanyName(name);

describe('normaliseCompanyName: spellings of one company share a key', () => {
  const groups: [string, string[]][] = [
    [
      'region, suffix and parenthesised region',
      [
        '深圳市任我行科技有限公司',
        '任我行科技有限责任公司',
        '任我行科技（深圳）有限公司',
        '深圳任我行科技股份有限公司',
        ' 任我行 科技 ',
        '广东省深圳市任我行科技有限公司',
      ],
    ],
    ['full-width and case', ['ＲＥＮＷＯＸＩＮＧ', 'renwoxing', 'RenWoXing', 'ｒｅｎ　ｗｏ　ｘｉｎｇ']],
    [
      'English company forms',
      ['Renwoxing Co., Ltd.', 'RENWOXING CO.,LTD', 'Renwoxing Inc.', 'Renwoxing Corp.', 'Renwoxing Limited', 'Renwoxing LLC', 'renwoxing'],
    ],
    ['集团 forms, repeatedly', ['任我行集团股份有限公司', '任我行集团有限公司', '任我行（集团）有限公司', '任我行集团', '任我行有限公司']],
    [
      'punctuation of every kind',
      ['任我行·科技', '任我行、科技', '任我行-科技_有限公司', '【任我行】科技', '"任我行"科技。', '任我行\u200b科技'],
    ],
    ['（中国） qualifier', ['西门子（中国）有限公司', '西门子有限公司', '西门子(中国)']],
    ['traditional suffixes', ['任我行科技有限責任公司', '任我行科技集團', '任我行科技']],
    ['autonomous regions and SARs', ['广西壮族自治区任我行贸易有限公司', '广西任我行贸易有限公司', '任我行贸易']],
    ['head office', ['任我行科技总公司', '任我行科技有限公司']],
  ];
  it.each(groups)('%s', (_label, names) => {
    const keys = names.map(key);
    expect(new Set(keys).size, JSON.stringify(keys)).toBe(1);
  });
});

describe('normaliseCompanyName: exact keys', () => {
  const cases: [string, string][] = [
    ['深圳市任我行科技有限公司', '任我行科技'],
    ['ＲＥＮＷＯＸＩＮＧ', 'renwoxing'],
    ['Disco Ltd', 'disco'], // "co" of disco is not a company form
    ['任我行科技有限公司深圳分公司', '任我行科技深圳分公司'],
    ['深圳市任我行科技有限责任公司深圳市分公司', '任我行科技深圳分公司'],
    ['任我行科技有限公司（深圳分公司）', '任我行科技深圳分公司'],
    ['任我行科技（深圳）分公司', '任我行科技深圳分公司'], // bracketed place before 分 is kept
    ['广州任我行分公司', '广州任我行分公司'], // no parent form: the leading place may be the branch's
    ['任我行机械厂', '任我行机械厂'], // 厂 is the name
    ['有限公司', '有限公司'], // never stripped to nothing (and not to 有限)
    ['深圳市', '深圳市'],
    ['深圳市有限公司', '深圳市'],
    ['北京大学', '北京大学'],
    ['北京银行股份有限公司', '北京银行'],
    ['上海华为', '华为'],
    ['Co., Ltd.', 'co'], // all company forms: stripping stops before nothing is left
    ['', ''],
  ];
  it.each(cases)('%s → %s', (name, expected) => {
    expect(key(name)).toBe(expected);
  });
});

describe('normaliseCompanyName: different customers keep different keys', () => {
  const pairs: [string, string][] = [
    ['任我行科技', '任我行软件'],
    ['华为', '华为技术'],
    ['任我行科技有限公司', '任我行科技有限公司深圳分公司'], // a branch is its own customer
    ['任我行科技有限公司深圳分公司', '任我行科技有限公司广州分公司'],
    ['北京大学', '南京大学'], // region is the name of an institution
    ['北京师范大学', '南京师范大学'],
    ['北京银行', '上海银行'],
    ['北京科技有限公司', '上海科技有限公司'], // region + generic core only
    ['山东黄金', '山西黄金'],
    ['深圳市人民医院', '广州市人民医院'],
    ['中国银行', '银行'], // leading 中国 is never stripped
    ['任我行机械厂', '任我行机械'],
    ['任我行深圳科技', '任我行科技'], // a place in the middle is part of the name
    ['A公司', 'B公司'],
  ];
  it.each(pairs)('%s ≠ %s', (a, b) => {
    expect(key(a)).not.toBe(key(b));
  });
});

describe('normaliseCompanyName: region list option', () => {
  it('uses the default list with and without suffixes, longest first, only at the start', () => {
    for (const r of ['深圳', '深圳市', '广东', '广东省', '北京市', '上海', '杭州市', '内蒙古自治区', '香港特别行政区']) {
      expect(DEFAULT_REGION_PREFIXES).toContain(r);
    }
    expect(key('杭州市任我行网络有限公司')).toBe('任我行网络');
    expect(key('任我行杭州网络有限公司')).toBe('任我行杭州网络');
  });

  it('replaces the default list when given; [] turns leading region stripping off', () => {
    expect(normaliseCompanyName('深圳市任我行科技有限公司', { regionPrefixes: [] })).toBe('深圳市任我行科技');
    expect(normaliseCompanyName('南山区任我行科技有限公司', { regionPrefixes: ['南山区', '南山'] })).toBe('任我行科技');
    expect(normaliseCompanyName('深圳市任我行科技有限公司', { regionPrefixes: ['南山区'] })).toBe('深圳市任我行科技');
    // configured names are cleaned like names: full-width / spaces do not matter
    expect(normaliseCompanyName('南山区任我行科技有限公司', { regionPrefixes: ['南山 区'] })).toBe('任我行科技');
  });
});

describe('nameKeyLooksValid', () => {
  it.each([
    ['', false],
    ['a', false],
    ['任', false],
    ['𠀀', false], // one astral CJK character is one character
    ['ab', true],
    ['华为', true],
  ])('%s → %s', (k, ok) => {
    expect(nameKeyLooksValid(k)).toBe(ok);
  });

  it('rejects keys of names that are only punctuation or a single letter', () => {
    expect(nameKeyLooksValid(key('（）——'))).toBe(false);
    expect(nameKeyLooksValid(key('Ａ 有限公司'))).toBe(false);
    expect(nameKeyLooksValid(null)).toBe(false);
  });
});

describe('normalisePhone', () => {
  const cases: [string, string | null][] = [
    // one Shenzhen landline, every way it is written
    ['0755-8888 6666', '075588886666'],
    ['(0755)88886666', '075588886666'],
    ['（０７５５）８８８８６６６６', '075588886666'],
    ['+86 755 8888 6666', '075588886666'],
    ['+86 (0)755 8888 6666', '075588886666'],
    ['0086-755-88886666', '075588886666'],
    ['86-755-88886666', '075588886666'],
    ['010-12345678', '01012345678'],
    // mobiles
    ['+86 138 0013 8000', '13800138000'],
    ['138-0013-8000', '13800138000'],
    ['0086 13800138000', '13800138000'],
    ['8613800138000', '13800138000'],
    ['+86-13800138000', '13800138000'],
    ['013800138000', '13800138000'],
    ['１３８００１３８０００', '13800138000'],
    // extensions dropped
    ['0755-88886666转123', '075588886666'],
    ['0755-88886666 转 8001', '075588886666'],
    ['0755-88886666 ext. 123', '075588886666'],
    ['0755-88886666 EXT123', '075588886666'],
    ['0755-88886666 x12', '075588886666'],
    ['0755-88886666#123', '075588886666'],
    ['0755-88886666 分机 123', '075588886666'],
    ['0755-8888666-123', '07558888666'],
    ['0755 88886666 123', '075588886666'],
    // other numbers keep their digits
    ['400-888-8888', '4008888888'],
    ['95555', '95555'],
    ['8888-6666', '88886666'], // no area code: not guessed
    ['86886666', '86886666'], // starts with 86 but is a local number
    ['+1 415 555 0100', '14155550100'],
    // too short
    ['1234', null],
    ['', null],
    ['转123', null],
    ['n/a', null],
  ];
  it.each(cases)('%s → %s', (phone, expected) => {
    expect(normalisePhone(phone)).toBe(expected);
  });
});

describe('phoneKeys', () => {
  const cases: [string, string[]][] = [
    ['0755-88886666 / 13800138000', ['075588886666', '13800138000']],
    ['0755-88886666，13800138000；13900139000、020-12345678', ['075588886666', '13800138000', '13900139000', '02012345678']],
    ['0755-88886666 13800138000', ['075588886666', '13800138000']],
    ['138 0013 8000 0755 8888 6666', ['13800138000', '075588886666']],
    ['13800138000 13900139000', ['13800138000', '13900139000']],
    ['+86 138 0013 8000', ['13800138000']],
    ['13800138000, +86 138-0013-8000, 0086 13800138000', ['13800138000']],
    ['400 888 8888', ['4008888888']],
    ['13800138000 400 888 8888', ['13800138000', '4008888888']],
    ['0755-88886666转123 / 0755-88886666', ['075588886666']],
    ['电话：0755-88886666 或 手机 13800138000', ['075588886666', '13800138000']],
    ['0755-88886666\n13800138000', ['075588886666', '13800138000']],
    ['', []],
    ['无 / n/a', []],
  ];
  it.each(cases)('%s', (text, expected) => {
    expect(phoneKeys(text)).toEqual(expected);
  });
});
