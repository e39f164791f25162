import {
  SUBMITTER_FIELDS,
  type ApproverSpec,
  type Condition,
  type ConditionGroup,
  type FlowDefinition,
  type FlowFieldDef,
  type FlowFieldKind,
  type FlowNode,
} from '../schemas/approvals';

/**
 * Checks a flow definition beyond its shape (the Zod schema): the rules the designer shows on its
 * nodes and the server enforces on save. Shared by both, so they never disagree.
 *
 * An error names the place (`nodes.2.branches.1.nodes.0`, `entry.any.0.1`, `cc.0`) and a code; the
 * message key is `approvalsapi.invalid.<code>` (params fill it). Codes:
 * - no_approvers: a point with no approvers
 * - empty_branch: a branch whose chain holds no point with approvers
 * - unreachable: a branch after an otherwise branch or after one whose condition matches everything
 * - duplicate_condition: a branch with the same condition as an earlier branch of its node
 * - multiple_otherwise: a second branch without condition
 * - never_true: an AND group that can never hold (amount > 100 and amount < 50; two different `eq`)
 * - duplicate_id: a node or branch id used twice
 * - unknown_field: a condition on a field the type does not have
 * - condition_operator: an operator the field's kind does not support
 * - condition_value: a value of the wrong kind for the field and operator (or not among a select's options)
 * - chain_unbounded: a supervisor chain with neither levels nor untilPositionId
 * - remind_too_late: a reminder at or before the start of the time limit (remindBeforeHours ≥ hours)
 */

export type FlowError = { path: string; code: string; params?: Record<string, string | number> };
export type FlowValidationContext = { fields: FlowFieldDef[] };

/** kinds of the pseudo-fields every type has (GET /approval-types lists them with labels) */
export const SUBMITTER_FIELD_KINDS: Record<(typeof SUBMITTER_FIELDS)[number], FlowFieldKind> = {
  '$submitter.department': 'department',
  // position ids: the designer picks org positions for it
  '$submitter.position': 'select',
  '$submitter.id': 'user',
};

type Kind = FlowFieldKind;
const ORDERED: Kind[] = ['number', 'money', 'percent', 'date'];

/** operators each field kind supports */
const OPS_BY_KIND: Record<Kind, Condition['op'][]> = {
  number: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'not_in', 'exceeds_position_limit'],
  money: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'not_in', 'exceeds_position_limit'],
  percent: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'not_in', 'exceeds_position_limit'],
  date: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte'],
  text: ['eq', 'ne', 'in', 'not_in', 'contains'],
  select: ['eq', 'ne', 'in', 'not_in'],
  department: ['eq', 'ne', 'in', 'not_in', 'dept_in'],
  user: ['eq', 'ne', 'in', 'not_in'],
  boolean: ['eq', 'ne'],
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;
type Scalar = string | number | boolean;

