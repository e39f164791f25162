import { MERGE_FIELDS, type MergeField } from '@common/schemas/mail';

/**
 * Merge fields of group sending (群发): `{{salutation}}` (称呼), `{{contactName}}`, `{{companyName}}`,
 * `{{title}}`, `{{senderName}}`, filled per recipient in the subject and the body.
 */

export type MergeValues = Record<MergeField, string>;

// two-character surnames (复姓) that would otherwise lose their second character
const COMPOUND_SURNAMES = [
  '欧阳',
  '司马',
  '诸葛',
  '上官',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '长孙',
  '宇文',
  '司徒',
  '令狐',
  '夏侯',
  '轩辕',
  '端木',
  '澹台',
  '南宫',
  '西门',
  '独孤',
  '百里',
  '呼延',
  '万俟',
  '闻人',
  '申屠',
  '钟离',
  '第五',
];

// a title → how Chinese business mail addresses its holder (陈经理, 王总, 李工); first match wins
const TITLE_HONORIFICS: [RegExp, string][] = [
  [/助理|秘书|文员/, ''],
  [/董事长/, '董'],
  [/总监/, '总监'],
  [/总经理|总裁|副总|^ceo$|^总$|老板/i, '总'],
  [/经理/, '经理'],
  [/主任/, '主任'],
  [/主管/, '主管'],
  [/部长/, '部长'],
  [/处长/, '处长'],
  [/科长/, '科长'],
  [/厂长/, '厂长'],
  [/院长/, '院长'],
  [/校长/, '校长'],
  [/局长/, '局长'],
  [/教授/, '教授'],
  [/老师/, '老师'],
  [/医生|大夫/, '医生'],
  [/律师/, '律师'],
  [/工程师/, '工'],
];

// a name already entered with its honorific (王总, 陈经理, 李小姐) is used as it is
const HONORIFIC_SUFFIX = /(先生|女士|小姐|总|经理|总监|主任|老师|教授|工|律师|医生|董)$/;

const CJK = /[\u3400-\u9fff]/;

/** The family name of a Chinese name (复姓 kept whole); the whole name otherwise. */
export function surnameOf(name: string): string {
  const n = name.trim();
  if (!CJK.test(n[0] ?? '')) return n;
  return COMPOUND_SURNAMES.find((s) => n.startsWith(s) && n.length > s.length) ?? n[0];
}

/**
 * 称呼 from the contact's name and title: 陈经理 (销售经理), 王总 (总经理), 李工 (工程师); without a
 * usable title 陈先生/女士 (the contact's gender is not recorded). Non-Chinese names are used whole.
 */
export function salutationOf(name: string, title: string | null | undefined): string {
  const n = name.trim();
  if (!n) return '';
  if (!CJK.test(n[0])) return n;
  if (n.length <= 4 && n.length >= 2 && HONORIFIC_SUFFIX.test(n)) return n;
  const t = (title ?? '').trim();
  const honorific = t ? TITLE_HONORIFICS.find(([re]) => re.test(t))?.[1] : undefined;
  return `${surnameOf(n)}${honorific || '先生/女士'}`;
}

/** The values for one recipient. */
export function mergeValues(input: {
  contactName: string;
  title: string | null;
  companyName: string | null;
  senderName: string;
}): MergeValues {
  return {
    salutation: salutationOf(input.contactName, input.title),
    contactName: input.contactName.trim(),
    companyName: input.companyName?.trim() ?? '',
    title: input.title?.trim() ?? '',
    senderName: input.senderName.trim(),
  };
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const FIELD = new RegExp(`\\{\\{\\s*(${MERGE_FIELDS.join('|')})\\s*\\}\\}`, 'g');

/** Fills `{{field}}` placeholders; in HTML the values are escaped. Unknown placeholders stay as written. */
export function fillMerge(template: string, values: MergeValues, mode: 'text' | 'html'): string {
  return template.replace(FIELD, (_m, key: MergeField) => (mode === 'html' ? escapeHtml(values[key]) : values[key]));
}
