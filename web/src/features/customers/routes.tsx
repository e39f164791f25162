import { lazy } from 'react';
import { SearchOutlined, ShopOutlined, TeamOutlined } from '@ant-design/icons';
import type { FeatureRoute } from '@web/app/features';

const view = { module: 'customers', action: 'view' } as const;
const listPage = (kind: 'customer' | 'partner') =>
  lazy(() => import('./list/CustomersPage').then((m) => ({ default: () => <m.CustomersPage kind={kind} /> })));

/** 客户管理 pages (issue 3): customers, partners, the 360° page, the duplicate check. */
export const customerRoutes: FeatureRoute[] = [
  {
    path: '/customers',
    page: listPage('customer'),
    titleKey: 'customersui.customers.title',
    access: view,
    menu: { group: 'customers', icon: <TeamOutlined />, order: 10 },
  },
  {
    path: '/partners',
    page: listPage('partner'),
    titleKey: 'customersui.partners.title',
    access: view,
    menu: { group: 'customers', icon: <ShopOutlined />, order: 20 },
  },
  // anyone may ask whether a customer exists and who owns it (and learn nothing more)
  {
    path: '/customers/duplicate-check',
    page: lazy(() => import('./DuplicateCheckPage').then((m) => ({ default: m.DuplicateCheckPage }))),
    titleKey: 'customersui.dup.title',
    access: 'user',
    menu: { group: 'customers', icon: <SearchOutlined />, order: 90 },
  },
  {
    path: '/customers/:id',
    page: lazy(() => import('./detail/Customer360Page').then((m) => ({ default: m.Customer360Page }))),
    titleKey: 'customersui.detail.title',
    access: view,
  },
];
