import type { ApprovalDetail, ApprovalTaskView, FlowNode, InstanceStatus, PointNode } from '@common/schemas/approvals';

/**
 * The chain of an instance as the pages draw it: the pinned definition walked top-down along the
 * path taken — branches collapse to the branch that was taken — with each point's approvers as its
 * latest round of tasks say.
 */
export type ChainStep =
  | { kind: 'point'; node: PointNode; state: PointState; tasks: ApprovalTaskView[]; branchName?: string }
  | { kind: 'branch'; names: string[] };

/** done: passed; current: tasks pending; rejected: a task rejected it; skipped: on the path without tasks; waiting: not reached */
export type PointState = 'done' | 'current' | 'rejected' | 'skipped' | 'waiting';

function containsAny(nodes: FlowNode[], ids: Set<string>): boolean {
  return nodes.some((n) => (n.kind === 'point' ? ids.has(n.id) : n.branches.some((b) => containsAny(b.nodes, ids))));
}

function pointState(inPath: boolean, tasks: ApprovalTaskView[], status: InstanceStatus): PointState {
  if (tasks.some((t) => t.status === 'pending' || (t.status === 'waiting' && status === 'pending'))) return 'current';
  if (tasks.some((t) => t.status === 'rejected')) return 'rejected';
  if (tasks.some((t) => t.status === 'approved')) return 'done';
  if (inPath && tasks.length === 0) return 'skipped';
  return inPath && tasks.length ? 'done' : 'waiting';
}

/** The latest round of a point's tasks (a reject back to it opens a new round), in approver order. */
function latestRound(tasks: ApprovalTaskView[], nodeId: string): ApprovalTaskView[] {
  const mine = tasks.filter((t) => t.nodeId === nodeId);
  const round = Math.max(0, ...mine.map((t) => t.round));
  return mine.filter((t) => t.round === round).sort((a, b) => a.seq - b.seq);
}

/** Flattens the definition along `path` into the steps to draw. */
export function buildChain(d: Pick<ApprovalDetail, 'definition' | 'path' | 'tasks' | 'status'>): ChainStep[] {
  const ids = new Set(d.path);
  const steps: ChainStep[] = [];
  const walk = (nodes: FlowNode[], branchName?: string) => {
    nodes.forEach((n, i) => {
      if (n.kind === 'point') {
        const tasks = latestRound(d.tasks, n.id);
        steps.push({
          kind: 'point',
          node: n,
          state: pointState(ids.has(n.id), tasks, d.status),
          tasks,
          branchName: i === 0 ? branchName : undefined,
        });
        return;
      }
      const taken = n.branches.find((b) => containsAny(b.nodes, ids));
      if (taken) walk(taken.nodes, taken.name);
      else steps.push({ kind: 'branch', names: n.branches.map((b) => b.name) });
    });
  };
  walk(d.definition.nodes);
  return steps;
}
