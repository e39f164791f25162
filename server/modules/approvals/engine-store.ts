import type { Selectable } from 'kysely';
import type { FlowDefinition, FlowNode, PointNode } from '@common/schemas/approvals';
import type { ApprovalInstancesTable, ApprovalTasksTable, DbOrTx } from '@server/db/types';
import { AppError, notFound } from '@server/platform/http/errors';
import { matches, type ConditionSubject, type DepartmentTree } from './conditions';

/**
 * The engine's rows and the instance's own state: the planned route through the pinned chain,
 * the points entered so far and how often each was entered (rounds).
 */

export type InstanceRow = Selectable<ApprovalInstancesTable>;
export type TaskRow = Selectable<ApprovalTasksTable>;

/** approval_instances.state */
export type EngineState = {
  /** point ids this submission will pass, in order (branches decided on the submitted values) */
  route: string[];
  /** points entered in this submission, in order (a reject to a point cuts the path back to it) */
  path: string[];
  /** how often each point has been entered over the instance's life: the current round */
  rounds: Record<string, number>;
  /** 1 on submit, +1 per resubmit */
  submission: number;
  /** an approver acted in this submission (the submitter may no longer withdraw) */
  acted: boolean;
  /** the submitter's org position at (re)submission (conditions on '$submitter.position') */
  submitterPositionId: string | null;
  /** the document's own page */
  link: string | null;
};

export const UNFINISHED = ['waiting', 'pending'] as const;
export const isUnfinished = (t: Pick<TaskRow, 'status'>) => t.status === 'waiting' || t.status === 'pending';

export function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function readState(row: Pick<InstanceRow, 'state'>): EngineState {
  const s = parseJson<Partial<EngineState>>(row.state, {});
  return {
    route: s.route ?? [],
    path: s.path ?? [],
    rounds: s.rounds ?? {},
    submission: s.submission ?? 1,
    acted: s.acted ?? false,
    submitterPositionId: s.submitterPositionId ?? null,
    link: s.link ?? null,
  };
}

export type FlowVersion = { id: string; flowId: string; flowName: string; number: number; definition: FlowDefinition };

export async function loadVersion(db: DbOrTx, versionId: string): Promise<FlowVersion> {
  const row = await db
    .selectFrom('approval_flow_versions as v')
    .innerJoin('approval_flows as f', 'f.id', 'v.flow_id')
    .select(['v.id', 'v.flow_id', 'v.number', 'v.definition', 'f.name'])
    .where('v.id', '=', versionId)
    .executeTakeFirst();
  if (!row) throw new AppError('approval_no_flow');
  return {
    id: row.id,
    flowId: row.flow_id,
    flowName: row.name,
    number: row.number,
    definition: parseJson<FlowDefinition>(row.definition, { nodes: [], cc: [] }),
  };
}

/** Every point of a chain, branches included, keyed by id. */
export function pointsOf(nodes: FlowNode[], out = new Map<string, PointNode>()): Map<string, PointNode> {
  for (const n of nodes) {
    if (n.kind === 'point') out.set(n.id, n);
    else for (const b of n.branches) pointsOf(b.nodes, out);
  }
  return out;
}

/**
 * The points a document passes, in order: at a branch node the first branch whose condition
 * matches (the `condition: null` branch only when none does); no match passes the node by.
 */
export async function planRoute(nodes: FlowNode[], subject: ConditionSubject, tree: DepartmentTree): Promise<string[]> {
  const out: string[] = [];
  for (const n of nodes) {
    if (n.kind === 'point') {
      out.push(n.id);
      continue;
    }
    let taken = null;
    for (const b of n.branches) {
      if (b.condition !== null && (await matches(b.condition, subject, tree))) {
        taken = b;
        break;
      }
    }
    taken ??= n.branches.find((b) => b.condition === null) ?? null;
    if (taken) out.push(...(await planRoute(taken.nodes, subject, tree)));
  }
  return out;
}

export async function instanceRow(db: DbOrTx, id: string): Promise<InstanceRow> {
  const row = await db.selectFrom('approval_instances').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound();
  return row;
}

/**
 * Locks the instance for this action (PostgreSQL: the row lock is held until commit, so a second
 * approver of the same point waits here; SQLite: transactions are serialised anyway) and reads it
 * after the lock, so what follows sees the winner's changes.
 */
export async function lockInstance(tx: DbOrTx, id: string): Promise<InstanceRow> {
  const res = await tx
    .updateTable('approval_instances')
    .set((eb) => ({ version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) throw notFound();
  return instanceRow(tx, id);
}

/** Tasks of one entry of a point, in seq order. */
export function pointTasks(db: DbOrTx, instanceId: string, nodeId: string, round: number): Promise<TaskRow[]> {
  return db
    .selectFrom('approval_tasks')
    .selectAll()
    .where('instance_id', '=', instanceId)
    .where('node_id', '=', nodeId)
    .where('round', '=', round)
    .orderBy('seq')
    .orderBy('id')
    .execute();
}
