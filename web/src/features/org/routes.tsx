import { lazy } from 'react';
import { ApartmentOutlined, IdcardOutlined, TeamOutlined } from '@ant-design/icons';
import type { FeatureRoute } from '@web/app/features';

const view = { module: 'org', action: 'view' } as const;

/** Organisation admin pages (issue 2, points 4 and 5): departments, positions with their permissions, users. */
export const orgRoutes: FeatureRoute[] = [
  {
    path: '/org/departments',
    page: lazy(() => import('./departments/DepartmentsPage').then((m) => ({ default: m.DepartmentsPage }))),
    titleKey: 'orgui.departments.title',
    access: view,
    menu: { group: 'system', icon: <ApartmentOutlined />, order: 10 },
  },
  {
    path: '/org/positions',
    page: lazy(() => import('./positions/PositionsPage').then((m) => ({ default: m.PositionsPage }))),
    titleKey: 'orgui.positions.title',
    access: view,
    menu: { group: 'system', icon: <IdcardOutlined />, order: 20 },
  },
  {
    path: '/org/positions/:id/permissions',
    page: lazy(() => import('./positions/PositionPermissionsPage').then((m) => ({ default: m.PositionPermissionsPage }))),
    titleKey: 'orgui.position.permissions',
    access: view,
  },
  {
    path: '/org/users',
    page: lazy(() => import('./users/UsersPage').then((m) => ({ default: m.UsersPage }))),
    titleKey: 'orgui.users.title',
    access: view,
    menu: { group: 'system', icon: <TeamOutlined />, order: 30 },
  },
];
