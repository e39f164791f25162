/**
 * Pure normalisation for the customer duplicate check (查重), shared by server and web.
 *
 * Ownership protection (issue 3, point 7b) refuses a second entry of the same customer, so two
 * spellings of one company, or two formats of one phone number, must end up with the same key. The
 * check refuses real work when it is wrong, so wherever a rule could merge two *different* customers
 * the functions here prefer to keep the keys apart (a missed duplicate can still be reported
 * (举报) and merged later; a wrong refusal blocks a salesperson on the spot).
 *
 * Nothing here touches a database; callers store `normaliseCompanyName(name)` and `phoneKeys(phones)`
 * next to the customer and look them up by equality.
 */

import { DEFAULT_REGION_PREFIXES, GENERIC_CORES, INSTITUTION_ENDINGS, PAREN_ONLY_REGIONS } from './names';

export { DEFAULT_REGION_PREFIXES, GENERIC_CORES, INSTITUTION_ENDINGS };

// ---------------------------------------------------------------------------------------------
// Company-form suffixes
// ---------------------------------------------------------------------------------------------

/**
 * Chinese company-form suffixes, stripped from the end repeatedly, longest first (simplified and
 * traditional). Not stripped: 分公司 (a branch is a different customer, see `normaliseCompanyName`),
 * 厂 (a factory name is the name), 控股 (part of the brand: 腾讯控股).
 * 总公司 is stripped whole: the head office is the company itself (and stripping only 公司 would
 * leave a dangling 总).
 */
const CN_SUFFIXES: readonly string[] = [
  '集团股份有限公司',
  '集团有限责任公司',
  '集团有限公司',
  '集團股份有限公司',
  '集團有限公司',
  '股份有限公司',
  '有限责任公司',
  '有限責任公司',
  '有限公司',
  '股份公司',
  '总公司',
  '總公司',
  '有限合伙',
  '集团',
  '集團',
  '公司',
].sort((a, b) => b.length - a.length);

/** Company forms that may end the parent name in front of a branch (…有限公司深圳分公司). */
const PARENT_FORMS: readonly string[] = CN_SUFFIXES.filter((s) => s !== '有限合伙' && s !== '总公司' && s !== '總公司');

const BRANCH = '分公司';

/**
 * English company forms, matched on word boundaries *before* punctuation is removed, so that
 * "Disco Ltd" loses only "Ltd" and never the "co" of "disco". Repeated: "Co., Ltd." loses both.
 */
const EN_SUFFIX_RE = /[\s,.;:&()-]*\b(?:co|company|corp|corporation|inc|incorporated|ltd|limited|llc|plc|gmbh|group)\b[\s,.;:()]*$/;

/** Whitespace, punctuation (Chinese and ASCII), symbols, separators, control and format characters (e.g. zero-width space). */
const NOISE_RE = /[\s\p{P}\p{S}\p{Z}\p{Cc}\p{Cf}]+/gu;

// ---------------------------------------------------------------------------------------------
// Company name key
// ---------------------------------------------------------------------------------------------

export interface CompanyNameOptions {
  /** Leading region names to strip; replaces DEFAULT_REGION_PREFIXES. `[]` turns region stripping off (except （中国）). */
  regionPrefixes?: readonly string[];
}

interface RegionTable {
  /** Cleaned names, longest first. */
  sorted: string[];
  set: Set<string>;
  parenRe: RegExp;
}

const regionTables = new WeakMap<readonly string[], RegionTable>();

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** NFKC, lower-case, noise removed: the form every comparison here works on. */
function clean(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(NOISE_RE, '');
}

function regionTable(list: readonly string[]): RegionTable {
  let t = regionTables.get(list);
  if (!t) {
    const names = [...new Set(list.map(clean).filter((s) => s.length > 0))].sort((a, b) => b.length - a.length);
    const paren = [...new Set([...names, ...PAREN_ONLY_REGIONS])].sort((a, b) => b.length - a.length).map(escapeRe);
    // 〔〕 and 【】 survive NFKC; （） has become (). Never when followed by 分 (任我行（深圳）分公司 keeps its place).
    const parenRe = new RegExp(`[(\\[【〔〖]\\s*(?:${paren.join('|')})\\s*[)\\]】〕〗](?!\\s*分)`, 'g');
    t = { sorted: names, set: new Set(names), parenRe };
    regionTables.set(list, t);
  }
  return t;
}

