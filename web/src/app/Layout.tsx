import { Suspense, useEffect, useMemo, useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { Breadcrumb, Button, Flex, Layout as AntLayout, Menu, Typography, theme } from 'antd';
import { HomeOutlined, MenuFoldOutlined, MenuUnfoldOutlined } from '@ant-design/icons';
import { ApprovalBadge } from '@web/features/approvals/shared/ApprovalBadge';
import { NotificationBell } from '@web/features/notifications/NotificationBell';
import { useAllows, useMe } from './auth';
import { ErrorBoundary } from './ErrorBoundary';
import { useT } from './i18n';
import { LanguageSwitch } from './LanguageSwitch';
import { buildMenu, matchRoute, menuKey, selectedMenuRoute } from './menu';
import { CurrentRouteContext } from './PageHeader';
import { RealtimeBridge } from './RealtimeBridge';
import { routes } from './routes';
import { PageSpin } from './StatusPages';
import { UserMenu } from './UserMenu';

const COLLAPSED_KEY = 'xt.sider.collapsed';
const SIDER_WIDTH = 216;

function initialCollapsed(): boolean {
  try {
    return localStorage.getItem(COLLAPSED_KEY) === '1';
  } catch {
    return false;
  }
}

/** The signed-in frame: left menu by module, top bar, breadcrumb, and the current page. */
export function Layout() {
  const t = useT();
  const me = useMe();
  const allows = useAllows();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const { token } = theme.useToken();
  const [collapsed, setCollapsed] = useState(initialCollapsed);

  const current = matchRoute(routes, pathname);
  const selected = selectedMenuRoute(routes, pathname, allows);
  const selectedGroup = selected?.menu && selected.menu.group !== 'home' ? `group:${selected.menu.group}` : undefined;
  const items = useMemo(() => buildMenu(routes, allows, t), [allows, t]);
  const [openKeys, setOpenKeys] = useState<string[]>(selectedGroup ? [selectedGroup] : []);

  // open the group of the page we navigated to, keeping the ones the user opened
  useEffect(() => {
    if (selectedGroup) setOpenKeys((keys) => (keys.includes(selectedGroup) ? keys : [...keys, selectedGroup]));
  }, [selectedGroup]);

  const title = current ? t(current.titleKey) : '';
  useEffect(() => {
    document.title = title ? `${title} - ${t('shell.brand')}` : t('shell.brand');
  }, [title, t]);

  const toggle = () => {
    setCollapsed((c) => {
      try {
        localStorage.setItem(COLLAPSED_KEY, c ? '0' : '1');
      } catch {
        // only a preference
      }
      return !c;
    });
  };

  const group = current?.menu && current.menu.group !== 'home' ? t(`menu.group.${current.menu.group}`) : undefined;
  const crumbs = [
    {
      title: (
        <Link to="/" aria-label={t('menu.group.home')}>
          <HomeOutlined />
        </Link>
      ),
    },
    ...(group ? [{ title: group }] : []),
    ...(current && current.path !== '/' ? [{ title }] : []),
  ];

  return (
    <AntLayout style={{ minHeight: '100vh' }}>
      <RealtimeBridge />
      <AntLayout.Sider
        width={SIDER_WIDTH}
        collapsedWidth={64}
        collapsible
        collapsed={collapsed}
        trigger={null}
        style={{ position: 'sticky', top: 0, height: '100vh', overflow: 'auto' }}
      >
        <Link to="/" style={{ display: 'flex', alignItems: 'center', gap: 10, height: 56, padding: '0 19px', color: '#fff' }}>
          <span
            style={{
              display: 'inline-flex',
              alignItems: 'center',
              justifyContent: 'center',
              flex: 'none',
              width: 26,
              height: 26,
              borderRadius: 6,
              background: token.colorPrimary,
              fontWeight: 700,
              fontSize: 15,
            }}
          >
            {t('shell.brand').slice(0, 1)}
          </span>
          {collapsed ? null : <span style={{ fontSize: 17, fontWeight: 600, whiteSpace: 'nowrap' }}>{t('shell.brand')}</span>}
        </Link>
        <Menu
          theme="dark"
          mode="inline"
          items={items}
          selectedKeys={selected ? [menuKey(selected)] : []}
          {...(collapsed ? {} : { openKeys, onOpenChange: setOpenKeys })}
          onClick={({ key }) => void navigate(key)}
        />
      </AntLayout.Sider>
      <AntLayout>
        <AntLayout.Header
          style={{
            position: 'sticky',
            top: 0,
            zIndex: 10,
            height: 56,
            lineHeight: '56px',
            padding: '0 16px 0 8px',
            background: token.colorBgContainer,
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
          }}
        >
          <Flex align="center" justify="space-between" style={{ height: '100%' }}>
            <Flex align="center" gap={8}>
              <Button
                type="text"
                icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
                onClick={toggle}
                aria-label={t(collapsed ? 'shell.menu.expand' : 'shell.menu.collapse')}
              />
              <Typography.Text strong style={{ fontSize: 15 }} data-testid="company-name">
                {me.company.name}
              </Typography.Text>
            </Flex>
            <Flex align="center" gap={4}>
              <ApprovalBadge />
              <NotificationBell />
              <LanguageSwitch />
              <UserMenu />
            </Flex>
          </Flex>
        </AntLayout.Header>
        <AntLayout.Content style={{ padding: '16px 24px 24px' }}>
          {crumbs.length > 1 ? <Breadcrumb items={crumbs} style={{ marginBottom: 12 }} /> : null}
          <CurrentRouteContext.Provider value={current}>
            <ErrorBoundary key={current?.path ?? pathname}>
              <Suspense fallback={<PageSpin />}>
                <Outlet />
              </Suspense>
            </ErrorBoundary>
          </CurrentRouteContext.Provider>
        </AntLayout.Content>
      </AntLayout>
    </AntLayout>
  );
}
