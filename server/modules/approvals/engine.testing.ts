import type { FastifyInstance } from 'fastify';
import type { ApproverSpec, ApproveBody, ConditionGroup, FlowDefinition, FlowNode, PointNode, RejectBody } from '@common/schemas/approvals';
import type { Db, Tx } from '@server/db/types';
import { newId, nowIso } from '@server/db/ids';
import { SYSTEM_ACTOR, type Actor } from '@server/platform/audit/audit.service';
import { inTransaction } from '@server/platform/notify/transaction';
import { notFound } from '@server/platform/http/errors';
import { registerApprovable, type ApprovalOutcome } from './registry';
import { addApprover, approve, reject, resubmit, submitDocument, transfer, withdraw, type EngineContext } from './engine';

/**
 * Test fixtures for the engine: a document type kept in memory ('test_doc'), flows written
 * straight into approval_flows / approval_flow_versions (not through the flows API), and small
 * builders for chains.
 */

export const TEST_TYPE = 'test_doc';

export type TestDoc = { title: string; values: Record<string, unknown>; viewers?: string[]; failOn?: ApprovalOutcome };

export const testDocs = new Map<string, TestDoc>();
/** every onStatus call, in order */
export const statusCalls: { documentId: string; instanceId: string; status: ApprovalOutcome; actorId: string | null }[] = [];

registerApprovable({
  type: TEST_TYPE,
  label: '测试单据',
  module: null,
  fields: [
    { key: 'amount', label: '金额', kind: 'money' },
    { key: 'category', label: '类别', kind: 'select', options: ['办公', '差旅'] },
    { key: 'dept', label: '部门', kind: 'department' },
    { key: 'discount', label: '折扣', kind: 'percent' },
  ],
  async load(_db, id) {
    const doc = testDocs.get(id);
    if (!doc) throw notFound();
    return { title: doc.title, values: { ...doc.values }, link: `/test-docs/${id}` };
  },
  async canView(_db, auth, id) {
    return testDocs.get(id)?.viewers?.includes(auth.user.id) ?? false;
  },
  async onStatus(ctx, status) {
    if (testDocs.get(ctx.documentId)?.failOn === status) throw new Error('document refused');
    statusCalls.push({ documentId: ctx.documentId, instanceId: ctx.instanceId, status, actorId: ctx.actor.id });
  },
});

export function engineCtx(app: FastifyInstance, now?: () => Date): EngineContext {
  return { db: app.ctx.db, realtime: app.ctx.realtime, now };
}

let pointSeq = 0;
/** A point; id defaults to p1, p2 … */
export function point(approvers: ApproverSpec[], opts: Partial<PointNode> = {}): PointNode {
  pointSeq++;
  return { kind: 'point', id: `p${pointSeq}`, name: `审批点${pointSeq}`, approvers, mode: 'any', whenEmpty: 'skip', ...opts };
}

export const users = (...userIds: string[]): ApproverSpec => ({ kind: 'users', userIds });

/** A branch node; the last branch given `null` is the otherwise branch. */
export function branch(id: string, ...branches: { condition: ConditionGroup | null; nodes: FlowNode[] }[]): FlowNode {
  return { kind: 'branch', id, branches: branches.map((b, i) => ({ id: `${id}_${i}`, name: `分支${i + 1}`, ...b })) };
}

/** Writes a flow and its first version; answers both ids. */
export async function insertFlow(
  db: Db,
  opts: {
    type?: string;
    name?: string;
    priority?: number;
    isDefault?: boolean;
    enabled?: boolean;
    entry?: ConditionGroup | null;
    definition: FlowDefinition | { nodes: FlowNode[]; cc?: ApproverSpec[] };
  },
): Promise<{ flowId: string; versionId: string }> {
  const flowId = newId();
  const now = nowIso();
  await db
    .insertInto('approval_flows')
    .values({
      id: flowId,
      type: opts.type ?? TEST_TYPE,
      name: opts.name ?? '测试流程',
      description: null,
      priority: opts.priority ?? 0,
      is_default: (opts.isDefault ?? true) ? 1 : 0,
      enabled: (opts.enabled ?? true) ? 1 : 0,
      entry: opts.entry ? JSON.stringify(opts.entry) : null,
      current_version_id: null,
      version: 1,
      created_by: null,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    })
    .execute();
  const versionId = await addFlowVersion(db, flowId, opts.definition);
  return { flowId, versionId };
}

