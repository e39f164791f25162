import type { FieldRule, PositionPermissions } from '@common/permissions';
import type { Department, Position, User } from '@common/schemas/org';
import type { DepartmentRow } from './departments.repository';
import type { PositionRow } from './positions.repository';
import type { UserRow } from './users.repository';

/** Database rows → API shapes (camelCase). User fields the viewer's position hides come back null. */

export function presentDepartment(r: DepartmentRow): Department {
  return {
    id: r.id,
    name: r.name,
    parentId: r.parent_id,
    headUserId: r.head_user_id,
    headName: r.head_name,
    sortOrder: r.sort_order,
    disabled: r.disabled === 1,
    userCount: r.user_count,
    version: r.version,
  };
}

export function presentPosition(r: PositionRow): Position {
  return {
    id: r.id,
    name: r.name,
    parentId: r.parent_id,
    description: r.description,
    permissions: JSON.parse(r.permissions) as PositionPermissions,
    userCount: r.user_count,
    version: r.version,
  };
}

/** `fields` are the viewer's field rules (`org.mobile` → 'hidden' …); admins pass an empty map. */
export function presentUser(r: UserRow, fields: Record<string, FieldRule>): User {
  const hidden = (f: string) => fields[`org.${f}`] === 'hidden';
  return {
    id: r.id,
    username: r.username,
    name: r.name,
    email: hidden('email') ? null : r.email,
    mobile: hidden('mobile') ? null : r.mobile,
    departmentId: r.department_id,
    departmentName: r.department_name,
    positionId: r.position_id,
    positionName: r.position_name,
    supervisorId: r.supervisor_id,
    supervisorName: r.supervisor_name,
    status: r.status,
    isAdmin: r.is_admin === 1,
    mustChangePassword: r.must_change_password === 1,
    createdAt: r.created_at,
    version: r.version,
  };
}
