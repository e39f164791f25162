import { translate } from '@common/messages/index';
import { createLeadBody, type CreateLeadBody } from '@common/schemas/leads';
import { phoneKeys } from '@common/customers/normalise';
import type { DbOrTx } from '@server/db/types';
import { allows } from '@server/platform/access/check';
import type { Importer, RowCheck } from './excel-import';
import { schemaErrors } from './excel-import-customers';
import { createLead, transferLeads } from './leads.service';

/**
 * Lead rows: createLead's body; the owner column (another owner needs the leads transfer right:
 * the lead is created by the importer and transferred in the same transaction); a mobile already
 * on a live lead, or on an earlier kept row of the file, is a duplicate (named by the owner).
 */

export type LeadRowBody = { body: CreateLeadBody; ownerId: string | null };

const FIELDS = [
  'name',
  'company',
  'title',
  'mobile',
  'phone',
  'email',
  'wechat',
  'source',
  'industry',
  'regionCode',
  'address',
  'status',
  'nextFollowUpAt',
  'notes',
] as const;

const blank = (v: unknown) => v === null || v === undefined;
const mobileKey = (mobile: string | null | undefined) => (mobile ? (phoneKeys(mobile)[0] ?? null) : null);

/** Owners of live leads whose mobile has one of the keys (stored as typed: the digits and the text are both tried). */
async function leadsByMobile(db: DbOrTx, mobiles: string[]): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  const candidates = [...new Set(mobiles.flatMap((m) => [m, m.replace(/\D/g, '')]))].filter(Boolean);
  for (let i = 0; i < candidates.length; i += 500) {
    const rows = await db
      .selectFrom('leads as l')
      .leftJoin('users as u', 'u.id', 'l.owner_id')
      .select(['l.mobile', 'u.name as owner_name'])
      .where('l.mobile', 'in', candidates.slice(i, i + 500))
      .where('l.deleted_at', 'is', null)
      .execute();
    for (const r of rows) {
      const k = mobileKey(r.mobile);
      if (k) out.set(k, r.owner_name);
    }
  }
  return out;
}

export const leadImporter: Importer<LeadRowBody> = {
  entity: 'lead',

  async check(rows, env) {
    const { auth, locale, fields } = env;
    const mayAssign = allows(auth, 'leads', 'transfer');
    const ownerLabel = fields.find((f) => f.key === 'ownerId')?.label ?? 'ownerId';
    const planned: { row: RowCheck<LeadRowBody>; body: LeadRowBody; key: string | null }[] = [];
    for (const row of rows) {
      const ownerId = (row.values.get('ownerId') as string | null | undefined) ?? null;
      if (ownerId && ownerId !== auth.user.id && !mayAssign) {
        row.errors.push({ field: 'ownerId', message: translate(locale, 'excel.row.owner_forbidden', { field: ownerLabel }) });
      }
      if (row.errors.length) continue;
      const input: Record<string, unknown> = {};
      for (const k of FIELDS) if (!blank(row.values.get(k))) input[k] = row.values.get(k);
      const custom: Record<string, unknown> = {};
      for (const [k, v] of row.values) if (k.startsWith('custom.') && !blank(v)) custom[k.slice(7)] = v;
      if (Object.keys(custom).length) input.custom = custom;
      const parsed = createLeadBody.safeParse(input);
      if (!parsed.success) {
        row.errors.push(...schemaErrors(parsed.error, locale, fields, (p) => p.split('.')[0]));
        continue;
      }
      planned.push({ row, body: { body: parsed.data, ownerId }, key: mobileKey(parsed.data.mobile) });
    }
    const stored = await leadsByMobile(
      env.db,
      planned.flatMap((p) => (p.body.body.mobile ? [p.body.body.mobile] : [])),
    );
    let seen = env.state.get('mobiles') as Map<string, number> | undefined;
    if (!seen) env.state.set('mobiles', (seen = new Map()));
    for (const p of planned) {
      if (p.key && stored.has(p.key)) {
        p.row.errors.push({
          field: 'mobile',
          message: translate(locale, 'excel.row.lead_duplicate_db', { owner: stored.get(p.key) ?? '' }),
        });
      } else if (p.key && seen.has(p.key)) {
        p.row.errors.push({ field: 'mobile', message: translate(locale, 'excel.row.lead_duplicate_file', { row: seen.get(p.key)! }) });
      } else {
        if (p.key) seen.set(p.key, p.row.number);
        p.row.body = p.body;
      }
    }
  },

  async insert(tx, { body, ownerId }, auth, actor) {
    const lead = await createLead(tx, body, auth, actor);
    if (ownerId && ownerId !== auth.user.id) await transferLeads(tx, { ids: [lead.id], toUserId: ownerId }, auth, actor);
  },

  fieldOf: (f) => (f.startsWith('custom.') ? f : f === 'toUserId' || f.startsWith('ids') ? 'ownerId' : f.split('.')[0]),
};
