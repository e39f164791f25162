import type { FastifyRequest } from 'fastify';
import { EMPTY_PERMISSIONS, type FieldRule, type PositionPermissions } from '@common/permissions';
import type { Db, DbOrTx, Tx } from '@server/db/types';
import { actorOf, SYSTEM_ACTOR, type Actor } from '../audit/audit.service';
import { requireAuth } from '../access/check';
import { scopeFilter } from '../access/scope';
import { sql, type Expression, type SqlBool } from 'kysely';

/**
 * Who calls an organisation service: the audit actor plus what the service itself must check
 * (admin flag changes, field rules). Routes build it from the request; the CLI uses SYSTEM_CALLER.
 */
export type Caller = {
  actor: Actor;
  userId: string | null;
  /** the caller's own position: a non-admin may not widen it (see positions/users services) */
  positionId: string | null;
  isAdmin: boolean;
  /** field rules of the caller's position, key `module.field`; empty for admins */
  fields: Record<string, FieldRule>;
  /** the caller's own matrix: a non-admin hands out nothing beyond it */
  permissions: PositionPermissions;
  /** which users the caller may see and manage: org's data scope over `users as u` */
  userScope: Expression<SqlBool>;
};

export function callerOf(request: FastifyRequest): Caller {
  const auth = requireAuth(request);
  return {
    actor: actorOf(request),
    userId: auth.user.id,
    positionId: auth.user.positionId,
    isAdmin: auth.user.isAdmin,
    fields: auth.user.isAdmin ? {} : auth.caps.permissions.fields,
    permissions: auth.caps.permissions,
    userScope: scopeFilter(auth, 'org', { owner: 'u.id', department: 'u.department_id' }),
  };
}

export function systemCaller(name = 'system'): Caller {
  return {
    actor: { ...SYSTEM_ACTOR, name },
    userId: null,
    positionId: null,
    isAdmin: true,
    fields: {},
    permissions: EMPTY_PERMISSIONS,
    userScope: sql<SqlBool>`1 = 1`,
  };
}

/** Runs `fn` in the given transaction, or opens one: lets the seed wrap many service calls in one. */
export function withTx<T>(db: DbOrTx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Tx);
  return (db as Db).transaction().execute(fn);
}
