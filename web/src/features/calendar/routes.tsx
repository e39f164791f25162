import { lazy } from 'react';
import { CalendarOutlined } from '@ant-design/icons';
import type { FeatureRoute } from '@web/app/features';

/** 日程 (issue 3): the calendar of my and my team's schedules. */
export const calendarRoutes: FeatureRoute[] = [
  {
    path: '/calendar',
    page: lazy(() => import('./CalendarPage').then((m) => ({ default: m.CalendarPage }))),
    titleKey: 'salesui.calendar.page',
    access: { module: 'followups', action: 'view' },
    menu: { group: 'work', icon: <CalendarOutlined />, order: 10 },
  },
];
