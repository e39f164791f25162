import { z } from 'zod';

/**
 * Customer management standards (企业标准 for 客户管理): the definable lists, required fields and
 * visit cycle per category, the numbering rule, the public-pool recycle rules and ownership caps.
 * Stored as one JSON setting ('customers'); admins edit it on the customer settings page.
 */

const key = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{0,29}$/, 'validation.invalid_key');
const label = z.string().trim().min(1).max(50);
const option = z.strictObject({ key, label });

/**
 * Fields a category can require on save. `contact.mobile` / `contact.email`: at least one contact
 * of the customer has them. Custom fields are required through their own definition.
 */
export const REQUIRABLE_FIELDS = [
  'phones',
  'importance',
  'shortName',
  'source',
  'industry',
  'regionCode',
  'address',
  'website',
  'contact',
  'contact.mobile',
  'contact.email',
] as const;
export type RequirableField = (typeof REQUIRABLE_FIELDS)[number];

export const categorySchema = option.extend({
  requiredFields: z.array(z.enum(REQUIRABLE_FIELDS)).max(REQUIRABLE_FIELDS.length),
  /** days between contacts before the customer is overdue (拜访周期); null: no cycle */
  visitCycleDays: z.number().int().min(1).max(365).nullable(),
});

export const customerSettingsSchema = z.strictObject({
  categories: z.array(categorySchema).min(1).max(50),
  /** lifecycle stages in order (目标 → 意向 → 成交 → VIP) */
  stages: z.array(option).min(1).max(20),
  importances: z.array(option).min(1).max(10),
  sources: z.array(option).max(50),
  industries: z.array(option).max(100),
  /** leading region names ignored by the duplicate check (深圳市…); empty = the bundled list */
  regionPrefixes: z.array(z.string().trim().min(1).max(20)).max(1000),
  /** numbering rule: prefix + date part + zero-padded sequence (per day / month / ever) */
  code: z.strictObject({
    prefix: z.string().trim().max(10),
    date: z.enum(['none', 'yyyymm', 'yyyymmdd']),
    digits: z.number().int().min(3).max(10),
  }),
  pool: z.strictObject({
    /** recycle job on / off */
    enabled: z.boolean(),
    /** no follow-up / completed schedule for this many days returns the customer; 0 = rule off */
    noContactDays: z.number().int().min(0).max(3650),
    /** no deal for this many days since owned or since the last deal; 0 = rule off */
    noDealDays: z.number().int().min(0).max(3650),
    /** the owner is warned this many days before the customer is recycled */
    warnDays: z.number().int().min(0).max(365),
    exemptLocked: z.boolean(),
    exemptDeals: z.boolean(),
  }),
  caps: z.strictObject({
    /** most customers one user may own; 0 = no cap */
    perUser: z.number().int().min(0).max(1_000_000),
    /** most customers the users of one department may own together; 0 = no cap */
    perDepartment: z.number().int().min(0).max(10_000_000),
    /** whether deal customers (stage 'deal' / 'vip' or with a deal) count toward the caps */
    countDeals: z.boolean(),
  }),
});
export type CustomerSettings = z.infer<typeof customerSettingsSchema>;
export type CustomerCategory = z.infer<typeof categorySchema>;

/** Stage keys that mean the customer has bought (成交 / VIP): exempt from recycling, optionally from caps. */
export const DEAL_STAGES = ['deal', 'vip'];

const COMPLETE: RequirableField[] = ['phones', 'importance', 'contact.mobile', 'contact.email'];

/** The defaults of a new installation, from the customer-management design (客户管理运用). */
export const DEFAULT_CUSTOMER_SETTINGS: CustomerSettings = {
  categories: [
    { key: 'direct', label: '直销', requiredFields: COMPLETE, visitCycleDays: 7 },
    { key: 'channel', label: '渠道', requiredFields: COMPLETE, visitCycleDays: 30 },
  ],
  stages: [
    { key: 'target', label: '目标客户' },
    { key: 'intent', label: '意向客户' },
    { key: 'deal', label: '成交客户' },
    { key: 'vip', label: 'VIP客户' },
  ],
  importances: [
    { key: 'high', label: '重要' },
    { key: 'normal', label: '一般' },
    { key: 'low', label: '次要' },
  ],
  sources: [
    { key: 'web', label: '网络推广' },
    { key: 'referral', label: '客户介绍' },
    { key: 'exhibition', label: '展会' },
    { key: 'cold_call', label: '电话营销' },
    { key: 'other', label: '其他' },
  ],
  industries: [
    { key: 'manufacturing', label: '制造业' },
    { key: 'it', label: '信息技术' },
    { key: 'trade', label: '批发零售' },
    { key: 'construction', label: '建筑工程' },
    { key: 'finance', label: '金融' },
    { key: 'education', label: '教育' },
    { key: 'healthcare', label: '医疗' },
    { key: 'services', label: '服务业' },
    { key: 'other', label: '其他' },
  ],
  regionPrefixes: [],
  code: { prefix: 'KH', date: 'yyyymm', digits: 4 },
  pool: { enabled: true, noContactDays: 30, noDealDays: 0, warnDays: 3, exemptLocked: true, exemptDeals: true },
  caps: { perUser: 0, perDepartment: 0, countDeals: false },
};
