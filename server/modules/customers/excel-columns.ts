import { fieldRule } from '@common/permissions';
import { translate, type Locale } from '@common/messages/index';
import type { CustomFieldDef } from '@common/schemas/custom-fields';
import type { CustomerSettings } from '@common/schemas/customer-settings';
import type { ImportField, TransferEntity } from '@common/schemas/excel';
import type { Auth } from '@server/platform/access/types';

/**
 * The importable fields of customers, contacts and leads (the template's columns and the mapping's
 * choices): key, label (message key), type, limits, and the field rule that may forbid it.
 * Custom fields (属性定义) follow the standard ones, as `custom.<key>`.
 */

export type FieldType =
  'text' | 'email' | 'phones' | 'tags' | 'list' | 'enum' | 'region' | 'date' | 'datetime' | 'bool' | 'user' | 'customer' | 'custom';

export type ListName = 'categories' | 'stages' | 'importances' | 'sources' | 'industries';

type Spec = {
  key: string;
  labelKey: string;
  type: FieldType;
  required?: boolean;
  /** text length, or items of a list */
  max?: number;
  list?: ListName;
  /** fixed choices (enum): key and label message key */
  choices?: { key: string; labelKey: string }[];
  /** a position's field rule on module.field may forbid writing it */
  rule?: { module: string; field: string };
  /** other header texts that usually mean this field (mapping suggestions) */
  aliases?: string[];
};

/** A choice of a list or enum field: what is stored, and every text that means it. */
export type Choice = { key: string; label: string; aliases: string[] };

/** A field as one caller sees it, in one language. */
export type Field = Omit<Spec, 'choices'> & {
  label: string;
  /** labels in every language plus the key (mapping by header text) */
  names: string[];
  choices?: Choice[];
  def?: CustomFieldDef;
};

const LOCALES: Locale[] = ['zh-CN', 'en-US'];

const CUSTOMER: Spec[] = [
  {
    key: 'name',
    labelKey: 'customer.field.name',
    type: 'text',
    required: true,
    max: 200,
    aliases: ['公司名称', '企业名称', '客户', 'Company'],
  },
  { key: 'shortName', labelKey: 'customer.field.shortName', type: 'text', max: 100 },
  { key: 'code', labelKey: 'customer.field.code', type: 'text', max: 50 },
  {
    key: 'kind',
    labelKey: 'customer.field.kind',
    type: 'enum',
    choices: [
      { key: 'customer', labelKey: 'customer.kind.customer' },
      { key: 'partner', labelKey: 'customer.kind.partner' },
    ],
  },
  { key: 'category', labelKey: 'customer.field.category', type: 'list', list: 'categories' },
  { key: 'stage', labelKey: 'customer.field.stage', type: 'list', list: 'stages' },
  { key: 'importance', labelKey: 'customer.field.importance', type: 'list', list: 'importances' },
  { key: 'source', labelKey: 'customer.field.source', type: 'list', list: 'sources' },
  { key: 'industry', labelKey: 'customer.field.industry', type: 'list', list: 'industries' },
  { key: 'regionCode', labelKey: 'customer.field.regionCode', type: 'region', aliases: ['省市区', '所在地区', 'Region'] },
  { key: 'address', labelKey: 'customer.field.address', type: 'text', max: 300, rule: { module: 'customers', field: 'address' } },
  {
    key: 'phones',
    labelKey: 'customer.field.phones',
    type: 'phones',
    max: 10,
    rule: { module: 'customers', field: 'phones' },
    aliases: ['联系电话', '电话号码', '固定电话', '公司电话', 'Phone'],
  },
  { key: 'website', labelKey: 'customer.field.website', type: 'text', max: 300, rule: { module: 'customers', field: 'website' } },
  { key: 'tags', labelKey: 'customer.field.tags', type: 'tags', max: 30 },
  { key: 'nextFollowUpAt', labelKey: 'customer.field.nextFollowUpAt', type: 'datetime' },
  { key: 'notes', labelKey: 'customer.field.notes', type: 'text', max: 5000 },
  { key: 'ownerId', labelKey: 'customer.field.ownerId', type: 'user', aliases: ['负责人', '业务员', '所有人', 'Owner'] },
  { key: 'contact.name', labelKey: 'excel.field.contact.name', type: 'text', max: 50, aliases: ['联系人', 'Contact'] },
  { key: 'contact.title', labelKey: 'excel.field.contact.title', type: 'text', max: 50 },
  {
    key: 'contact.mobile',
    labelKey: 'excel.field.contact.mobile',
    type: 'text',
    max: 40,
    rule: { module: 'contacts', field: 'mobile' },
    aliases: ['手机', '手机号', '手机号码', 'Mobile'],
  },
  { key: 'contact.phone', labelKey: 'excel.field.contact.phone', type: 'text', max: 40, rule: { module: 'contacts', field: 'phone' } },
  {
    key: 'contact.email',
    labelKey: 'excel.field.contact.email',
    type: 'email',
    max: 200,
    rule: { module: 'contacts', field: 'email' },
    aliases: ['邮箱', '电子邮件', 'Email'],
  },
  { key: 'contact.wechat', labelKey: 'excel.field.contact.wechat', type: 'text', max: 50, rule: { module: 'contacts', field: 'wechat' } },
];

