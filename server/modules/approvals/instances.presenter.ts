import type {
  ActionKind,
  ApprovalActionView,
  ApprovalDetail,
  ApprovalListItem,
  ApprovalTaskView,
  FlowFieldKind,
  InstanceStatus,
  TaskStatus,
} from '@common/schemas/approvals';
import { translate, type Locale } from '@common/messages/index';
import type { DbOrTx } from '@server/db/types';
import { approvable, type ApprovableDef } from './registry';
import { typeLabel } from './engine-notify';
import { loadVersion, parseJson, pointsOf, readState, type FlowVersion } from './engine-store';
import { pendingApprovers, userNames, type ListRow } from './instances.repository';

/** Shapes of the approval centre: list rows and the detail, in the caller's language. */

/** Per-request caches of document types and pinned versions (a page shows a handful of each). */
export class Lookups {
  private readonly defs = new Map<string, Promise<ApprovableDef | undefined>>();
  private readonly versions = new Map<string, Promise<FlowVersion | undefined>>();
  constructor(private readonly db: DbOrTx) {}
  def(type: string) {
    if (!this.defs.has(type)) this.defs.set(type, approvable(this.db, type));
    return this.defs.get(type)!;
  }
  version(id: string) {
    if (!this.versions.has(id))
      this.versions.set(
        id,
        loadVersion(this.db, id).catch(() => undefined),
      );
    return this.versions.get(id)!;
  }
}

export async function presentList(db: DbOrTx, rows: ListRow[], locale: Locale, lookups = new Lookups(db)): Promise<ApprovalListItem[]> {
  const names = await userNames(
    db,
    rows.map((r) => r.submitter_id),
  );
  const approvers = await pendingApprovers(
    db,
    rows.filter((r) => r.status === 'pending').map((r) => r.id),
  );
  const items: ApprovalListItem[] = [];
  for (const r of rows) {
    const def = await lookups.def(r.type);
    const version = await lookups.version(r.flow_version_id);
    const node = r.current_node_id && version ? pointsOf(version.definition.nodes).get(r.current_node_id) : undefined;
    items.push({
      id: r.id,
      type: r.type,
      typeLabel: typeLabel(def, locale, r.type),
      documentId: r.document_id,
      title: r.title,
      status: r.status as InstanceStatus,
      submitterId: r.submitter_id,
      submitterName: names.get(r.submitter_id) ?? '',
      currentNodeName: node?.name ?? null,
      currentApprovers: r.status === 'pending' ? approvers.filter((a) => a.instance_id === r.id).map((a) => a.name) : [],
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      finishedAt: r.finished_at,
      ...(r.read_at !== undefined ? { read: r.read_at !== null } : {}),
    });
  }
  return items;
}

type Can = ApprovalDetail['can'];
type Field = ApprovalDetail['fields'][number];

