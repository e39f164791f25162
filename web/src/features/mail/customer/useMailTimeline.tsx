import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { Button, Drawer, Flex, Space, Tag, Typography } from 'antd';
import { MailOutlined, PaperClipOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useT } from '@web/app/i18n';
import { formatDateTime } from '@web/app/format';
import { useRealtime } from '@web/app/realtime';
import { MAIL_KEY, shortAddress, useCustomerMail, useMailAccounts, type MailListItem } from '../api';
import { MessageView } from '../mailbox/MessageView';

/** One entry of a customer's timeline, from any source, placed by its date. */
export type TimelineEntry = { key: string; at: string; icon?: ReactNode; color?: string; content: ReactNode };

/** A paged source of timeline entries. */
export type TimelineStream = { entries: TimelineEntry[]; hasMore: boolean; loadMore: () => void; loading: boolean };

/**
 * Entries of several paged streams, newest first. While a stream has older pages not loaded yet,
 * nothing older than its oldest loaded entry is shown (it could belong after entries still to come).
 */
export function mergeTimeline(streams: TimelineStream[]): TimelineEntry[] {
  const cutoff = streams
    .filter((s) => s.hasMore && s.entries.length)
    .map((s) => s.entries.reduce((min, e) => (e.at < min ? e.at : min), s.entries[0].at))
    .reduce<string | null>((max, at) => (max === null || at > max ? at : max), null);
  return streams
    .flatMap((s) => s.entries)
    .filter((e) => cutoff === null || e.at >= cutoff)
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}

/** The customer's mail (within the reader's scope) as timeline entries; refreshed when mail comes or goes. */
export function useMailTimeline(customerId: string): TimelineStream {
  const qc = useQueryClient();
  const list = useCustomerMail(customerId);
  useRealtime('mail', () => void qc.invalidateQueries({ queryKey: [...MAIL_KEY, 'customer'] }));
  // a reader who may not see the customer's mail (404/403) simply has none on the timeline
  const items = list.isError ? [] : (list.data?.pages.flatMap((p) => p.items) ?? []);
  return {
    entries: items.map((m) => ({
      key: `mail-${m.id}`,
      at: m.date,
      icon: <MailOutlined />,
      color: m.folder === 'sent' ? 'green' : 'blue',
      content: <MailEntry item={m} />,
    })),
    hasMore: !list.isError && !!list.hasNextPage,
    loadMore: () => void list.fetchNextPage(),
    loading: list.isFetchingNextPage,
  };
}

function MailEntry({ item: m }: { item: MailListItem }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const accounts = useMailAccounts();
  const mine = !!accounts.data?.some((a) => a.id === m.accountId);
  const sent = m.folder === 'sent';
  return (
    <Flex vertical gap={4} data-testid="timeline-mail">
      <Space size={8} wrap>
        <Typography.Text type="secondary">{formatDateTime(m.date)}</Typography.Text>
        <Tag color={sent ? 'green' : 'blue'}>{t(sent ? 'mailui.timeline.sent' : 'mailui.timeline.received')}</Tag>
        <Typography.Text strong>
          {sent
            ? t('mailui.timeline.to', { who: m.to.map(shortAddress).join(', ') })
            : t('mailui.timeline.from', { who: shortAddress(m.from) || t('mailui.list.unknown_sender') })}
        </Typography.Text>
      </Space>
      <Typography.Link onClick={() => setOpen(true)}>
        {m.hasAttachments ? <PaperClipOutlined /> : null} {m.subject || t('mailui.no_subject')}
      </Typography.Link>
      {m.snippet ? (
        <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: 0 }}>
          {m.snippet}
        </Typography.Paragraph>
      ) : null}
      {open ? (
        <Drawer
          open
          onClose={() => setOpen(false)}
          size={760}
          title={t('mailui.timeline.mail')}
          extra={
            mine ? (
              <Link to={`/mail?id=${encodeURIComponent(m.id)}`}>
                <Button size="small">{t('mailui.timeline.open_in_mailbox')}</Button>
              </Link>
            ) : null
          }
        >
          <MessageView id={m.id} readOnly />
        </Drawer>
      ) : null}
    </Flex>
  );
}
