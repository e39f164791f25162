import { lazy } from 'react';
import { AlertOutlined, ClockCircleOutlined, ControlOutlined, FlagOutlined, FormOutlined } from '@ant-design/icons';
import type { FeatureRoute } from '@web/app/features';

const view = { module: 'customers', action: 'view' } as const;

/**
 * Customer administration (issue 3): the customer standards and custom fields (admin), the report
 * queue, the data-quality report and overdue visits. Listed before the customer routes so that
 * '/customers/reports' is not taken for a customer id.
 */
export const customerAdminRoutes: FeatureRoute[] = [
  {
    path: '/customers/reports',
    page: lazy(() => import('./reports/ReportsPage').then((m) => ({ default: m.ReportsPage }))),
    titleKey: 'reports.title',
    access: 'user',
    menu: { group: 'customers', icon: <FlagOutlined />, order: 60 },
  },
  {
    path: '/customers/quality',
    page: lazy(() => import('./quality/QualityReportPage').then((m) => ({ default: m.QualityReportPage }))),
    titleKey: 'quality.title',
    access: view,
    menu: { group: 'customers', icon: <AlertOutlined />, order: 70 },
  },
  {
    path: '/customers/overdue',
    page: lazy(() => import('./overdue/OverdueVisitsPage').then((m) => ({ default: m.OverdueVisitsPage }))),
    titleKey: 'salesui.overdue.title',
    access: view,
    menu: { group: 'customers', icon: <ClockCircleOutlined />, order: 50 },
  },
  {
    path: '/settings/customers',
    page: lazy(() => import('./settings/CustomerSettingsPage').then((m) => ({ default: m.CustomerSettingsPage }))),
    titleKey: 'salesui.settings.title',
    access: 'admin',
    menu: { group: 'system', icon: <ControlOutlined />, order: 40 },
  },
  {
    path: '/settings/custom-fields',
    page: lazy(() => import('./fields/CustomFieldsPage').then((m) => ({ default: m.CustomFieldsPage }))),
    titleKey: 'fields.title',
    access: 'admin',
    menu: { group: 'system', icon: <FormOutlined />, order: 45 },
  },
];
