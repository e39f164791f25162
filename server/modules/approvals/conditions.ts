import type { Condition, ConditionGroup } from '@common/schemas/approvals';
import type { DbOrTx } from '@server/db/types';

/**
 * 入口条件 and branch conditions: an OR of AND groups over the document's flow fields and the
 * submitter pseudo-fields. Money is compared in fen, percents as numbers; a missing value matches
 * only the negative operators (ne, not_in).
 */

/** Who submitted, as far as conditions and approver rules need to know. */
export type SubmitterInfo = { id: string; departmentId: string | null; positionId: string | null; supervisorId: string | null };

export type ConditionSubject = { values: Record<string, unknown>; submitter: SubmitterInfo };

type DeptRow = { id: string; parent_id: string | null; head_user_id: string | null };

/**
 * The department tree, read once per engine step (companies have hundreds of departments, not
 * millions): ancestors for `dept_in`, approval-position coverage and department heads.
 */
export class DepartmentTree {
  private rows?: Map<string, DeptRow>;
  constructor(private readonly db: DbOrTx) {}

  private async load(): Promise<Map<string, DeptRow>> {
    if (!this.rows) {
      const rows = await this.db
        .selectFrom('departments')
        .select(['id', 'parent_id', 'head_user_id'])
        .where('deleted_at', 'is', null)
        .execute();
      this.rows = new Map(rows.map((r) => [r.id, r]));
    }
    return this.rows;
  }

  /** The department itself and its parents up to the root, nearest first (stops at a cycle). */
  async chain(id: string | null): Promise<DeptRow[]> {
    if (!id) return [];
    const rows = await this.load();
    const out: DeptRow[] = [];
    const seen = new Set<string>();
    for (let cur = rows.get(id); cur && !seen.has(cur.id); cur = cur.parent_id ? rows.get(cur.parent_id) : undefined) {
      seen.add(cur.id);
      out.push(cur);
    }
    return out;
  }

  /** Ids of the department and its ancestors. */
  async ancestors(id: string | null): Promise<string[]> {
    return (await this.chain(id)).map((d) => d.id);
  }
}

const NUMERIC = /^-?\d+(\.\d+)?$/;

function num(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && NUMERIC.test(v.trim())) return Number(v);
  return null;
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
}

function same(a: unknown, b: unknown): boolean {
  if (isEmpty(a)) return false;
  const na = num(a);
  const nb = num(b);
  if (na !== null && nb !== null) return na === nb;
  return String(a) === String(b);
}

function order(a: unknown, b: unknown): number | null {
  const na = num(a);
  const nb = num(b);
  if (na !== null && nb !== null) return na - nb;
  // dates (YYYY-MM-DD, ISO times) order as text
  if (typeof a === 'string' && typeof b === 'string' && a && b) return a < b ? -1 : a > b ? 1 : 0;
  return null;
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : isEmpty(v) ? [] : [v]);

/** A field's value: the document's, or the submitter's for the pseudo-fields. */
export function fieldValue(subject: ConditionSubject, field: string): unknown {
  switch (field) {
    case '$submitter.department':
      return subject.submitter.departmentId;
    case '$submitter.position':
      return subject.submitter.positionId;
    case '$submitter.id':
      return subject.submitter.id;
    default:
      return subject.values[field];
  }
}

async function test(c: Condition, subject: ConditionSubject, tree: DepartmentTree): Promise<boolean> {
  const v = fieldValue(subject, c.field);
  const target = c.value;
  const scalarTarget = typeof target === 'object' ? null : target;
  switch (c.op) {
    case 'eq':
      return scalarTarget !== null && list(v).some((x) => same(x, scalarTarget));
    case 'ne':
      return scalarTarget !== null && !list(v).some((x) => same(x, scalarTarget));
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      if (Array.isArray(v) || scalarTarget === null) return false;
      const d = order(v, scalarTarget);
      if (d === null) return false;
      return c.op === 'gt' ? d > 0 : c.op === 'gte' ? d >= 0 : c.op === 'lt' ? d < 0 : d <= 0;
    }
    case 'in':
    case 'not_in': {
      if (!Array.isArray(target) && typeof target === 'object') return false;
      const options = list(target);
      const hit = list(v).some((x) => options.some((o) => same(x, o)));
      return c.op === 'in' ? hit : !hit;
    }
    case 'contains': {
      if (scalarTarget === null || isEmpty(v)) return false;
      if (Array.isArray(v)) return v.some((x) => same(x, scalarTarget));
      return String(v).toLowerCase().includes(String(scalarTarget).toLowerCase());
    }
    case 'dept_in': {
      if (!Array.isArray(target) && typeof target === 'object') return false;
      const wanted = new Set(list(target).map(String));
      for (const dept of list(v)) {
        if ((await tree.ancestors(String(dept))).some((id) => wanted.has(id))) return true;
      }
      return false;
    }
    case 'exceeds_position_limit': {
      if (typeof target !== 'object' || target === null || Array.isArray(target)) return false;
      const n = num(v);
      if (n === null) return false;
      const pos = subject.submitter.positionId;
      const limit = pos !== null && pos in target.limits ? target.limits[pos] : target.default;
      return n > limit;
    }
  }
}

/** Whether the group matches: any AND-group whose conditions all hold; an empty `any` always matches. */
export async function matches(group: ConditionGroup | null | undefined, subject: ConditionSubject, tree: DepartmentTree): Promise<boolean> {
  if (!group || group.any.length === 0) return true;
  for (const all of group.any) {
    let ok = true;
    for (const c of all) {
      if (!(await test(c, subject, tree))) {
        ok = false;
        break;
      }
    }
    if (ok) return true;
  }
  return false;
}
