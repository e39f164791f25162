import type { ReactNode } from 'react';
import { Badge, Flex, Typography } from 'antd';
import dayjs from 'dayjs';
import type { Notification } from './api';

/** One notification row: unread dot, title, body, relative time (exact time on hover), actions. */
export function NotificationItem({
  n,
  onOpen,
  actions,
  compact = false,
}: {
  n: Notification;
  onOpen?: () => void;
  actions?: ReactNode;
  compact?: boolean;
}) {
  const unread = !n.readAt;
  return (
    <Flex
      gap={10}
      align="flex-start"
      onClick={onOpen}
      style={{ padding: compact ? '10px 12px' : '14px 16px', cursor: onOpen ? 'pointer' : undefined }}
      data-testid="notification-item"
    >
      <Badge status={unread ? 'processing' : 'default'} style={{ marginTop: 4, visibility: unread ? 'visible' : 'hidden' }} />
      <Flex vertical gap={2} style={{ flex: 1, minWidth: 0 }}>
        <Typography.Text strong={unread} ellipsis={compact}>
          {n.title}
        </Typography.Text>
        {n.body ? (
          <Typography.Paragraph type="secondary" ellipsis={compact ? { rows: 2 } : false} style={{ marginBottom: 0 }}>
            {n.body}
          </Typography.Paragraph>
        ) : null}
        <Typography.Text type="secondary" style={{ fontSize: 12 }} title={dayjs(n.createdAt).format('YYYY-MM-DD HH:mm:ss')}>
          {dayjs(n.createdAt).fromNow()}
        </Typography.Text>
      </Flex>
      {actions ? <div onClick={(e) => e.stopPropagation()}>{actions}</div> : null}
    </Flex>
  );
}
