import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Badge, Button, Divider, Empty, Flex, Popover, Spin, Typography } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { useT } from '@web/app/i18n';
import { useMarkAllRead, useMarkRead, useNotificationSummary, type Notification } from './api';
import { NotificationItem } from './NotificationItem';

/** Top-bar bell: unread count, the latest notifications, mark read, link to the full page. */
export function NotificationBell() {
  const t = useT();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const summary = useNotificationSummary();
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();
  const unread = summary.data?.unread ?? 0;

  const openItem = (n: Notification) => {
    if (!n.readAt) markRead.mutate(n.id);
    if (n.link && n.link.startsWith('/')) {
      setOpen(false);
      void navigate(n.link);
    }
  };

  const body = summary.isPending ? (
    <Flex justify="center" style={{ padding: 32 }}>
      <Spin />
    </Flex>
  ) : summary.isError ? (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notifications.unavailable')} />
  ) : summary.data.items.length === 0 ? (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notifications.empty')} />
  ) : (
    <div style={{ maxHeight: 380, overflowY: 'auto' }}>
      {summary.data.items.map((n) => (
        <NotificationItem key={n.id} n={n} compact onOpen={() => openItem(n)} />
      ))}
    </div>
  );

  const content = (
    <div style={{ width: 340 }} data-testid="notification-popover">
      <Flex align="center" justify="space-between" style={{ padding: '10px 12px' }}>
        <Typography.Text strong>
          {t('notifications.bell')}
          {unread ? <Typography.Text type="secondary"> · {t('notifications.unreadCount', { count: unread })}</Typography.Text> : null}
        </Typography.Text>
        <Button size="small" type="link" disabled={!unread} loading={markAll.isPending} onClick={() => markAll.mutate()}>
          {t('notifications.markAllRead')}
        </Button>
      </Flex>
      <Divider style={{ margin: 0 }} />
      {body}
      <Divider style={{ margin: 0 }} />
      <Button
        type="link"
        block
        onClick={() => {
          setOpen(false);
          void navigate('/notifications');
        }}
      >
        {t('notifications.viewAll')}
      </Button>
    </div>
  );

  return (
    <Popover
      trigger="click"
      placement="bottomRight"
      open={open}
      onOpenChange={setOpen}
      content={content}
      arrow={false}
      styles={{ container: { padding: 0 } }}
    >
      <Button type="text" aria-label={t('notifications.bell')} data-testid="notification-bell">
        <Badge count={unread} size="small" overflowCount={99}>
          <BellOutlined style={{ fontSize: 17 }} />
        </Badge>
      </Button>
    </Popover>
  );
}
