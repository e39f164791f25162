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
  for (const e of [...shared, ...incomplete(definition)]) {
    const key = e.code.includes('.') ? e.code : `approvalsapi.invalid.${e.code}`;
    addIssue(issues, definition, e.path, t(key, e.params));
  }
  for (const e of server) addIssue(issues, definition, e.field, e.message);
  return issues;
}

const D = 'approvalsdesigner.invalid';

/** designer-only checks: things the schema refuses that the form lets an admin leave half done */
function incomplete(def: FlowDefinition): FlowError[] {
  const errors: FlowError[] = [];
  const specs = (list: ApproverSpec[], path: string) =>
    list.forEach((a, i) => {
      const missing =
        ((a.kind === 'approval_position' || a.kind === 'role') && !a.positionId) ||
        (a.kind === 'users' && a.userIds.length === 0) ||
        (a.kind === 'supervisor_chain' && a.untilPositionId === '');
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
        walk(b.nodes, `${bp}.nodes`);
      });
    });
  walk(def.nodes, 'nodes');
  specs(def.cc, 'cc');
  if (def.nodes.length === 0) errors.push({ path: 'nodes', code: `${D}.no_nodes` });
  return errors;
}
