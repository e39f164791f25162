import { lazy } from 'react';
import { FunnelPlotOutlined } from '@ant-design/icons';
import type { FeatureRoute } from '@web/app/features';

const view = { module: 'leads', action: 'view' } as const;

/** 潜在客户 pages (issue 3): the leads list and a lead's page. */
export const leadRoutes: FeatureRoute[] = [
  {
    path: '/leads',
    page: lazy(() => import('./LeadsPage').then((m) => ({ default: m.LeadsPage }))),
    titleKey: 'leads.title',
    access: view,
    menu: { group: 'customers', icon: <FunnelPlotOutlined />, order: 15 },
  },
  {
    path: '/leads/:id',
    page: lazy(() => import('./LeadDetailPage').then((m) => ({ default: m.LeadDetailPage }))),
    titleKey: 'salesui.leads.detail',
    access: view,
  },
];
