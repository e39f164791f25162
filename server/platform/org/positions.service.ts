import type { DbOrTx } from '@server/db/types';
import { MODULES, type PositionPermissions } from '@common/permissions';
import { permissionsSchema, type CreatePositionBody, type Position, type UpdatePositionBody } from '@common/schemas/org';
import { newId, nowIso } from '@server/db/ids';
import { AppError, fieldError } from '../http/errors';
import { audit } from '../audit/audit.service';
import { withTx, type Caller } from './caller';
import {
  findPositionRow,
  insertPosition,
  isInPositionTree,
  listPositionRows,
  positionHolders,
  updatePositionRow,
} from './positions.repository';
import { presentPosition } from './presenters';
import { assertWithinCaller, requirePosition } from './references';
import { moveToRecycleBin } from './recycle';

const auditView = (p: Position) => ({ name: p.name, parentId: p.parentId, description: p.description });

/**
 * Checks a permission matrix against MODULES (400 naming the first bad path, e.g.
 * `permissions.modules.org.actions.1`) and returns it normalised: actions unique and in the
 * module's own order, so equal matrices store equal JSON.
 */
export function normalisePermissions(input: unknown): PositionPermissions {
  const parsed = permissionsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const code = issue.message.startsWith('validation.') ? issue.message : 'invalid';
    throw fieldError(['permissions', ...issue.path.map(String)].join('.'), code);
  }
  const modules: PositionPermissions['modules'] = {};
  for (const def of MODULES) {
    const grant = parsed.data.modules[def.key];
    if (!grant) continue;
    modules[def.key] = {
      actions: def.actions.filter((a) => grant.actions.includes(a)),
      scope: grant.scope as PositionPermissions['modules'][string]['scope'],
    };
  }
  return { modules, fields: parsed.data.fields as PositionPermissions['fields'] };
}

export async function listPositions(db: DbOrTx): Promise<Position[]> {
  return (await listPositionRows(db)).map(presentPosition);
}

/** One live position, or 404. */
export async function getPosition(db: DbOrTx, id: string): Promise<Position> {
  const row = await findPositionRow(db, id);
  if (!row) throw new AppError('not_found');
  return presentPosition(row);
}

/** Creates a position (职位), optionally below a parent position and with its permission matrix. Audited. */
export async function createPosition(db: DbOrTx, body: CreatePositionBody, caller: Caller): Promise<Position> {
  const permissions = normalisePermissions(body.permissions ?? { modules: {}, fields: {} });
  assertWithinCaller(caller, permissions);
  return withTx(db, async (tx) => {
    if (body.parentId) await requirePosition(tx, 'parentId', body.parentId);
    const now = nowIso();
    const id = newId();
    await insertPosition(tx, {
      id,
      name: body.name,
      parent_id: body.parentId ?? null,
      description: body.description ?? null,
      permissions: JSON.stringify(permissions),
      version: 1,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    });
    const created = await getPosition(tx, id);
    await audit(tx, caller.actor, { action: 'create', entity: 'position', entityId: id, after: { ...auditView(created), permissions } });
    return created;
  });
}

/** Renames, re-parents (cycles refused on `parentId`) or re-describes a position. Stale version → 409. */
export async function updatePosition(db: DbOrTx, id: string, body: UpdatePositionBody, caller: Caller): Promise<Position> {
  return withTx(db, async (tx) => {
    const before = await getPosition(tx, id);
    if (before.version !== body.version) throw new AppError('stale_version');
    const patch: Parameters<typeof updatePositionRow>[3] = {};
    if (body.name !== undefined) patch.name = body.name;
    if (body.description !== undefined) patch.description = body.description;
    if (body.parentId !== undefined && body.parentId !== before.parentId) {
      if (body.parentId) {
        if (await isInPositionTree(tx, id, body.parentId)) throw fieldError('parentId', 'cycle');
        await requirePosition(tx, 'parentId', body.parentId);
      }
      patch.parent_id = body.parentId;
    }
    if (!(await updatePositionRow(tx, id, body.version, patch, nowIso()))) throw new AppError('stale_version');
    const after = await getPosition(tx, id);
    await audit(tx, caller.actor, {
      action: 'update',
      entity: 'position',
      entityId: id,
      before: auditView(before),
      after: auditView(after),
    });
    return after;
  });
}

/**
 * Replaces a position's permission matrix (module × action, data scope, field rules). Audited as
 * action 'permission' with the whole matrix before and after. Stale version → 409. A non-admin
 * may not change the matrix of their own position.
 */
export async function putPermissions(db: DbOrTx, id: string, version: number, input: unknown, caller: Caller): Promise<Position> {
  const permissions = normalisePermissions(input);
  // otherwise an org editor could grant themselves anything through their own position
  if (!caller.isAdmin && caller.positionId === id) throw new AppError('admin_required');
  assertWithinCaller(caller, permissions);
  return withTx(db, async (tx) => {
    const before = await getPosition(tx, id);
    if (before.version !== version) throw new AppError('stale_version');
    if (!(await updatePositionRow(tx, id, version, { permissions: JSON.stringify(permissions) }, nowIso())))
      throw new AppError('stale_version');
    const after = await getPosition(tx, id);
    await audit(tx, caller.actor, {
      action: 'permission',
      entity: 'position',
      entityId: id,
      before: { permissions: before.permissions },
      after: { permissions: after.permissions },
    });
    return after;
  });
}

/**
 * Soft-deletes a position into the recycle bin; 409 while any user (of any status) holds it.
 * Its child positions move up to its parent so the tree stays whole.
 */
export async function deletePosition(db: DbOrTx, id: string, version: number | undefined, caller: Caller): Promise<void> {
  await withTx(db, async (tx) => {
    const before = await getPosition(tx, id);
    if (version !== undefined && before.version !== version) throw new AppError('stale_version');
    const users = await positionHolders(tx, id);
    if (users > 0) throw new AppError('position_in_use', { users });
    const now = nowIso();
    const children = await tx
      .selectFrom('positions')
      .select(['id', 'version'])
      .where('parent_id', '=', id)
      .where('deleted_at', 'is', null)
      .execute();
    for (const c of children) {
      await updatePositionRow(tx, c.id, c.version, { parent_id: before.parentId }, now);
      await audit(tx, caller.actor, {
        action: 'update',
        entity: 'position',
        entityId: c.id,
        before: { parentId: id },
        after: { parentId: before.parentId },
      });
    }
    if (!(await updatePositionRow(tx, id, before.version, { deleted_at: now }, now))) throw new AppError('stale_version');
    await moveToRecycleBin(
      tx,
      { entity: 'position', entityId: id, label: before.name, before: { ...auditView(before), permissions: before.permissions } },
      caller.actor,
    );
  });
}
