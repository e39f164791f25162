import type { ReactNode } from 'react';
import { matchPath } from 'react-router';
import type { MenuProps } from 'antd';
import { AppstoreOutlined, HomeOutlined, SettingOutlined, ShoppingCartOutlined, TeamOutlined } from '@ant-design/icons';
import type { TFunction } from './i18n';
import { MENU_GROUPS, type FeatureRoute, type MenuGroup } from './features';
import type { Access } from './auth';

type MenuItem = NonNullable<MenuProps['items']>[number];

const GROUP_ICONS: Record<MenuGroup, ReactNode> = {
  home: <HomeOutlined />,
  customers: <TeamOutlined />,
  sales: <ShoppingCartOutlined />,
  work: <AppstoreOutlined />,
  system: <SettingOutlined />,
};

/** The URL a route's menu entry opens: its path without a trailing splat. */
export function menuKey(route: FeatureRoute): string {
  return route.path.replace(/\/\*$/, '') || '/';
}

/** Left menu items: allowed routes with a `menu`, grouped by MENU_GROUPS ('home' entries at top level). */
export function buildMenu(routes: FeatureRoute[], allows: (a: Access) => boolean, t: TFunction): MenuItem[] {
  const items: MenuItem[] = [];
  for (const group of MENU_GROUPS) {
    const entries = routes
      .filter((r) => r.menu?.group === group && allows(r.access))
      .sort((a, b) => (a.menu?.order ?? 100) - (b.menu?.order ?? 100));
    if (!entries.length) continue;
    const children = entries.map((r) => ({ key: menuKey(r), icon: r.menu?.icon, label: t(r.titleKey) }));
    if (group === 'home') items.push(...children);
    else items.push({ key: `group:${group}`, icon: GROUP_ICONS[group], label: t(`menu.group.${group}`), children });
  }
  return items;
}

/** The route showing `pathname`: exact paths before splats (so '/a/b' beats '/a/*'). */
export function matchRoute(routes: FeatureRoute[], pathname: string): FeatureRoute | undefined {
  const hit = (r: FeatureRoute) => matchPath({ path: r.path, end: true }, pathname) !== null;
  return routes.find((r) => !r.path.includes('*') && hit(r)) ?? routes.find(hit);
}

/**
 * The menu entry to highlight: the matched route's own entry, else the allowed entry whose URL is
 * the longest prefix of the path (a detail page under '/org/users' highlights "users").
 */
export function selectedMenuRoute(routes: FeatureRoute[], pathname: string, allows: (a: Access) => boolean) {
  const withMenu = routes.filter((r) => r.menu && allows(r.access));
  const current = matchRoute(routes, pathname);
  if (current?.menu) return current;
  let best: FeatureRoute | undefined;
  for (const r of withMenu) {
    const key = menuKey(r);
    if (key !== '/' && (pathname === key || pathname.startsWith(`${key}/`)) && (!best || key.length > menuKey(best).length)) best = r;
  }
  return best;
}
