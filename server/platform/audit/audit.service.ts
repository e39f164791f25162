import type { FastifyRequest } from 'fastify';
import type { DbOrTx } from '@server/db/types';
import { newId, nowIso } from '@server/db/ids';

/** Who is acting: built from the request (or by the CLI / a job for system actions). */
export type Actor = { id: string | null; name: string | null; ip: string | null; adminBypass?: boolean };

export const SYSTEM_ACTOR: Actor = { id: null, name: 'system', ip: null };

export function actorOf(request: FastifyRequest): Actor {
  const auth = request.auth;
  return { id: auth?.user.id ?? null, name: auth?.user.name ?? null, ip: request.ip, adminBypass: auth?.adminBypass };
}

export type AuditEntry = {
  action: string;
  entity: string;
  entityId?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  detail?: string | null;
};

/** Field names never written to the audit log (their change is recorded, not their value). */
const SECRET_FIELDS = new Set(['password', 'password_hash', 'passwordHash', 'token', 'token_hash', 'secret', 'idNumber']);

/** Field-level changes `{ field: [before, after] }`; only fields that differ, secrets masked. */
export function diff(before: Record<string, unknown> | null | undefined, after: Record<string, unknown> | null | undefined) {
  const changes: Record<string, [unknown, unknown]> = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const k of keys) {
    if (k === 'version' || k === 'updated_at' || k === 'updatedAt') continue;
    const b = before?.[k] ?? null;
    const a = after?.[k] ?? null;
    if (JSON.stringify(b) === JSON.stringify(a)) continue;
    changes[k] = SECRET_FIELDS.has(k) ? ['***', '***'] : [b, a];
  }
  return changes;
}

/**
 * Appends one audit entry. Call it inside the mutation's transaction so the entry and the
 * change land together. Entries are never updated or deleted.
 */
export async function audit(db: DbOrTx, actor: Actor, entry: AuditEntry): Promise<void> {
  const changes = entry.before !== undefined || entry.after !== undefined ? diff(entry.before, entry.after) : null;
  const detail = [entry.detail, actor.adminBypass ? 'admin' : null].filter(Boolean).join('; ') || null;
  await db
    .insertInto('audit_log')
    .values({
      id: newId(),
      at: nowIso(),
      actor_id: actor.id,
      actor_name: actor.name,
      ip: actor.ip,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId ?? null,
      changes: changes && Object.keys(changes).length ? JSON.stringify(changes) : null,
      detail,
    })
    .execute();
}