/** Whether one scalar value suits a field of this kind. */
function scalarFits(field: FlowFieldDef, v: unknown): boolean {
  switch (field.kind) {
    case 'number':
    case 'percent':
      return typeof v === 'number' && Number.isFinite(v);
    case 'money':
      return typeof v === 'number' && Number.isSafeInteger(v);
    case 'date':
      return typeof v === 'string' && DATE.test(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'select':
      return typeof v === 'string' && (!field.options?.length || field.options.includes(v));
    case 'text':
    case 'department':
    case 'user':
      return typeof v === 'string' && v.length > 0;
  }
}

function valueFits(field: FlowFieldDef, c: Condition): boolean {
  const v = c.value;
  switch (c.op) {
    case 'in':
    case 'not_in':
      return Array.isArray(v) && v.every((x) => scalarFits(field, x));
    case 'dept_in':
      return Array.isArray(v) && v.every((x) => typeof x === 'string' && x.length > 0);
    case 'exceeds_position_limit':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'contains':
      return typeof v === 'string' && v.length > 0;
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
    case 'eq':
    case 'ne':
      return !Array.isArray(v) && (typeof v !== 'object' || v === null) && scalarFits(field, v);
  }
}

const cmp = (a: Scalar, b: Scalar) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Whether the conditions of one AND group on the same field can never all hold: empty `in`, two
 * different `eq`, `eq` outside the bounds or excluded, bounds that cross (x > 100 and x < 50).
 * Only called with values that fit the field (checked before).
 */
function neverTrue(kind: Kind, conds: Condition[]): boolean {
  let allowed: Scalar[] | null = null;
  const excluded: Scalar[] = [];
  let lo: { v: Scalar; strict: boolean } | null = null;
  let hi: { v: Scalar; strict: boolean } | null = null;
  const ordered = ORDERED.includes(kind);
  for (const c of conds) {
    const v = c.value as Scalar | Scalar[];
    switch (c.op) {
      case 'eq':
      case 'in': {
        const list = Array.isArray(v) ? v : [v];
        allowed = allowed === null ? [...list] : allowed.filter((a) => list.includes(a));
        break;
      }
      case 'ne':
      case 'not_in':
        excluded.push(...(Array.isArray(v) ? v : [v]));
        break;
      case 'gt':
      case 'gte':
        if (ordered && !Array.isArray(v)) {
          const strict = c.op === 'gt';
          if (!lo || cmp(v, lo.v) > 0 || (cmp(v, lo.v) === 0 && strict)) lo = { v, strict };
        }
        break;
      case 'lt':
      case 'lte':
        if (ordered && !Array.isArray(v)) {
          const strict = c.op === 'lt';
          if (!hi || cmp(v, hi.v) < 0 || (cmp(v, hi.v) === 0 && strict)) hi = { v, strict };
        }
        break;
      case 'contains':
      case 'dept_in':
      case 'exceeds_position_limit':
        break;
    }
  }
  const inBounds = (x: Scalar) =>
    (!lo || cmp(x, lo.v) > 0 || (cmp(x, lo.v) === 0 && !lo.strict)) && (!hi || cmp(x, hi.v) < 0 || (cmp(x, hi.v) === 0 && !hi.strict));
  if (allowed !== null) return !allowed.some((x) => inBounds(x) && !excluded.includes(x));
  if (lo && hi) {
    const c = cmp(lo.v, hi.v);
    if (c > 0) return true;
    if (c === 0) return lo.strict || hi.strict || excluded.includes(lo.v);
  }
  if (kind === 'boolean') return excluded.includes(true) && excluded.includes(false);
  return false;
}

/** Canonical text of a condition group: the same condition written in another order compares equal. */
function canonical(group: ConditionGroup): string {
  const cond = (c: Condition) =>
    JSON.stringify([c.field, c.op, Array.isArray(c.value) ? [...c.value].map((x) => JSON.stringify(x)).sort() : c.value]);
  const groups = group.any.map((g) => JSON.stringify([...new Set(g.map(cond))].sort()));
  return JSON.stringify([...new Set(groups)].sort());
}

/**
 * Checks a condition group (an entry condition or a branch's) against the type's fields: every
 * field known, every operator and value suited to its kind, no AND group that can never hold.
 * `path` is the group's own path (e.g. `entry`, `nodes.1.branches.0.condition`).
 */
export function validateCondition(group: ConditionGroup, ctx: FlowValidationContext, path: string): FlowError[] {
  const errors: FlowError[] = [];
  const fields = new Map<string, FlowFieldDef>(SUBMITTER_FIELDS.map((key) => [key, { key, label: key, kind: SUBMITTER_FIELD_KINDS[key] }]));
  for (const f of ctx.fields) fields.set(f.key, f);
  group.any.forEach((and, gi) => {
    const groupPath = `${path}.any.${gi}`;
    let valid = true;
    and.forEach((c, ci) => {
      const at = `${groupPath}.${ci}`;
      const field = fields.get(c.field);
      if (!field) {
        errors.push({ path: at, code: 'unknown_field', params: { key: c.field } });
        valid = false;
      } else if (!OPS_BY_KIND[field.kind].includes(c.op)) {
        errors.push({ path: at, code: 'condition_operator', params: { key: c.field, label: field.label, op: c.op } });
        valid = false;
      } else if (!valueFits(field, c)) {
        errors.push({ path: at, code: 'condition_value', params: { key: c.field, label: field.label } });
        valid = false;
      }
    });
    if (!valid) return;
    const byField = new Map<string, Condition[]>();
    for (const c of and) byField.set(c.field, [...(byField.get(c.field) ?? []), c]);
    for (const [key, conds] of byField) {
      const field = fields.get(key)!;
      if (neverTrue(field.kind, conds)) {
        errors.push({ path: groupPath, code: 'never_true', params: { key, label: field.label } });
        break;
      }
    }
  });
  return errors;
}

/** Whether a chain holds a point with approvers (itself or inside one of its branches). */
function hasApprovers(nodes: FlowNode[]): boolean {
  return nodes.some((n) => (n.kind === 'point' ? n.approvers.length > 0 : n.branches.some((b) => hasApprovers(b.nodes))));
}

function checkApprovers(approvers: ApproverSpec[], path: string, errors: FlowError[]): void {
  approvers.forEach((a, i) => {
    if (a.kind === 'supervisor_chain' && a.levels === undefined && !a.untilPositionId) {
      errors.push({ path: `${path}.${i}`, code: 'chain_unbounded' });
    }
  });
}

/**
 * Every rule a flow definition must satisfy before it is saved, as a list of errors (empty when
 * the flow is fine). See the codes above. `ctx.fields`: the fields of the flow's document type (the
 * submitter pseudo-fields are always known).
 */
export function validateFlowDefinition(def: FlowDefinition, ctx: FlowValidationContext): FlowError[] {
  const errors: FlowError[] = [];
  const seen = new Set<string>();
  const id = (value: string, path: string) => {
    if (seen.has(value)) errors.push({ path, code: 'duplicate_id', params: { id: value } });
    seen.add(value);
  };

  const walk = (nodes: FlowNode[], base: string) => {
    nodes.forEach((node, i) => {
      const path = `${base}.${i}`;
      id(node.id, path);
      if (node.kind === 'point') {
        if (node.approvers.length === 0) errors.push({ path, code: 'no_approvers', params: { name: node.name } });
        checkApprovers(node.approvers, `${path}.approvers`, errors);
        const limit = node.timeLimit;
        if (limit && (limit.remindBeforeHours ?? 0) >= limit.hours) {
          errors.push({
            path: `${path}.timeLimit.remindBeforeHours`,
            code: 'remind_too_late',
            params: { name: node.name, hours: limit.hours },
          });
        }
        return;
      }
      const earlier: string[] = [];
      // set once a branch takes every document that reaches it: the branches after it never run
      let catchAll: string | null = null;
      let otherwise = false;
      node.branches.forEach((b, bi) => {
        const bp = `${path}.branches.${bi}`;
        id(b.id, bp);
        if (b.condition === null && otherwise) {
          errors.push({ path: bp, code: 'multiple_otherwise', params: { name: b.name } });
        } else if (catchAll !== null) {
          errors.push({ path: bp, code: 'unreachable', params: { name: b.name, after: catchAll } });
        } else if (b.condition) {
          const c = canonical(b.condition);
          if (earlier.includes(c)) errors.push({ path: bp, code: 'duplicate_condition', params: { name: b.name } });
          earlier.push(c);
        }
        if (b.condition === null) otherwise = true;
        if (catchAll === null && (b.condition === null || b.condition.any.length === 0)) catchAll = b.name;
        if (b.condition) errors.push(...validateCondition(b.condition, ctx, `${bp}.condition`));
        if (!hasApprovers(b.nodes)) errors.push({ path: bp, code: 'empty_branch', params: { name: b.name } });
        walk(b.nodes, `${bp}.nodes`);
      });
    });
  };

  walk(def.nodes, 'nodes');
  checkApprovers(def.cc ?? [], 'cc', errors);
  return errors;
}

/** The flow's entry condition (入口条件) checked the same way; paths start with `entry`. */
export function validateEntryCondition(entry: ConditionGroup | null | undefined, ctx: FlowValidationContext): FlowError[] {
  return entry ? validateCondition(entry, ctx, 'entry') : [];
}

/** Ids of users, org positions, approval positions and departments a flow points at (the server checks they exist). */
export function flowReferences(
  def: FlowDefinition,
  entry: ConditionGroup | null | undefined,
): {
  users: { id: string; path: string }[];
  positions: { id: string; path: string }[];
  approvalPositions: { id: string; path: string }[];
  departments: { id: string; path: string }[];
} {
  const refs = { users: [], positions: [], approvalPositions: [], departments: [] } as ReturnType<typeof flowReferences>;
  const specs = (list: ApproverSpec[], path: string) =>
    list.forEach((a, i) => {
      const at = `${path}.${i}`;
      switch (a.kind) {
        case 'users':
          a.userIds.forEach((u, ui) => refs.users.push({ id: u, path: `${at}.userIds.${ui}` }));
          break;
        case 'approval_position':
          refs.approvalPositions.push({ id: a.positionId, path: `${at}.positionId` });
          break;
        case 'role':
          refs.positions.push({ id: a.positionId, path: `${at}.positionId` });
          break;
        case 'supervisor_chain':
          if (a.untilPositionId) refs.positions.push({ id: a.untilPositionId, path: `${at}.untilPositionId` });
          break;
        case 'supervisor':
        case 'department_head':
          break;
      }
    });
  const condition = (g: ConditionGroup, path: string) =>
    g.any.forEach((and, gi) =>
      and.forEach((c, ci) => {
        const at = `${path}.any.${gi}.${ci}`;
        const list = Array.isArray(c.value) ? c.value : [c.value];
        if (c.op === 'dept_in' || c.field === '$submitter.department') {
          list.forEach((v) => typeof v === 'string' && refs.departments.push({ id: v, path: at }));
        } else if (c.field === '$submitter.position') {
          list.forEach((v) => typeof v === 'string' && refs.positions.push({ id: v, path: at }));
        } else if (c.op === 'exceeds_position_limit' && typeof c.value === 'object' && !Array.isArray(c.value)) {
          for (const p of Object.keys(c.value.limits)) refs.positions.push({ id: p, path: at });
        }
      }),
    );
  const walk = (nodes: FlowNode[], base: string) =>
    nodes.forEach((n, i) => {
      const path = `${base}.${i}`;
      if (n.kind === 'point') specs(n.approvers, `${path}.approvers`);
      else
        n.branches.forEach((b, bi) => {
          if (b.condition) condition(b.condition, `${path}.branches.${bi}.condition`);
          walk(b.nodes, `${path}.branches.${bi}.nodes`);
        });
    });
  walk(def.nodes, 'nodes');
  specs(def.cc ?? [], 'cc');
  if (entry) condition(entry, 'entry');
  return refs;
}
