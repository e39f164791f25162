import { lazy } from 'react';
import { MailOutlined, SendOutlined, SettingOutlined } from '@ant-design/icons';
import type { FeatureRoute } from '@web/app/features';

/** 外部邮箱 (issue 5): the mailbox, mail accounts, group sending; the system mail account for admins. */
export const mailRoutes: FeatureRoute[] = [
  {
    path: '/mail',
    page: lazy(() => import('./MailPage').then((m) => ({ default: m.MailPage }))),
    titleKey: 'mailui.title',
    access: 'user',
    menu: { group: 'work', icon: <MailOutlined />, order: 20 },
  },
  {
    path: '/mail/accounts',
    page: lazy(() => import('./accounts/MailAccountsPage').then((m) => ({ default: m.MailAccountsPage }))),
    titleKey: 'mailui.accounts.title',
    access: 'user',
    menu: { group: 'work', icon: <SettingOutlined />, order: 21 },
  },
  {
    path: '/mail/batches',
    page: lazy(() => import('./batches/MailBatchesPage').then((m) => ({ default: m.MailBatchesPage }))),
    titleKey: 'mailui.batches.title',
    access: 'user',
    menu: { group: 'work', icon: <SendOutlined />, order: 22 },
  },
  {
    path: '/system/mail',
    page: lazy(() => import('./system/SystemMailPage').then((m) => ({ default: m.SystemMailPage }))),
    titleKey: 'mailui.system.title',
    access: 'admin',
    menu: { group: 'system', icon: <MailOutlined />, order: 70 },
  },
];
