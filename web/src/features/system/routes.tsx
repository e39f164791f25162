import { lazy } from 'react';
import { DeleteOutlined, ScheduleOutlined, SettingOutlined } from '@ant-design/icons';
import type { FeatureRoute } from '@web/app/features';

/** Admin-only platform pages (issue 2, points 7 and 8, and the company settings). */
export const systemRoutes: FeatureRoute[] = [
  {
    path: '/system/jobs',
    page: lazy(() => import('./JobsPage').then((m) => ({ default: m.JobsPage }))),
    titleKey: 'system.jobs.title',
    access: 'admin',
    menu: { group: 'system', icon: <ScheduleOutlined />, order: 50 },
  },
  {
    path: '/system/recycle-bin',
    page: lazy(() => import('./RecycleBinPage').then((m) => ({ default: m.RecycleBinPage }))),
    titleKey: 'system.recycle.title',
    access: 'admin',
    menu: { group: 'system', icon: <DeleteOutlined />, order: 60 },
  },
  {
    path: '/system/settings',
    page: lazy(() => import('./CompanySettingsPage').then((m) => ({ default: m.CompanySettingsPage }))),
    titleKey: 'system.settings.title',
    access: 'admin',
    menu: { group: 'system', icon: <SettingOutlined />, order: 70 },
  },
];
