import { lazy } from 'react';
import type { FeatureRoute } from '@web/app/features';

/** The notification centre's full page (the bell lives in the top bar). */
export const notificationRoutes: FeatureRoute[] = [
  {
    path: '/notifications',
    page: lazy(() => import('./NotificationsPage').then((m) => ({ default: m.NotificationsPage }))),
    titleKey: 'notifications.title',
    access: 'user',
  },
];