/** Saves a new definition version of a flow and makes it current (what editing a flow does). */
export async function addFlowVersion(db: Db, flowId: string, definition: { nodes: FlowNode[]; cc?: ApproverSpec[] }): Promise<string> {
  const last = await db
    .selectFrom('approval_flow_versions')
    .select((eb) => eb.fn.max('number').as('n'))
    .where('flow_id', '=', flowId)
    .executeTakeFirst();
  const id = newId();
  await db
    .insertInto('approval_flow_versions')
    .values({
      id,
      flow_id: flowId,
      number: Number(last?.n ?? 0) + 1,
      definition: JSON.stringify({ cc: [], ...definition }),
      created_by: null,
      created_at: nowIso(),
    })
    .execute();
  await db.updateTable('approval_flows').set({ current_version_id: id }).where('id', '=', flowId).execute();
  return id;
}

/** Creates a test document (or takes `documentId`, already in testDocs) and submits it as `submitterId`. */
export async function submitTest(
  app: FastifyInstance,
  submitterId: string,
  values: Record<string, unknown> = {},
  opts: {
    title?: string;
    cc?: string[];
    viewers?: string[];
    comment?: string;
    attachments?: string[];
    now?: () => Date;
    documentId?: string;
  } = {},
) {
  const documentId = opts.documentId ?? newId();
  if (!opts.documentId)
    testDocs.set(documentId, { title: opts.title ?? `测试单据 ${documentId.slice(-4)}`, values, viewers: opts.viewers });
  const actor: Actor = { ...SYSTEM_ACTOR, id: submitterId, name: 'submitter' };
  const result = await inTransaction(app.ctx.db, (tx) =>
    submitDocument(
      engineCtx(app, opts.now),
      tx,
      { type: TEST_TYPE, documentId, submitterId, cc: opts.cc, comment: opts.comment, attachments: opts.attachments },
      actor,
    ),
  );
  return { ...result, documentId };
}

/** Tasks of an instance as `approverId:status@node` strings, in creation order (compact assertions). */
export async function taskSummary(
  db: Db,
  instanceId: string,
): Promise<{ approverId: string; status: string; nodeId: string; round: number; seq: number }[]> {
  const rows = await db
    .selectFrom('approval_tasks')
    .select(['approver_id', 'status', 'node_id', 'round', 'seq'])
    .where('instance_id', '=', instanceId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ approverId: r.approver_id, status: r.status, nodeId: r.node_id, round: r.round, seq: r.seq }));
}

export async function instanceStatus(db: Db, instanceId: string): Promise<string> {
  const r = await db.selectFrom('approval_instances').select('status').where('id', '=', instanceId).executeTakeFirstOrThrow();
  return r.status;
}

export const asUser = (id: string): Actor => ({ id, name: id, ip: null });

type ActionFn<B> = (ctx: EngineContext, tx: Tx, instanceId: string, actor: Actor, body: B) => Promise<void>;

function exec<B>(app: FastifyInstance, fn: ActionFn<B>, instanceId: string, userId: string, body: B, now?: () => Date) {
  return inTransaction(app.ctx.db, (tx) => fn(engineCtx(app, now), tx, instanceId, asUser(userId), body));
}

/** The runtime actions called straight on the engine (the API tests go through HTTP). */
export const act = {
  approve: (app: FastifyInstance, id: string, userId: string, body: Partial<ApproveBody> = {}, now?: () => Date) =>
    exec(app, approve, id, userId, { attachments: [], ...body }, now),
  reject: (app: FastifyInstance, id: string, userId: string, body: Partial<RejectBody> = {}, now?: () => Date) =>
    exec(app, reject, id, userId, { attachments: [], to: 'end', ...body }, now),
  withdraw: (app: FastifyInstance, id: string, userId: string) => exec(app, withdraw, id, userId, {}),
  resubmit: (app: FastifyInstance, id: string, userId: string) => exec(app, resubmit, id, userId, {}),
  transfer: (app: FastifyInstance, id: string, userId: string, toUserId: string, now?: () => Date) =>
    exec(app, transfer, id, userId, { toUserId, attachments: [] }, now),
  addApprover: (app: FastifyInstance, id: string, userId: string, userIds: string[], where: 'before' | 'after') =>
    exec(app, addApprover, id, userId, { userIds, where, attachments: [] }),
};
