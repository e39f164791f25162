import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { Alert, Button, Card, Empty, Flex, Input, Skeleton, Tag, Tooltip, Typography, theme } from 'antd';
import { PaperClipOutlined, StarFilled, StarOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useT } from '@web/app/i18n';
import { shortAddress, useMailList, type ListParams, type MailListItem } from '../api';

type Props = {
  params: ListParams;
  selectedId: string | null;
  onSearch: (q: string) => void;
  onOpen: (m: MailListItem) => void;
  onStar: (m: MailListItem) => void;
};

/** A short date: the time today, month-day this year, the full date before. */
export function shortDate(iso: string): string {
  const d = dayjs(iso);
  if (d.isSame(dayjs(), 'day')) return d.format('HH:mm');
  if (d.isSame(dayjs(), 'year')) return d.format('MM-DD');
  return d.format('YYYY-MM-DD');
}

/** The middle column: search box, the folder's messages (unread bold), star, attachment mark, customers, load more. */
export function MessageList({ params, selectedId, onSearch, onOpen, onStar }: Props) {
  const t = useT();
  const list = useMailList(params);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const [search, setSearch] = useState(params.q ?? '');
  useEffect(() => setSearch(params.q ?? ''), [params.q]);

  return (
    <Card size="small" style={{ width: 380, flex: 'none', minWidth: 0 }} styles={{ body: { padding: 0 } }}>
      <div style={{ padding: 12 }}>
        <Input.Search
          allowClear
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          onSearch={(v) => onSearch(v.trim())}
          placeholder={t('mailui.list.search')}
          aria-label={t('mailui.list.search')}
        />
      </div>
      {list.isError ? <Alert type="error" showIcon title={list.error.message} style={{ margin: 12 }} /> : null}
      {list.isLoading ? (
        <Skeleton active style={{ padding: 12 }} />
      ) : !items.length ? (
        <Empty description={params.q ? t('mailui.list.no_match') : t('mailui.list.empty')} style={{ padding: 24 }} />
      ) : (
        <div role="list" aria-label={t(`mailui.folder.${params.folder}`)} data-testid="mail-list">
          {items.map((m) => (
            <Row key={m.id} item={m} folder={params.folder} selected={m.id === selectedId} onOpen={onOpen} onStar={onStar} />
          ))}
        </div>
      )}
      {list.hasNextPage ? (
        <Flex justify="center" style={{ padding: 12 }}>
          <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        </Flex>
      ) : null}
    </Card>
  );
}

function Row({
  item: m,
  folder,
  selected,
  onOpen,
  onStar,
}: {
  item: MailListItem;
  folder: ListParams['folder'];
  selected: boolean;
  onOpen: (m: MailListItem) => void;
  onStar: (m: MailListItem) => void;
}) {
  const t = useT();
  const { token } = theme.useToken();
  // in sent and drafts the other side is whom it went to
  const outgoing = folder === 'sent' || folder === 'drafts' || (folder === 'trash' && m.sendStatus !== null);
  const who = outgoing
    ? m.to.map(shortAddress).join(', ') || t('mailui.list.no_recipient')
    : shortAddress(m.from) || t('mailui.list.unknown_sender');
  const unread = !m.seen && !outgoing;
  return (
    <div
      role="listitem"
      data-testid="mail-row"
      onClick={() => onOpen(m)}
      style={{
        padding: '10px 12px',
        cursor: 'pointer',
        borderTop: `1px solid ${token.colorBorderSecondary}`,
        background: selected ? token.controlItemBgActive : undefined,
        borderInlineStart: `3px solid ${unread ? token.colorPrimary : 'transparent'}`,
      }}
    >
      <Flex justify="space-between" gap={8} align="center">
        <Typography.Text strong={unread} ellipsis style={{ flex: 1, minWidth: 0 }}>
          {outgoing ? `${t('mailui.list.to')}${who}` : who}
        </Typography.Text>
        {m.hasAttachments ? <PaperClipOutlined aria-label={t('mailui.list.has_attachments')} /> : null}
        <Typography.Text type="secondary" style={{ fontSize: 12, flex: 'none' }}>
          {shortDate(m.date)}
        </Typography.Text>
      </Flex>
      <Flex justify="space-between" gap={8} align="center">
        <Typography.Text strong={unread} ellipsis style={{ flex: 1, minWidth: 0 }}>
          {m.subject || t('mailui.no_subject')}
        </Typography.Text>
        {m.sendStatus !== 'draft' ? (
          <Tooltip title={m.starred ? t('mailui.action.unstar') : t('mailui.action.star')}>
            <Button
              type="text"
              size="small"
              aria-label={m.starred ? t('mailui.action.unstar') : t('mailui.action.star')}
              icon={m.starred ? <StarFilled style={{ color: '#faad14' }} /> : <StarOutlined />}
              onClick={(e) => {
                e.stopPropagation();
                onStar(m);
              }}
            />
          </Tooltip>
        ) : null}
      </Flex>
      <Typography.Text type="secondary" ellipsis style={{ fontSize: 12, display: 'block' }}>
        {m.snippet}
      </Typography.Text>
      {m.customers.length || m.sendStatus === 'failed' || m.sendStatus === 'sending' ? (
        <Flex gap={4} wrap style={{ marginTop: 4 }}>
          {m.sendStatus === 'failed' ? <Tag color="error">{t('mailui.status.failed')}</Tag> : null}
          {m.sendStatus === 'sending' ? <Tag color="processing">{t('mailui.status.sending')}</Tag> : null}
          {m.customers.map((c) => (
            <Tag key={c.id} color="blue" style={{ marginInlineEnd: 0 }} onClick={(e) => e.stopPropagation()}>
              <Link to={`/customers/${encodeURIComponent(c.id)}`}>{c.name}</Link>
            </Tag>
          ))}
        </Flex>
      ) : null}
    </div>
  );
}