function stripCnSuffixes(key: string): string {
  for (;;) {
    if (key.endsWith(BRANCH)) return key;
    const suffix = CN_SUFFIXES.find((s) => key.endsWith(s));
    // Never strip to nothing: 有限公司 alone stays 有限公司 (and not 有限).
    if (!suffix || suffix.length === key.length) return key;
    key = key.slice(0, -suffix.length);
  }
}

function regionMayLeave(rest: string): boolean {
  return [...rest].length >= 2 && !GENERIC_CORES.has(rest) && !INSTITUTION_ENDINGS.some((e) => rest.endsWith(e));
}

function stripLeadingRegions(key: string, table: RegionTable): string {
  for (;;) {
    // Longest match only: if 深圳市 may not go, 深圳 (leaving 市…) may not either.
    const region = table.sorted.find((r) => key.startsWith(r));
    if (!region) return key;
    const rest = key.slice(region.length);
    if (!regionMayLeave(rest)) return key;
    key = rest;
  }
}

/** 深圳市 / 广东省 / 广西壮族自治区 → 深圳 / 广东 / 广西, when the bare form is a known region; else unchanged. */
function canonicalRegion(s: string, table: RegionTable): string {
  const m = /^(.+?)(?:特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|省|市)$/.exec(s);
  return m && table.set.has(m[1]) ? m[1] : s;
}

function core(key: string, table: RegionTable): string {
  return stripLeadingRegions(stripCnSuffixes(key), table);
}

/**
 * The duplicate-check key of a company name. Two entries of the same company share it; it is only
 * meant for equality, never for display.
 *
 * Rules, in order:
 * 1. **NFKC, lower case** — full-width letters, digits and brackets become half-width
 *    (ＲＥＮＷＯＸＩＮＧ → renwoxing, （ → (), and case never separates two entries.
 * 2. **Parenthesised region** — a bracketed qualifier that is only a region name or 中国 is removed
 *    wherever it stands: 任我行科技（深圳）有限公司 = 任我行科技有限公司; 西门子（中国）有限公司 = 西门子有限公司.
 *    A bracket with anything else (（集团）, （深圳分公司）) keeps its content and loses only the brackets.
 *    A bracketed region directly before 分 is kept: it is the branch's place.
 * 3. **English company forms** at the end — Co., Ltd., Co.,Ltd, Inc., Corp., Limited, LLC, PLC, GmbH,
 *    Company, Corporation, Group — on word boundaries, repeatedly.
 * 4. **Whitespace and punctuation** — all Unicode punctuation, symbols, separators and invisible
 *    format characters go: （）()【】[]·、，。.,-_&'" …
 * 5. **Chinese company forms** at the end, longest first, repeatedly: 集团股份有限公司, 股份有限公司,
 *    有限责任公司, 有限公司, 股份公司, 总公司, 有限合伙, 集团, 公司 (so 任我行集团有限公司 → 任我行).
 *    Never stripped to nothing.
 * 6. **Leading region names** (深圳市, 深圳, 广东省, 广东 …), longest first, repeatedly (广东省深圳市…),
 *    only at the start. The region is kept when what would remain is shorter than 2 characters, is a
 *    generic core (北京银行 vs 上海银行 → GENERIC_CORES) or ends like an institution named after its place
 *    (北京大学 vs 南京大学 → INSTITUTION_ENDINGS): there the region is the name.
 *
 * **Branches (分公司) are different customers** — a branch signs its own contracts and usually has
 * its own owner, so 任我行科技有限公司深圳分公司 never shares the key of 任我行科技有限公司. Both halves of
 * a branch name are still normalised: the parent part (up to its last company form) by rules 5–6,
 * the place part by dropping 市/省: 深圳市任我行科技有限责任公司深圳市分公司 = 任我行科技有限公司（深圳分公司）
 * → 任我行科技深圳分公司. A branch name without a parent company form (广州任我行分公司) is kept as is,
 * because its leading place may well be the branch's place.
 *
 * Not handled (documented limits): pinyin region names (Shenzhen Renwoxing), traditional-Chinese region
 * names, and any region or place in the middle of a name without brackets (任我行深圳科技).
 */
