import { Button, Dropdown, Flex, Space, Table, Tag, Typography } from 'antd';
import type { MenuProps, TableColumnsType } from 'antd';
import { MoreOutlined } from '@ant-design/icons';
import { useT } from '@web/app/i18n';
import { useCan } from '@web/app/auth';
import { StatusTag } from '../shared/StatusTag';
import { useFieldVisibility, type SensitiveUserField } from '../shared/useFieldVisibility';
import type { User } from '../shared/types';

export type UserAction = 'edit' | 'reset_password' | 'invite' | 'disable' | 'enable' | 'leave' | 'handover';

type Props = { users: User[]; loading: boolean; onAction: (action: UserAction, user: User) => void };

/** Users with their organisation, contacts and status; the actions offered follow the user's status and my rights. */
export function UsersTable({ users, loading, onAction }: Props) {
  const t = useT();
  const can = useCan();
  const mayEdit = can('org', 'edit');
  // A sensitive field hidden from my position has no column at all (rather than a column of blanks).
  const { shown } = useFieldVisibility();
  const has = (field: SensitiveUserField) => shown(field) && (users.length === 0 || users.some((u) => field in u));
  const dash = (v: string | null | undefined) => v || '—';

  const menu = (u: User): MenuProps['items'] => [
    { key: 'reset_password', label: t('orgui.user.reset_password') },
    ...(u.status === 'active' ? [{ key: 'invite', label: t('mailui.invite.action') }] : []),
    u.status === 'active' ? { key: 'disable', label: t('orgui.user.disable') } : { key: 'enable', label: t('orgui.user.enable') },
    ...(u.status !== 'left' ? [{ key: 'leave', label: t('orgui.user.leave'), danger: true }] : []),
    ...(u.status !== 'active' ? [{ type: 'divider' as const }, { key: 'handover', label: t('orgui.user.handover') }] : []),
  ];

  const columns: TableColumnsType<User> = [
    {
      title: t('orgui.user.name'),
      dataIndex: 'name',
      fixed: 'left',
      width: 160,
      render: (name: string, u) => (
        <Space size={4} style={{ whiteSpace: 'nowrap' }}>
          <Typography.Link onClick={() => onAction('edit', u)}>{name}</Typography.Link>
          {u.isAdmin && <Tag color="gold">{t('orgui.user.admin_tag')}</Tag>}
        </Space>
      ),
    },
    { title: t('orgui.user.username'), dataIndex: 'username', width: 100, ellipsis: true },
    { title: t('orgui.user.department'), dataIndex: 'departmentName', width: 120, ellipsis: true, render: dash },
    { title: t('orgui.user.position'), dataIndex: 'positionName', width: 110, ellipsis: true, render: dash },
    { title: t('orgui.user.supervisor'), dataIndex: 'supervisorName', width: 100, ellipsis: true, render: dash },
    // mobile over email in one column keeps the status and actions on a 1280 px screen
    ...(has('mobile') || has('email')
      ? [
          {
            title: t('orgui.user.contact'),
            key: 'contact',
            width: 190,
            render: (_: unknown, u: User) => <Contact user={u} mobile={has('mobile')} email={has('email')} />,
          },
        ]
      : []),
    { title: t('orgui.user.status'), dataIndex: 'status', width: 80, render: (s: User['status']) => <StatusTag status={s} /> },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      width: 110,
      render: (_, u) =>
        mayEdit ? (
          <Space size={0}>
            <Button type="link" size="small" onClick={() => onAction('edit', u)}>
              {t('common.edit')}
            </Button>
            <Dropdown trigger={['click']} menu={{ items: menu(u), onClick: ({ key }) => onAction(key as UserAction, u) }}>
              <Button type="text" size="small" icon={<MoreOutlined />} aria-label={t('admin.more')} />
            </Dropdown>
          </Space>
        ) : (
          <Button type="link" size="small" onClick={() => onAction('edit', u)}>
            {t('admin.view')}
          </Button>
        ),
    },
  ];

  return (
    <Table<User>
      rowKey="id"
      size="middle"
      loading={loading}
      dataSource={users}
      columns={columns}
      pagination={false}
      scroll={{ x: 'max-content' }}
    />
  );
}

function Contact({ user, mobile, email }: { user: User; mobile: boolean; email: boolean }) {
  const lines = [mobile && user.mobile, email && user.email].filter(Boolean) as string[];
  if (!lines.length) return <>—</>;
  return (
    <Flex vertical style={{ maxWidth: 180 }}>
      {lines.map((line, i) => (
        <Typography.Text key={line} type={i ? 'secondary' : undefined} ellipsis={{ tooltip: line }}>
          {line}
        </Typography.Text>
      ))}
    </Flex>
  );
}
