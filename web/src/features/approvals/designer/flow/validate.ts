import { validateEntryCondition, validateFlowDefinition, type FlowError } from '@common/approvals/validate-flow';
import type { ApproverSpec, ConditionGroup, FlowDefinition, FlowFieldDef, FlowNode } from '@common/schemas/approvals';
import type { TFunction } from '@web/app/i18n';
import { addIssue, noIssues, type FlowIssues } from './issues';

/**
 * Every problem of the flow being designed: the shared validator's (the server runs the same one on
 * save), what the designer can tell before the schema would (an approver kind with nothing picked
 * yet, an empty name, a branch condition not set), and the last save's field errors from the server.
 */
export function collectIssues(
  t: TFunction,
  input: { definition: FlowDefinition; entry: ConditionGroup | null; fields: FlowFieldDef[] },
  server: { field: string; message: string }[],
): FlowIssues {
  const issues = noIssues();
  const { definition, entry, fields } = input;
  const shared: FlowError[] = [...validateFlowDefinition(definition, { fields }), ...validateEntryCondition(entry, { fields })];
  for (const e of [...shared, ...incomplete(definition, entry, fields)]) {
    const key = e.code.includes('.') ? e.code : `approvalsapi.invalid.${e.code}`;
    addIssue(issues, definition, e.path, t(key, e.params));
  }
  for (const e of server) addIssue(issues, definition, e.field, e.message);
  return issues;
}

const D = 'approvalsdesigner.invalid';

/** designer-only checks: things the schema refuses that the form lets an admin leave half done */
function incomplete(def: FlowDefinition, entry: ConditionGroup | null, fields: FlowFieldDef[]): FlowError[] {
  const errors: FlowError[] = [];
  // an empty 'in' list is caught by the shared validator (never true); these pass it and test nothing
  const conditions = (group: ConditionGroup | null, path: string) =>
    group?.any.forEach((and, gi) =>
      and.forEach((c, ci) => {
        if ((c.op === 'dept_in' || c.op === 'not_in') && Array.isArray(c.value) && c.value.length === 0) {
          const label = fields.find((f) => f.key === c.field)?.label ?? c.field;
          errors.push({ path: `${path}.any.${gi}.${ci}`, code: `${D}.value_missing`, params: { label } });
        }
      }),
    );
  const specs = (list: ApproverSpec[], path: string) =>
    list.forEach((a, i) => {
      // (a supervisor chain without its position is the shared validator's chain_unbounded)
      const missing =
        ((a.kind === 'approval_position' || a.kind === 'role') && !a.positionId) || (a.kind === 'users' && a.userIds.length === 0);
      if (missing) errors.push({ path: `${path}.${i}`, code: `${D}.approver_incomplete`, params: { n: i + 1 } });
    });
  const walk = (nodes: FlowNode[], base: string) =>
    nodes.forEach((n, i) => {
      const path = `${base}.${i}`;
      if (n.kind === 'point') {
        if (!n.name.trim()) errors.push({ path, code: `${D}.name_required` });
        specs(n.approvers, `${path}.approvers`);
        return;
      }
      n.branches.forEach((b, bi) => {
        const bp = `${path}.branches.${bi}`;
        if (!b.name.trim()) errors.push({ path: bp, code: `${D}.name_required` });
        if (b.condition && b.condition.any.length === 0) errors.push({ path: bp, code: `${D}.condition_unset`, params: { name: b.name } });
        conditions(b.condition, `${bp}.condition`);
        walk(b.nodes, `${bp}.nodes`);
      });
    });
  walk(def.nodes, 'nodes');
  specs(def.cc, 'cc');
  conditions(entry, 'entry');
  if (def.nodes.length === 0) errors.push({ path: 'nodes', code: `${D}.no_nodes` });
  return errors;
}
