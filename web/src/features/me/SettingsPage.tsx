import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { Card, Tabs } from 'antd';
import { useT } from '@web/app/i18n';
import { PageHeader } from '@web/app/PageHeader';
import { PasswordTab } from './PasswordTab';
import { ProfileTab } from './ProfileTab';
import { SessionsTab } from './SessionsTab';
import { TokensTab } from './TokensTab';

const TABS = ['profile', 'password', 'sessions', 'tokens'] as const;

/** /me/settings/<tab>: each tab has its own URL. */
export function SettingsPage() {
  const t = useT();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const active = TABS.find((k) => pathname.startsWith(`/me/settings/${k}`)) ?? 'profile';

  return (
    <>
      <PageHeader />
      <Card styles={{ body: { paddingTop: 4 } }}>
        <Tabs
          activeKey={active}
          onChange={(key) => void navigate(`/me/settings/${key}`)}
          items={TABS.map((k) => ({ key: k, label: t(`me.tab.${k}`) }))}
        />
        <Routes>
          <Route index element={<Navigate to="profile" replace />} />
          <Route path="profile" element={<ProfileTab />} />
          <Route path="password" element={<PasswordTab />} />
          <Route path="sessions" element={<SessionsTab />} />
          <Route path="tokens" element={<TokensTab />} />
          <Route path="*" element={<Navigate to="/me/settings/profile" replace />} />
        </Routes>
      </Card>
    </>
  );
}
