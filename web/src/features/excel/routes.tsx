import { lazy } from 'react';
import type { FeatureRoute } from '@web/app/features';

/**
 * Excel import (issue 3). Any signed-in user reaches the page; it offers only the entities the user
 * may import (customers.import / contacts.import / leads.import), and the server checks the same.
 * Listed before the customer routes so that '/customers/import' is not taken for a customer id.
 */
export const excelRoutes: FeatureRoute[] = [
  {
    path: '/customers/import',
    page: lazy(() => import('./ImportPage').then((m) => ({ default: m.ImportPage }))),
    titleKey: 'salesui.excel.import_title',
    access: 'user',
  },
];
