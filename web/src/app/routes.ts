import type { FeatureRoute } from './features';
import { homeRoutes } from '@web/features/home/routes';
import { meRoutes } from '@web/features/me/routes';
import { notificationRoutes } from '@web/features/notifications/routes';
import { orgRoutes } from '@web/features/org/routes';
import { auditRoutes } from '@web/features/audit/routes';
import { systemRoutes } from '@web/features/system/routes';
import { customerRoutes } from '@web/features/customers/routes';
import { customerAdminRoutes } from '@web/features/customer-admin/routes';
import { excelRoutes } from '@web/features/excel/routes';
import { leadRoutes } from '@web/features/leads/routes';
import { calendarRoutes } from '@web/features/calendar/routes';
import { approvalRoutes } from '@web/features/approvals/routes';
import { mailRoutes } from '@web/features/mail/routes';

/**
 * Every page of the signed-in app. The shell builds the router, the left menu, breadcrumbs and
 * titles from this list, showing a route only to users its `access` allows (others get 403).
 * To add a feature: export a `FeatureRoute[]` from web/src/features/<domain>/routes.tsx with
 * lazy-loaded pages, import it here and spread it into the list below (one line each).
 */
export const routes: FeatureRoute[] = [
  ...homeRoutes,
  ...meRoutes,
  ...notificationRoutes,
  // feature route lists (one line each):
  // (fixed /customers/<page> paths before customerRoutes' '/customers/:id')
  ...customerAdminRoutes,
  ...excelRoutes,
  ...customerRoutes,
  ...leadRoutes,
  ...calendarRoutes,
  ...approvalRoutes,
  ...mailRoutes,
  ...orgRoutes,
  ...auditRoutes,
  ...systemRoutes,
];
