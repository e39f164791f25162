import type { ApproverSpec, Condition, ConditionGroup, FlowFieldDef, PointNode } from '@common/schemas/approvals';
import type { TFunction } from '@web/app/i18n';
import type { Names } from './names';

/** Flow parts in words, for cards, tables and tooltips (e.g. 审批职位：财务 / 金额 > 10,000 元). */

const K = 'approvalsdesigner';

const listed = (t: TFunction, names: string[]) => names.join(t(`${K}.list_sep`));

export function approverSummary(t: TFunction, names: Names, spec: ApproverSpec): string {
  switch (spec.kind) {
    case 'approval_position':
      return t(`${K}.approver.summary.approval_position`, { name: names.approvalPositions.get(spec.positionId) ?? '?' });
    case 'users':
      return t(`${K}.approver.summary.users`, {
        names: listed(
          t,
          spec.userIds.map((id) => names.users.get(id) ?? '?'),
        ),
      });
    case 'supervisor':
      return t(`${K}.approver.kind.supervisor`);
    case 'supervisor_chain':
      return spec.untilPositionId !== undefined
        ? t(`${K}.approver.summary.chain_until`, { name: names.positions.get(spec.untilPositionId) ?? '?' })
        : t(`${K}.approver.summary.chain_levels`, { n: spec.levels ?? 1 });
    case 'department_head':
      return t(`${K}.approver.kind.department_head`);
    case 'role':
      return t(`${K}.approver.summary.role`, { name: names.positions.get(spec.positionId) ?? '?' });
  }
}

export function approversSummary(t: TFunction, names: Names, specs: ApproverSpec[]): string {
  return specs.map((s) => approverSummary(t, names, s)).join(t(`${K}.group_sep`));
}

export function pointModeLabel(t: TFunction, point: PointNode): string {
  return t(`${K}.mode.${point.mode}`);
}

const money = (fen: number) => (fen / 100).toLocaleString(undefined, { maximumFractionDigits: 2 });

function valueText(t: TFunction, names: Names, field: FlowFieldDef | undefined, c: Condition): string {
  if (c.op === 'exceeds_position_limit') return '';
  const one = (v: string | number | boolean): string => {
    if (typeof v === 'boolean') return t(v ? 'common.yes' : 'common.no');
    if (field?.key === '$submitter.position' && typeof v === 'string') return names.positions.get(v) ?? v;
    switch (field?.kind) {
      case 'money':
        return typeof v === 'number' ? t(`${K}.cond.yuan`, { n: money(v) }) : String(v);
      case 'percent':
        return `${v}%`;
      case 'department':
        return names.departments.get(String(v)) ?? String(v);
      case 'user':
        return names.users.get(String(v)) ?? String(v);
      default:
        return String(v);
    }
  };
  const v = c.value;
  if (Array.isArray(v)) return listed(t, v.map(one));
  if (typeof v === 'object') return '';
  return one(v);
}

export function conditionText(t: TFunction, names: Names, fields: FlowFieldDef[], c: Condition): string {
  const field = fields.find((f) => f.key === c.field);
  const label = field?.label ?? c.field;
  const value = valueText(t, names, field, c);
  return t(`${K}.cond.row`, { field: label, op: t(`${K}.op.${c.op}`), value }).trim();
}

/** (a 且 b) 或 c; `emptyKey` names the empty group (every document / not set yet) */
export function conditionSummary(
  t: TFunction,
  names: Names,
  fields: FlowFieldDef[],
  group: ConditionGroup | null,
  emptyKey: string,
): string {
  if (!group || group.any.length === 0) return t(emptyKey);
  const parts = group.any.map((and) => and.map((c) => conditionText(t, names, fields, c)).join(t(`${K}.cond.and`)));
  return parts.length === 1 ? parts[0] : parts.map((p) => `(${p})`).join(t(`${K}.cond.or`));
}
