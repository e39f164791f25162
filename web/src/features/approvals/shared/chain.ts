import type { ApprovalDetail, ApprovalTaskView, FlowNode, PointNode } from '@common/schemas/approvals';

/**
 * The chain of an instance as the pages draw it: the pinned definition walked top-down along the
 * path taken and the route planned at submission — branches collapse to the branch taken or
 * planned — with each point's approvers as its latest round of tasks say.
 */
export type ChainStep =
  | { kind: 'point'; node: PointNode; state: PointState; tasks: ApprovalTaskView[]; branchName?: string }
  | { kind: 'branch'; names: string[] };

/** done: passed; current: tasks pending; rejected: a task rejected it; skipped: passed by without tasks; waiting: not reached (yet) */
export type PointState = 'done' | 'current' | 'rejected' | 'skipped' | 'waiting';

type ChainInput = Pick<ApprovalDetail, 'definition' | 'path' | 'plannedPath' | 'tasks' | 'status'>;

function containsAny(nodes: FlowNode[], ids: Set<string>): boolean {
  return nodes.some((n) => (n.kind === 'point' ? ids.has(n.id) : n.branches.some((b) => containsAny(b.nodes, ids))));
}

/**
 * A point without tasks in its latest round: on the path → skipped; planned but not entered →
 * skipped when the walk went past it (an approved instance, or a point planned before where the
 * path stopped), else still to come / not reached.
 */
function untouchedState(d: ChainInput, id: string): PointState {
  if (d.path.includes(id)) return 'skipped';
  const at = d.plannedPath.indexOf(id);
  if (at < 0) return 'waiting';
  if (d.status === 'approved') return 'skipped';
  const stop = d.path.length ? d.plannedPath.indexOf(d.path[d.path.length - 1]) : -1;
  return at < stop ? 'skipped' : 'waiting';
}

function pointState(d: ChainInput, id: string, tasks: ApprovalTaskView[]): PointState {
  if (tasks.some((t) => t.status === 'pending' || (t.status === 'waiting' && d.status === 'pending'))) return 'current';
  if (tasks.some((t) => t.status === 'rejected')) return 'rejected';
  if (tasks.some((t) => t.status === 'approved')) return 'done';
  if (!tasks.length) return untouchedState(d, id);
  return d.path.includes(id) ? 'done' : 'waiting';
}

/** The latest round of a point's tasks (a reject back to it opens a new round), in approver order. */
function latestRound(tasks: ApprovalTaskView[], nodeId: string): ApprovalTaskView[] {
  const mine = tasks.filter((t) => t.nodeId === nodeId);
  const round = Math.max(0, ...mine.map((t) => t.round));
  return mine.filter((t) => t.round === round).sort((a, b) => a.seq - b.seq);
}

/**
 * Flattens the definition into the steps to draw: at a branch the branch holding points of the
 * path, else of the planned route; a branch whose points the route does not pass (no branch
 * matched, or the one taken is empty) is left out. Only without a planned route (older
 * instances) does an undecided branch show as a placeholder.
 */
export function buildChain(d: ChainInput): ChainStep[] {
  const taken = new Set(d.path);
  const planned = new Set(d.plannedPath);
  const steps: ChainStep[] = [];
  const walk = (nodes: FlowNode[], branchName?: string) => {
    nodes.forEach((n, i) => {
      if (n.kind === 'point') {
        const tasks = latestRound(d.tasks, n.id);
        steps.push({ kind: 'point', node: n, state: pointState(d, n.id, tasks), tasks, branchName: i === 0 ? branchName : undefined });
        return;
      }
      const branch = n.branches.find((b) => containsAny(b.nodes, taken)) ?? n.branches.find((b) => containsAny(b.nodes, planned));
      if (branch) walk(branch.nodes, branch.name);
      else if (!planned.size) steps.push({ kind: 'branch', names: n.branches.map((b) => b.name) });
    });
  };
  walk(d.definition.nodes);
  return steps;
}
