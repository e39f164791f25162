import { App as AntApp, Button, Popconfirm, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useT } from '@web/app/i18n';
import { formatDateTime } from '@web/app/format';
import { describeUserAgent, useRevokeSession, useSessions, type SessionItem } from './api';

/** My open sessions: the current one marked; any other can be ended. */
export function SessionsTab() {
  const t = useT();
  const { message } = AntApp.useApp();
  const sessions = useSessions();
  const revoke = useRevokeSession();

  const columns: ColumnsType<SessionItem> = [
    {
      title: t('me.sessions.device'),
      key: 'device',
      render: (_, s) => (
        <>
          <Typography.Text title={s.userAgent ?? undefined}>
            {describeUserAgent(s.userAgent) ?? t('me.sessions.unknownDevice')}
          </Typography.Text>
          {s.current ? (
            <Tag color="green" style={{ marginLeft: 8 }}>
              {t('me.sessions.current')}
            </Tag>
          ) : null}
          {s.remember ? <Tag style={{ marginLeft: s.current ? 0 : 8 }}>{t('me.sessions.remember')}</Tag> : null}
        </>
      ),
    },
    { title: t('me.sessions.ip'), dataIndex: 'ip', width: 150, render: (ip: string | null) => ip ?? '-' },
    { title: t('me.sessions.createdAt'), dataIndex: 'createdAt', width: 160, render: formatDateTime },
    { title: t('me.sessions.lastSeenAt'), dataIndex: 'lastSeenAt', width: 160, render: formatDateTime },
    { title: t('me.sessions.expiresAt'), dataIndex: 'expiresAt', width: 160, render: formatDateTime },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 100,
      render: (_, s) =>
        s.current ? null : (
          <Popconfirm
            title={t('me.sessions.revokeConfirm')}
            onConfirm={() =>
              revoke.mutateAsync(s.id).then(
                () => void message.success(t('me.sessions.revoked')),
                (e: Error) => void message.error(e.message),
              )
            }
          >
            <Button type="link" danger size="small">
              {t('me.sessions.revoke')}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  return (
    <>
      <Typography.Paragraph type="secondary">{t('me.sessions.intro')}</Typography.Paragraph>
      <Table<SessionItem>
        rowKey="id"
        size="middle"
        loading={sessions.isPending}
        columns={columns}
        dataSource={sessions.data?.items ?? []}
        pagination={false}
      />
    </>
  );
}
