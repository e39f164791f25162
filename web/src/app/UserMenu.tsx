import { Avatar, Dropdown, Flex, Typography } from 'antd';
import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { useLogout, useMe } from './auth';
import { useT } from './i18n';

/** Top-bar avatar with the user's name: personal settings, logout. */
export function UserMenu() {
  const t = useT();
  const me = useMe();
  const navigate = useNavigate();
  const logout = useLogout();
  const name = me.user.name || me.user.username;
  return (
    <Dropdown
      trigger={['click']}
      placement="bottomRight"
      menu={{
        items: [
          {
            key: 'who',
            disabled: true,
            label: (
              <Flex vertical style={{ minWidth: 160 }}>
                <Typography.Text strong>{name}</Typography.Text>
                <Typography.Text type="secondary">
                  {me.user.username}
                  {me.user.isAdmin ? ` · ${t('shell.user.admin')}` : ''}
                </Typography.Text>
              </Flex>
            ),
          },
          { type: 'divider' },
          { key: 'settings', icon: <UserOutlined />, label: t('shell.user.settings') },
          { key: 'logout', icon: <LogoutOutlined />, label: t('shell.user.logout'), danger: true },
        ],
        onClick: ({ key }) => {
          if (key === 'settings') void navigate('/me/settings/profile');
          if (key === 'logout') void logout();
        },
      }}
    >
      <Flex align="center" gap={8} style={{ cursor: 'pointer', padding: '0 8px' }} data-testid="user-menu">
        <Avatar size="small" style={{ backgroundColor: '#1668dc' }}>
          {name.slice(0, 1).toUpperCase()}
        </Avatar>
        <Typography.Text>{name}</Typography.Text>
      </Flex>
    </Dropdown>
  );
}
