import { sql, type Expression, type SqlBool, type ExpressionBuilder } from 'kysely';
import type { InstanceListQuery } from '@common/schemas/approvals';
import type { DB, DbOrTx } from '@server/db/types';
import { nowIso } from '@server/db/ids';
import type { InstanceRow } from './engine-store';

/**
 * Queries of the approval centre: the four boxes, one document's history, counts for the top
 * bar, and the participant test behind visibility.
 */

type Eb = ExpressionBuilder<DB, 'approval_instances'>;

/** actions that put an instance in the actor's 已办 box (on their own task: an admin's 离职交接 is not one) */
const DONE_ACTIONS = ['approve', 'reject', 'return', 'transfer', 'add_approver'];

/** The user submitted it, has (had) a task on it, or is copied on it. */
export function participates(eb: Eb, userId: string): Expression<SqlBool> {
  return eb.or([
    eb('approval_instances.submitter_id', '=', userId),
    eb.exists(
      eb
        .selectFrom('approval_tasks as pt')
        .select('pt.id')
        .whereRef('pt.instance_id', '=', 'approval_instances.id')
        .where('pt.approver_id', '=', userId),
    ),
    eb.exists(
      eb
        .selectFrom('approval_cc as pc')
        .select('pc.user_id')
        .whereRef('pc.instance_id', '=', 'approval_instances.id')
        .where('pc.user_id', '=', userId),
    ),
  ]);
}

export function findInstance(db: DbOrTx, id: string): Promise<InstanceRow | undefined> {
  return db.selectFrom('approval_instances').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The user's copy (抄送) of the instance counts as read from now on. */
export async function markCcRead(db: DbOrTx, instanceId: string, userId: string): Promise<void> {
  await db
    .updateTable('approval_cc')
    .set({ read_at: nowIso() })
    .where('instance_id', '=', instanceId)
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .execute();
}

export async function isParticipant(db: DbOrTx, instanceId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('approval_instances')
    .select('id')
    .where('id', '=', instanceId)
    .where((eb) => participates(eb, userId))
    .executeTakeFirst();
  return !!row;
}

export type ListRow = InstanceRow & { read_at?: string | null };

/**
 * One page of a box (or of one document's history when `documentType`/`documentId` are given:
 * `allDocument` true lists every instance of it, else only those the user takes part in).
 */
export async function listInstances(db: DbOrTx, userId: string, q: InstanceListQuery, opts: { allDocument: boolean }): Promise<ListRow[]> {
  let query = db.selectFrom('approval_instances').selectAll('approval_instances');
  if (q.documentType && q.documentId) {
    query = query.where('approval_instances.type', '=', q.documentType).where('approval_instances.document_id', '=', q.documentId);
    if (!opts.allDocument) query = query.where((eb) => participates(eb, userId));
  } else {
    switch (q.box) {
      case 'todo':
        query = query.where('approval_instances.id', 'in', (eb) =>
          eb.selectFrom('approval_tasks').select('instance_id').where('approver_id', '=', userId).where('status', '=', 'pending'),
        );
        break;
      case 'done':
        query = query.where('approval_instances.id', 'in', (eb) =>
          eb
            .selectFrom('approval_actions as a')
            .innerJoin('approval_tasks as t', 't.id', 'a.task_id')
            .select('a.instance_id')
            .where('a.actor_id', '=', userId)
            .where('t.approver_id', '=', userId)
            .where('a.action', 'in', DONE_ACTIONS),
        );
        break;
      case 'mine':
        query = query.where('approval_instances.submitter_id', '=', userId);
        break;
      case 'cc':
        break;
    }
  }
  if (q.type) query = query.where('approval_instances.type', '=', q.type);
  if (q.status) query = query.where('approval_instances.status', '=', q.status);
  if (q.q) {
    const pattern = `%${q.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(sql<SqlBool>`lower(approval_instances.title) like ${pattern} escape '\\'`);
  }
  if (q.cursor) query = query.where('approval_instances.id', '<', q.cursor);
  const page = query.orderBy('approval_instances.id', 'desc').limit(q.limit + 1);
  if (q.box === 'cc' && !(q.documentType && q.documentId)) {
    return page
      .innerJoin('approval_cc as c', (j) => j.onRef('c.instance_id', '=', 'approval_instances.id').on('c.user_id', '=', userId))
      .select('c.read_at')
      .execute();
  }
  return page.execute();
}

/** 待办 and unread 抄送 of a user. */
export async function countBoxes(db: DbOrTx, userId: string): Promise<{ todo: number; ccUnread: number }> {
  const [todo, cc] = await Promise.all([
    db
      .selectFrom('approval_tasks')
      .select((eb) => eb.fn.count<number>('instance_id').distinct().as('n'))
      .where('approver_id', '=', userId)
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('approval_cc')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow(),
  ]);
  return { todo: Number(todo.n), ccUnread: Number(cc.n) };
}

/** Names of users by id. */
export async function userNames(db: DbOrTx, ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids.filter(Boolean))];
  if (!unique.length) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'name']).where('id', 'in', unique).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Pending tasks' approvers of several instances (for the lists' 当前审批人). */
export async function pendingApprovers(db: DbOrTx, instanceIds: string[]): Promise<{ instance_id: string; name: string }[]> {
  if (!instanceIds.length) return [];
  return db
    .selectFrom('approval_tasks as t')
    .innerJoin('users as u', 'u.id', 't.approver_id')
    .select(['t.instance_id', 'u.name'])
    .where('t.instance_id', 'in', instanceIds)
    .where('t.status', '=', 'pending')
    .orderBy('t.seq')
    .orderBy('t.id')
    .execute();
}
