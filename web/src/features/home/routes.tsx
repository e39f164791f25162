import { lazy } from 'react';
import { DashboardOutlined } from '@ant-design/icons';
import type { FeatureRoute } from '@web/app/features';

/** The home page (工作台), first in the left menu. */
export const homeRoutes: FeatureRoute[] = [
  {
    path: '/',
    page: lazy(() => import('./HomePage').then((m) => ({ default: m.HomePage }))),
    titleKey: 'home.title',
    access: 'user',
    menu: { group: 'home', icon: <DashboardOutlined />, order: 0 },
  },
];
