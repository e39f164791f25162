import { lazy } from 'react';
import { AuditOutlined } from '@ant-design/icons';
import type { FeatureRoute } from '@web/app/features';

/** The audit log search page (issue 2, point 6). */
export const auditRoutes: FeatureRoute[] = [
  {
    path: '/system/audit',
    page: lazy(() => import('./AuditPage').then((m) => ({ default: m.AuditPage }))),
    titleKey: 'audit.title',
    access: { module: 'audit', action: 'view' },
    menu: { group: 'system', icon: <AuditOutlined />, order: 40 },
  },
];
