import { lazy } from 'react';
import type { FeatureRoute } from '@web/app/features';

/** Personal settings (opened from the user menu, not the left menu); tabs are sub-paths. */
export const meRoutes: FeatureRoute[] = [
  {
    path: '/me/settings/*',
    page: lazy(() => import('./SettingsPage').then((m) => ({ default: m.SettingsPage }))),
    titleKey: 'me.settings.title',
    access: 'user',
  },
];
