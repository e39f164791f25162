import type { FlowDefinition, FlowNode } from '@common/schemas/approvals';

/**
 * Problems of a flow, placed where the designer shows them: on a point / branch node / branch
 * (by id), on the cc list, on the top form (name, priority, entry …) or, failing all, above the chain.
 */
export type FlowIssues = {
  byTarget: Map<string, string[]>;
  cc: string[];
  /** top-form field (first path segment, e.g. 'name', 'entry') → messages */
  form: Map<string, string[]>;
  general: string[];
  count: number;
};

export const noIssues = (): FlowIssues => ({ byTarget: new Map(), cc: [], form: new Map(), general: [], count: 0 });

const push = <K>(map: Map<K, string[]>, key: K, msg: string) => map.set(key, [...(map.get(key) ?? []), msg]);

/**
 * Adds a message for `path`: a definition path (`nodes.1.branches.0.nodes.2.approvers`, `cc.0`) or,
 * with `definition.` in front, a server field path; `entry…`, `name` etc. go to the top form.
 */
export function addIssue(issues: FlowIssues, def: FlowDefinition, path: string, message: string): void {
  issues.count++;
  const segments = path.split('.').filter(Boolean);
  if (segments[0] === 'definition') segments.shift();
  else if (segments.length && segments[0] !== 'nodes' && segments[0] !== 'cc') {
    push(issues.form, segments[0], message);
    return;
  }
  if (segments[0] === 'cc') {
    issues.cc.push(message);
    return;
  }
  const target = targetOf(def.nodes, segments);
  if (target) push(issues.byTarget, target, message);
  else issues.general.push(message);
}

/** the id of the deepest node or branch the path reaches */
function targetOf(nodes: FlowNode[], segments: string[]): string | undefined {
  let list: FlowNode[] | undefined = segments[0] === 'nodes' ? nodes : undefined;
  let found: string | undefined;
  let i = 1;
  while (list && i < segments.length) {
    const node: FlowNode | undefined = list[Number(segments[i])];
    if (!node) break;
    found = node.id;
    list = undefined;
    if (node.kind === 'branch' && segments[i + 1] === 'branches') {
      const branch = node.branches[Number(segments[i + 2])];
      if (!branch) break;
      found = branch.id;
      if (segments[i + 3] === 'nodes') {
        list = branch.nodes;
        i += 4;
      }
    }
  }
  return found;
}
