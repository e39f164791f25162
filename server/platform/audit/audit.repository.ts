import type { Db } from '@server/db/types';
import { keysetPage } from '@server/db/keyset';

export type AuditQuery = {
  actorId?: string;
  entity?: string;
  entityId?: string;
  action?: string;
  from?: string;
  to?: string;
  cursor?: string;
  limit: number;
};

/** Newest first, keyset on the time-ordered id. */
export async function findAudit(db: Db, q: AuditQuery) {
  let query = db.selectFrom('audit_log').selectAll();
  if (q.actorId) query = query.where('actor_id', '=', q.actorId);
  if (q.entity) query = query.where('entity', '=', q.entity);
  if (q.entityId) query = query.where('entity_id', '=', q.entityId);
  if (q.action) query = query.where('action', '=', q.action);
  if (q.from) query = query.where('at', '>=', q.from);
  if (q.to) query = query.where('at', '<', q.to);
  if (q.cursor) query = query.where('id', '<', q.cursor);
  const rows = await query
    .orderBy('id', 'desc')
    .limit(q.limit + 1)
    .execute();
  return keysetPage(rows, q.limit, (r) => ({
    id: r.id,
    at: r.at,
    actorId: r.actor_id,
    actorName: r.actor_name,
    ip: r.ip,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    changes: r.changes ? (JSON.parse(r.changes) as Record<string, [unknown, unknown]>) : null,
    detail: r.detail,
  }));
}