export function normaliseCompanyName(name: string, opts?: CompanyNameOptions): string {
  const table = regionTable(opts?.regionPrefixes ?? DEFAULT_REGION_PREFIXES);
  let s = name.normalize('NFKC').toLowerCase();
  s = s.replace(table.parenRe, '');
  for (;;) {
    const next = s.replace(EN_SUFFIX_RE, '');
    if (next === s || clean(next) === '') break;
    s = next;
  }
  const key = clean(s);
  if (!key.endsWith(BRANCH) || key === BRANCH) return core(key, table);

  const prefix = key.slice(0, -BRANCH.length);
  let end = -1;
  for (const form of PARENT_FORMS) {
    const at = prefix.lastIndexOf(form);
    if (at > 0 && at + form.length > end) end = at + form.length;
  }
  if (end < 0) return key;
  const parent = core(prefix.slice(0, end), table);
  const place = canonicalRegion(prefix.slice(end), table);
  return `${parent}${place}${BRANCH}`;
}

/**
 * Guard for name keys: a key of fewer than 2 characters (empty input, a lone letter, a name that was
 * all punctuation) must never be used to look up duplicates, or it would "match" unrelated entries.
 * Counts code points, so one CJK character (including astral ones) counts as one.
 */
export function nameKeyLooksValid(key: string | null | undefined): key is string {
  return typeof key === 'string' && [...key].length >= 2;
}

// ---------------------------------------------------------------------------------------------
// Phones
// ---------------------------------------------------------------------------------------------

