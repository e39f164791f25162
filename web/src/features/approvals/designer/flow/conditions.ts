import type { Condition, ConditionOp, FlowFieldDef } from '@common/schemas/approvals';

/** Which operators a field offers and what value a fresh row starts with. */

const NUMERIC: ConditionOp[] = ['gt', 'gte', 'lt', 'lte', 'eq', 'ne'];

/** how the designer treats a field: the submitter's position is picked among org positions */
export type ValueKind = FlowFieldDef['kind'] | 'position';

export function valueKind(field: FlowFieldDef): ValueKind {
  return field.key === '$submitter.position' ? 'position' : field.kind;
}

export function opsFor(field: FlowFieldDef): ConditionOp[] {
  switch (valueKind(field)) {
    case 'number':
    case 'percent':
      // 折扣超出职位权限 compares a number with the submitter's position's limit
      return [...NUMERIC, 'exceeds_position_limit'];
    case 'money':
      return [...NUMERIC, 'exceeds_position_limit'];
    case 'date':
      return ['gt', 'gte', 'lt', 'lte', 'eq'];
    case 'text':
      return ['eq', 'ne', 'contains', 'in', 'not_in'];
    case 'select':
    case 'user':
    case 'position':
      return ['eq', 'ne', 'in', 'not_in'];
    case 'department':
      return ['dept_in', 'eq', 'ne'];
    case 'boolean':
      return ['eq'];
  }
}

/** list-valued operators */
export const isListOp = (op: ConditionOp) => op === 'in' || op === 'not_in' || op === 'dept_in';

export function defaultValue(field: FlowFieldDef, op: ConditionOp): Condition['value'] {
  if (op === 'exceeds_position_limit') return { limits: {}, default: 0 };
  if (isListOp(op)) return [];
  switch (valueKind(field)) {
    case 'number':
    case 'money':
    case 'percent':
      return 0;
    case 'boolean':
      return true;
    default:
      return '';
  }
}

export function newCondition(field: FlowFieldDef): Condition {
  const op = opsFor(field)[0];
  return { field: field.key, op, value: defaultValue(field, op) };
}
