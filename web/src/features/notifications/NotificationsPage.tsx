import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert, App as AntApp, Button, Card, Divider, Empty, Flex, Segmented, Spin } from 'antd';
import { useT } from '@web/app/i18n';
import { PageHeader } from '@web/app/PageHeader';
import { useMarkAllRead, useMarkRead, useNotificationList, useNotificationSummary, type Notification } from './api';
import { NotificationItem } from './NotificationItem';

/** /notifications: every notification of the user, newest first, with an unread filter. */
export function NotificationsPage() {
  const t = useT();
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const [filter, setFilter] = useState<'all' | 'unread'>('all');
  const list = useNotificationList(filter === 'unread');
  const summary = useNotificationSummary();
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const unread = summary.data?.unread ?? list.data?.pages[0]?.unread ?? 0;

  const open = (n: Notification) => {
    if (!n.readAt) markRead.mutate(n.id);
    if (n.link && n.link.startsWith('/')) void navigate(n.link);
  };

  return (
    <>
      <PageHeader
        extra={
          <Button
            disabled={!unread}
            loading={markAll.isPending}
            onClick={() => markAll.mutate(undefined, { onSuccess: () => void message.success(t('notifications.allMarked')) })}
          >
            {t('notifications.markAllRead')}
          </Button>
        }
      />
      <Card styles={{ body: { padding: 0 } }}>
        <Flex style={{ padding: '12px 16px' }}>
          <Segmented<'all' | 'unread'>
            value={filter}
            onChange={(v) => setFilter(v)}
            options={[
              { value: 'all', label: t('notifications.all') },
              { value: 'unread', label: `${t('notifications.unread')}${unread ? ` (${unread})` : ''}` },
            ]}
          />
        </Flex>
        <Divider style={{ margin: 0 }} />
        {list.isPending ? (
          <Flex justify="center" style={{ padding: 48 }}>
            <Spin />
          </Flex>
        ) : list.isError ? (
          <Alert type="error" showIcon title={t('notifications.unavailable')} style={{ margin: 16 }} />
        ) : items.length === 0 ? (
          <Empty style={{ padding: 48 }} description={t(filter === 'unread' ? 'notifications.emptyUnread' : 'notifications.empty')} />
        ) : (
          items.map((n, i) => (
            <div key={n.id}>
              {i > 0 ? <Divider style={{ margin: 0 }} /> : null}
              <NotificationItem
                n={n}
                onOpen={n.link ? () => open(n) : undefined}
                actions={
                  n.readAt ? null : (
                    <Button size="small" type="link" onClick={() => markRead.mutate(n.id)}>
                      {t('notifications.markRead')}
                    </Button>
                  )
                }
              />
            </div>
          ))
        )}
        {list.hasNextPage ? (
          <Flex justify="center" style={{ padding: 12 }}>
            <Button loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
              {t('common.loadMore')}
            </Button>
          </Flex>
        ) : null}
      </Card>
    </>
  );
}