const CONTACT: Spec[] = [
  {
    key: 'customer',
    labelKey: 'contacts.field.customer',
    type: 'customer',
    required: true,
    max: 200,
    aliases: ['客户', '客户名称', '公司名称', '客户编号', 'Company'],
  },
  { key: 'name', labelKey: 'contacts.field.name', type: 'text', required: true, max: 50 },
  { key: 'title', labelKey: 'contacts.field.title', type: 'text', max: 50 },
  { key: 'department', labelKey: 'contacts.field.department', type: 'text', max: 50 },
  {
    key: 'mobile',
    labelKey: 'contacts.field.mobile',
    type: 'text',
    max: 40,
    rule: { module: 'contacts', field: 'mobile' },
    aliases: ['手机号', '手机号码'],
  },
  { key: 'phone', labelKey: 'contacts.field.phone', type: 'text', max: 40, rule: { module: 'contacts', field: 'phone' } },
  {
    key: 'email',
    labelKey: 'contacts.field.email',
    type: 'email',
    max: 200,
    rule: { module: 'contacts', field: 'email' },
    aliases: ['电子邮件'],
  },
  { key: 'wechat', labelKey: 'contacts.field.wechat', type: 'text', max: 50, rule: { module: 'contacts', field: 'wechat' } },
  { key: 'birthday', labelKey: 'contacts.field.birthday', type: 'date' },
  { key: 'hobbies', labelKey: 'contacts.field.hobbies', type: 'text', max: 200 },
  { key: 'idNumber', labelKey: 'contacts.field.idNumber', type: 'text', max: 30, rule: { module: 'contacts', field: 'idNumber' } },
  { key: 'notes', labelKey: 'contacts.field.notes', type: 'text', max: 2000 },
  { key: 'isPrimary', labelKey: 'contacts.field.isPrimary', type: 'bool' },
  { key: 'decisionMaker', labelKey: 'contacts.field.decisionMaker', type: 'bool' },
];

const LEAD: Spec[] = [
  { key: 'name', labelKey: 'leads.field.name', type: 'text', required: true, max: 50 },
  { key: 'company', labelKey: 'leads.field.company', type: 'text', max: 200, aliases: ['公司', '客户名称', '企业名称'] },
  { key: 'title', labelKey: 'leads.field.title', type: 'text', max: 50 },
  {
    key: 'mobile',
    labelKey: 'leads.field.mobile',
    type: 'text',
    max: 40,
    rule: { module: 'leads', field: 'mobile' },
    aliases: ['手机号', '手机号码'],
  },
  { key: 'phone', labelKey: 'leads.field.phone', type: 'text', max: 40, rule: { module: 'leads', field: 'phone' } },
  { key: 'email', labelKey: 'leads.field.email', type: 'email', max: 200, rule: { module: 'leads', field: 'email' } },
  { key: 'wechat', labelKey: 'leads.field.wechat', type: 'text', max: 50 },
  { key: 'source', labelKey: 'leads.field.source', type: 'list', list: 'sources' },
  { key: 'industry', labelKey: 'leads.field.industry', type: 'list', list: 'industries' },
  { key: 'regionCode', labelKey: 'leads.field.regionCode', type: 'region' },
  { key: 'address', labelKey: 'leads.field.address', type: 'text', max: 300 },
  {
    key: 'status',
    labelKey: 'leads.field.status',
    type: 'enum',
    choices: [
      { key: 'new', labelKey: 'leads.status.new' },
      { key: 'following', labelKey: 'leads.status.following' },
      { key: 'invalid', labelKey: 'leads.status.invalid' },
    ],
  },
  { key: 'nextFollowUpAt', labelKey: 'leads.field.nextFollowUpAt', type: 'datetime' },
  { key: 'notes', labelKey: 'leads.field.notes', type: 'text', max: 5000 },
  { key: 'ownerId', labelKey: 'leads.field.owner', type: 'user', aliases: ['负责人', '业务员', 'Owner'] },
];