/** the ids a user / department value names (one id or a list of them) */
const idsOf = (v: unknown): string[] => (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string' && x.length > 0);

/**
 * Names the ids of user and department values: a viewer of the approval may not be allowed to
 * look users or departments up, and the snapshot keeps only ids. Unknown ids stay as they are.
 */
async function withDisplay(db: DbOrTx, fields: Omit<Field, 'display'>[]): Promise<Field[]> {
  const of = (kind: FlowFieldKind) => fields.filter((f) => f.kind === kind).flatMap((f) => idsOf(f.value));
  const deptIds = [...new Set(of('department'))];
  const [users, depts] = await Promise.all([
    userNames(db, of('user')),
    deptIds.length ? db.selectFrom('departments').select(['id', 'name']).where('id', 'in', deptIds).execute() : Promise.resolve([]),
  ]);
  const names = { user: users, department: new Map(depts.map((d) => [d.id, d.name])) };
  return fields.map((f) => {
    const byId = f.kind === 'user' || f.kind === 'department' ? names[f.kind] : null;
    const ids = byId ? idsOf(f.value) : [];
    return { ...f, display: byId && ids.length ? ids.map((id) => byId.get(id) ?? id).join('、') : null };
  });
}

/** The detail of one instance for a caller who may see it; `can` and `rejectTargets` are the caller's. */
export async function presentDetail(db: DbOrTx, row: ListRow, userId: string, locale: Locale): Promise<ApprovalDetail> {
  const lookups = new Lookups(db);
  const [item] = await presentList(db, [row], locale, lookups);
  const def = await lookups.def(row.type);
  const version = await loadVersion(db, row.flow_version_id);
  const points = pointsOf(version.definition.nodes);
  const state = readState(row);
  const snapshot = parseJson<Record<string, unknown>>(row.fields, {});
  const [tasks, actions, cc] = await Promise.all([
    db.selectFrom('approval_tasks').selectAll().where('instance_id', '=', row.id).orderBy('id').execute(),
    db.selectFrom('approval_actions').selectAll().where('instance_id', '=', row.id).orderBy('id').execute(),
    db.selectFrom('approval_cc').selectAll().where('instance_id', '=', row.id).orderBy('created_at').orderBy('user_id').execute(),
  ]);
  const names = await userNames(db, [
    ...tasks.map((t) => t.approver_id),
    ...actions.map((a) => a.actor_id ?? ''),
    ...cc.map((c) => c.user_id),
  ]);
  const fileIds = actions.flatMap((a) => parseJson<string[]>(a.attachments, []));
  const files = fileIds.length
    ? await db
        .selectFrom('files')
        .select(['id', 'name', 'size'])
        .where('id', 'in', [...new Set(fileIds)])
        .where('deleted_at', 'is', null)
        .execute()
    : [];
  const fileById = new Map(files.map((f) => [f.id, f]));

  const current = row.current_node_id;
  const mine = tasks.find(
    (t) => t.approver_id === userId && t.status === 'pending' && t.node_id === current && t.round === (state.rounds[current ?? ''] ?? 1),
  );
  const decider = row.status === 'pending' && !!mine;
  const isSubmitter = row.submitter_id === userId;
  const can: Can = {
    approve: decider,
    reject: decider,
    transfer: decider,
    addApprover: decider,
    withdraw: isSubmitter && (row.status === 'returned' || (row.status === 'pending' && !state.acted)),
    resubmit: isSubmitter && row.status === 'returned',
  };
  const here = current ? state.path.lastIndexOf(current) : -1;
  const rejectTargets = decider ? state.path.slice(0, Math.max(here, 0)).map((id) => ({ id, name: points.get(id)?.name ?? id })) : [];

  const raw = def
    ? def.fields.map((f) => ({
        key: f.key,
        label: f.labelKey ? translate(locale, f.labelKey) : f.label,
        kind: f.kind,
        value: snapshot[f.key] ?? null,
      }))
    : Object.entries(snapshot).map(([key, value]) => ({ key, label: key, kind: 'text' as FlowFieldKind, value }));
  const fields = await withDisplay(db, raw);

  return {
    ...item,
    flowId: row.flow_id,
    flowName: version.flowName,
    definitionVersion: version.number,
    definition: version.definition,
    fields,
    path: state.path,
    plannedPath: state.route,
    tasks: tasks.map((t): ApprovalTaskView => ({
      id: t.id,
      nodeId: t.node_id,
      round: t.round,
      seq: t.seq,
      approverId: t.approver_id,
      approverName: names.get(t.approver_id) ?? '',
      status: t.status as TaskStatus,
      dueAt: t.due_at,
      actedAt: t.acted_at,
      comment: t.comment,
    })),
    actions: actions.map((a): ApprovalActionView => ({
      id: a.id,
      action: a.action as ActionKind,
      nodeId: a.node_id,
      nodeName: a.node_id ? (points.get(a.node_id)?.name ?? null) : null,
      actorId: a.actor_id,
      actorName: a.actor_id ? (names.get(a.actor_id) ?? null) : null,
      comment: a.comment,
      attachments: parseJson<string[]>(a.attachments, []).flatMap((id) => {
        const f = fileById.get(id);
        return f ? [{ id: f.id, name: f.name, size: f.size }] : [];
      }),
      detail: parseJson<Record<string, unknown> | null>(a.detail, null),
      at: a.at,
    })),
    cc: cc.map((c) => ({ userId: c.user_id, userName: names.get(c.user_id) ?? '', readAt: c.read_at })),
    documentLink: state.link,
    can,
    rejectTargets,
  };
}