/** Mainland mobile: 11 digits, 1[3-9]. */
const MOBILE_RE = /^1[3-9]\d{9}$/;
/** Landline with trunk 0 and area code: 010 / 02x + 7–8 digits, or 0[3-9]xx + 7–8 digits; local numbers never start with 0 or 1. */
const LANDLINE_RE = /^0(?:10|2\d|[3-9]\d{2})[2-9]\d{6,7}$/;
/** Explicit extension at the end: 转123, 轉123, 分机123, ext. 123, ext123, x123, #123. */
const EXTENSION_RE = /\s*(?:转|轉|分机|分機|ext(?:ension)?\.?|x|#)\s*[:.]?\s*\d{1,6}\s*$/i;

type PhoneKind = 'mobile' | 'landline' | 'other';
interface Phone {
  key: string;
  kind: PhoneKind;
}

/** Recognises a mobile or a landline, with or without the 86 / 0086 country code; null otherwise. */
function recognise(d: string): Phone | null {
  if (MOBILE_RE.test(d)) return { key: d, kind: 'mobile' };
  if (LANDLINE_RE.test(d)) return { key: d, kind: 'landline' };
  const rest = d.startsWith('0086') ? d.slice(4) : d.startsWith('86') ? d.slice(2) : null;
  if (rest !== null) {
    if (MOBILE_RE.test(rest)) return { key: rest, kind: 'mobile' };
    if (LANDLINE_RE.test(rest)) return { key: rest, kind: 'landline' }; // +86 (0)755 …
    if (LANDLINE_RE.test(`0${rest}`)) return { key: `0${rest}`, kind: 'landline' }; // +86 755 … (trunk 0 dropped abroad)
  }
  // 0 in front of a mobile (old long-distance habit): 013800138000.
  if (d.startsWith('0') && MOBILE_RE.test(d.slice(1))) return { key: d.slice(1), kind: 'mobile' };
  return null;
}

function analysePhone(phone: string): Phone | null {
  const s = phone.normalize('NFKC').replace(EXTENSION_RE, '');
  const groups = s.match(/\d+/g) ?? [];
  const digits = groups.join('');
  const whole = recognise(digits);
  if (whole) return whole;
  // A short trailing group after a complete landline is an extension: 0755-8888666-123.
  const last = groups[groups.length - 1];
  if (groups.length >= 2 && last.length <= 5) {
    const head = recognise(digits.slice(0, -last.length));
    if (head?.kind === 'landline') return head;
  }
  return digits.length >= 5 ? { key: digits, kind: 'other' } : null;
}

/**
 * The duplicate-check key of one phone number: digits only, in one canonical form.
 *
 * - Full-width digits count (NFKC); every non-digit goes: '0755-8888 6666', '(0755)88886666',
 *   '+86 755 8888 6666', '0086-755-88886666' → '075588886666'.
 * - The country code +86 / 0086 / 86 is removed only when what follows is a mainland mobile
 *   (1[3-9] + 9 digits) or a landline with area code; the trunk 0 that callers from abroad leave
 *   out is put back (+86 755 … → 0755 …). '+86 138 0013 8000' and '138-0013-8000' → '13800138000'.
 *   A 0 in front of a mobile (013800138000) is dropped too.
 * - Extensions are dropped: 转123 / 分机123 / ext. 123 / x123 / #123 always; a trailing group of up to
 *   5 digits separated by '-' or a space only when the rest is a complete landline
 *   (0755-8888666-123 → 07558888666). The extension reaches a person, not a different customer.
 * - Anything else (400/800 numbers, 95555, local numbers without area code, foreign numbers) keeps
 *   all its digits. Local numbers are not given an area code: 88886666 and 0755-88886666 stay
 *   different keys, since the area cannot be known here.
 * - Fewer than 5 digits → null: not a phone number, and too short to compare.
 */
export function normalisePhone(phone: string): string | null {
  return analysePhone(phone)?.key ?? null;
}

/** Separators between several numbers in one field: / , ; 、 | and line breaks (half- and full-width after NFKC), 或 / 及. */
const PHONE_LIST_RE = /[/,;、|\r\n]+|或|及/;

/**
 * The distinct keys of every phone number in a field, in order of appearance. A field may hold
 * several numbers separated by / , ; 、 | or line breaks, or just by spaces
 * ('0755-88886666 13800138000'). Because spaces also appear *inside* numbers ('+86 138 0013 8000'),
 * a piece that is not one recognised number is split on spaces and hyphens and re-joined greedily:
 * from each position the longest run of parts that forms a mobile or landline wins; the parts in
 * between are kept together as one number (if it has 5 or more digits, like normalisePhone). A piece
 * with no mobile or landline inside stays one number ('400 888 8888' → '4008888888').
 */
export function phoneKeys(text: string): string[] {
  const keys = new Set<string>();
  for (const piece of text.normalize('NFKC').split(PHONE_LIST_RE)) {
    const whole = analysePhone(piece);
    if (!whole) continue;
    if (whole.kind !== 'other') {
      keys.add(whole.key);
      continue;
    }
    // Greedy re-join; unrecognised parts between recognised numbers are kept together as one run.
    const parts = piece.split(/[\s-]+/).filter((p) => /\d/.test(p));
    const found: string[] = [];
    let pending: string[] = [];
    const flush = () => {
      const p = pending.length ? analysePhone(pending.join(' ')) : null;
      if (p) found.push(p.key);
      pending = [];
    };
    for (let i = 0; i < parts.length;) {
      let j = parts.length;
      let p: Phone | null = null;
      for (; j > i; j--) {
        p = analysePhone(parts.slice(i, j).join(' '));
        if (p && p.kind !== 'other') break;
      }
      if (j > i && p) {
        flush();
        found.push(p.key);
        i = j;
      } else {
        pending.push(parts[i]);
        i += 1;
      }
    }
    if (found.length === 0) {
      keys.add(whole.key); // nothing recognisable inside: one number in a format we do not know (400 888 8888)
      continue;
    }
    flush();
    for (const k of found) keys.add(k);
  }
  return [...keys];
}
