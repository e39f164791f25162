import type { DbOrTx } from '@server/db/types';
import type { CreateDepartmentBody, Department, UpdateDepartmentBody } from '@common/schemas/org';
import { newId, nowIso } from '@server/db/ids';
import { AppError, fieldError } from '../http/errors';
import { audit } from '../audit/audit.service';
import { withTx, type Caller } from './caller';
import {
  departmentDependents,
  findDepartmentRow,
  insertDepartment,
  isInDepartmentTree,
  listDepartmentRows,
  updateDepartmentRow,
} from './departments.repository';
import { presentDepartment } from './presenters';
import { requireActiveUser, requireDepartment } from './references';
import { moveToRecycleBin } from './recycle';

/** The fields of a department written to the audit log. */
const auditView = (d: Department) => ({
  name: d.name,
  parentId: d.parentId,
  headUserId: d.headUserId,
  sortOrder: d.sortOrder,
  disabled: d.disabled,
});

/** Every live department as a flat list (the client builds the tree from parentId). */
export async function listDepartments(db: DbOrTx): Promise<Department[]> {
  return (await listDepartmentRows(db)).map(presentDepartment);
}

/** One live department, or 404. */
export async function getDepartment(db: DbOrTx, id: string): Promise<Department> {
  const row = await findDepartmentRow(db, id);
  if (!row) throw new AppError('not_found');
  return presentDepartment(row);
}

/** Creates a department under `parentId` (a root when null), optionally with a head (负责人). Audited. */
export async function createDepartment(db: DbOrTx, body: CreateDepartmentBody, caller: Caller): Promise<Department> {
  return withTx(db, async (tx) => {
    if (body.parentId) await requireDepartment(tx, 'parentId', body.parentId);
    if (body.headUserId) await requireActiveUser(tx, 'headUserId', body.headUserId);
    const now = nowIso();
    const id = newId();
    await insertDepartment(tx, {
      id,
      name: body.name,
      parent_id: body.parentId ?? null,
      head_user_id: body.headUserId ?? null,
      sort_order: body.sortOrder ?? 0,
      disabled: 0,
      version: 1,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    });
    const created = await getDepartment(tx, id);
    await audit(tx, caller.actor, { action: 'create', entity: 'department', entityId: id, after: auditView(created) });
    return created;
  });
}

/**
 * Renames, moves (parentId), changes the head, the sort order or the disabled flag. A move under
 * the department itself or one of its descendants is refused on `parentId`. Stale version → 409.
 */
export async function updateDepartment(db: DbOrTx, id: string, body: UpdateDepartmentBody, caller: Caller): Promise<Department> {
  return withTx(db, async (tx) => {
    const before = await getDepartment(tx, id);
    if (before.version !== body.version) throw new AppError('stale_version');
    const patch: Parameters<typeof updateDepartmentRow>[3] = {};
    if (body.name !== undefined) patch.name = body.name;
    if (body.sortOrder !== undefined) patch.sort_order = body.sortOrder;
    if (body.disabled !== undefined) patch.disabled = body.disabled ? 1 : 0;
    if (body.parentId !== undefined && body.parentId !== before.parentId) {
      if (body.parentId) {
        if (await isInDepartmentTree(tx, id, body.parentId)) throw fieldError('parentId', 'cycle');
        await requireDepartment(tx, 'parentId', body.parentId);
      }
      patch.parent_id = body.parentId;
    }
    if (body.headUserId !== undefined && body.headUserId !== before.headUserId) {
      if (body.headUserId) await requireActiveUser(tx, 'headUserId', body.headUserId);
      patch.head_user_id = body.headUserId;
    }
    if (!(await updateDepartmentRow(tx, id, body.version, patch, nowIso()))) throw new AppError('stale_version');
    const after = await getDepartment(tx, id);
    await audit(tx, caller.actor, {
      action: 'update',
      entity: 'department',
      entityId: id,
      before: auditView(before),
      after: auditView(after),
    });
    return after;
  });
}

/**
 * Soft-deletes a department (deleted_at) into the recycle bin. Refused with 409 while users
 * (of any status: their records are scoped by department) or live sub-departments remain.
 */
export async function deleteDepartment(db: DbOrTx, id: string, version: number | undefined, caller: Caller): Promise<void> {
  await withTx(db, async (tx) => {
    const before = await getDepartment(tx, id);
    if (version !== undefined && before.version !== version) throw new AppError('stale_version');
    const dependents = await departmentDependents(tx, id);
    if (dependents.users > 0 || dependents.children > 0) throw new AppError('department_not_empty', dependents);
    const now = nowIso();
    if (!(await updateDepartmentRow(tx, id, before.version, { deleted_at: now }, now))) throw new AppError('stale_version');
    // the bin writes the 'delete' audit entry with the department as it was
    await moveToRecycleBin(tx, { entity: 'department', entityId: id, label: before.name, before: auditView(before) }, caller.actor);
  });
}