const SPECS: Record<TransferEntity, Spec[]> = { customer: CUSTOMER, contact: CONTACT, lead: LEAD };

/** Header text reduced for matching: no required mark, spaces, punctuation or case. */
export function headerKey(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[*＊\s()（）:：_\-—.·]/g, '')
    .toLowerCase();
}

function listChoices(settings: CustomerSettings, list: ListName): Choice[] {
  return settings[list].map((o) => ({ key: o.key, label: o.label, aliases: [o.label, o.key] }));
}

/** Whether a position's field rule keeps the caller from writing this field. */
function forbidden(auth: Auth, spec: Spec): boolean {
  return !!spec.rule && !!fieldRule(auth.caps, spec.rule.module, spec.rule.field);
}

/**
 * The fields the caller may import for `entity`, labelled in `locale`: standard fields minus those a
 * field rule hides from or makes read-only for them, then the custom fields in display order.
 */
export function importFields(
  entity: TransferEntity,
  locale: Locale,
  ctx: { auth: Auth; settings: CustomerSettings; defs: CustomFieldDef[] },
): Field[] {
  const standard = SPECS[entity]
    .filter((s) => !forbidden(ctx.auth, s))
    .map((s): Field => {
      const choices = s.list
        ? listChoices(ctx.settings, s.list)
        : s.choices?.map((c) => ({
            key: c.key,
            label: translate(locale, c.labelKey),
            aliases: [...LOCALES.map((l) => translate(l, c.labelKey)), c.key],
          }));
      const names = [...LOCALES.map((l) => translate(l, s.labelKey)), s.key, ...(s.aliases ?? [])];
      return { ...s, label: translate(locale, s.labelKey), names, choices };
    });
  const custom = ctx.defs.map((d): Field => ({
    key: `custom.${d.key}`,
    labelKey: '',
    type: 'custom',
    required: d.required,
    label: d.label,
    names: [d.label, d.key, `custom.${d.key}`],
    def: d,
    choices: d.options.length ? d.options.map((o) => ({ key: o, label: o, aliases: [o] })) : undefined,
  }));
  return [...standard, ...custom];
}

/** Template header: the label, with * when always required. */
export function headerOf(field: Field): string {
  return field.required ? `${field.label}*` : field.label;
}

/** A field as the API lists it (mapping choices). */
export function presentField(field: Field): ImportField {
  return {
    key: field.key,
    label: field.label,
    required: !!field.required,
    type: field.def ? field.def.type : field.type === 'enum' ? 'select' : field.type,
    ...(field.choices ? { options: field.choices.map((c) => c.label) } : {}),
  };
}

/**
 * column index → field key for the headers that name a field (label in either language, key, or a
 * usual alias such as 手机 for the contact's mobile); each field once. Labels win over aliases.
 */
export function suggestMapping(headers: string[], fields: Field[]): Record<string, string> {
  const byName = new Map<string, string>();
  const exact = fields.flatMap((f) => f.names.slice(0, LOCALES.length + 1).map((n) => [n, f.key] as const));
  const loose = fields.flatMap((f) => f.names.slice(LOCALES.length + 1).map((n) => [n, f.key] as const));
  for (const [n, key] of [...exact, ...loose]) if (!byName.has(headerKey(n))) byName.set(headerKey(n), key);
  const out: Record<string, string> = {};
  const used = new Set<string>();
  headers.forEach((h, i) => {
    const key = byName.get(headerKey(h));
    if (key && !used.has(key)) {
      used.add(key);
      out[String(i)] = key;
    }
  });
  return out;
}
