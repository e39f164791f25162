import type { ComponentType, LazyExoticComponent, ReactNode } from 'react';
import type { Action } from '@common/permissions';

/**
 * A page a feature contributes to the shell. The shell builds the router and the left menu from
 * every feature's list (see web/src/app/routes.ts); a page is shown only when `access` allows.
 */
export type FeatureRoute = {
  /** absolute path, e.g. '/org/users' */
  path: string;
  page: LazyExoticComponent<ComponentType>;
  /** message key of the page title / menu label */
  titleKey: string;
  /** 'user': any signed-in user; 'admin': admins only; or a functional permission */
  access: 'user' | 'admin' | { module: string; action: Action };
  /** present when the page appears in the left menu */
  menu?: { group: MenuGroup; icon?: ReactNode; order?: number };
};

/** Top-level menu groups, in display order; labels are `menu.group.<key>`. */
export const MENU_GROUPS = ['home', 'customers', 'sales', 'work', 'system'] as const;
export type MenuGroup = (typeof MENU_GROUPS)[number];
