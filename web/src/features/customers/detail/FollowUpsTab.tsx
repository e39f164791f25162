import { Button, Empty, Flex, Skeleton, Space, Tag, Timeline, Typography } from 'antd';
import { PaperClipOutlined, PlusOutlined } from '@ant-design/icons';
import { useT } from '@web/app/i18n';
import { useCan } from '@web/app/auth';
import { formatDateTime } from '@web/app/format';
import { fileUrl, formatSize, type Customer, type FollowUp, type FollowUpType } from '../api';
import { useFollowUps } from '../hooks';
import { FollowUpForm } from './FollowUpForm';
import { FOLLOW_UP_ICONS } from './followUpTypes';
import { mergeTimeline, useMailTimeline } from '@web/features/mail/customer/useMailTimeline';

type Props = { customer: Customer; writing: boolean; onWriting: (writing: boolean) => void };

/** 跟单: the follow-up timeline (with the customer's mail merged in by date), newest first, with the form to write one on top. */
export function FollowUpsTab({ customer, writing, onWriting }: Props) {
  const t = useT();
  const can = useCan();
  const list = useFollowUps(customer.id);
  const items = (list.data?.pages.flatMap((p) => p.items) ?? []).slice().sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  const mayWrite = can('followups', 'create') && !customer.inPool;
  const mail = useMailTimeline(customer.id);
  const entries = mergeTimeline([
    {
      entries: items.map((f) => {
        const look = FOLLOW_UP_ICONS[f.type as FollowUpType] ?? FOLLOW_UP_ICONS.other;
        return { key: f.id, at: f.at, icon: look.icon, color: look.color, content: <Entry followUp={f} /> };
      }),
      hasMore: !!list.hasNextPage,
      loadMore: () => void list.fetchNextPage(),
      loading: list.isFetchingNextPage,
    },
    mail,
  ]);

  return (
    <>
      {writing ? (
        <FollowUpForm customerId={customer.id} onDone={() => onWriting(false)} />
      ) : (
        mayWrite && (
          <Button icon={<PlusOutlined />} onClick={() => onWriting(true)} style={{ marginBottom: 16 }}>
            {t('customersui.action.follow_up')}
          </Button>
        )
      )}
      {list.isLoading ? (
        <Skeleton active />
      ) : !entries.length ? (
        <Empty description={t('customersui.followup.empty')} />
      ) : (
        <Timeline
          data-testid="follow-up-timeline"
          items={entries.map(({ key, icon, color, content }) => ({ key, icon, color, content }))}
        />
      )}
      {(list.hasNextPage || mail.hasMore) && (
        <Button
          onClick={() => {
            if (list.hasNextPage) void list.fetchNextPage();
            if (mail.hasMore) mail.loadMore();
          }}
          loading={list.isFetchingNextPage || mail.loading}
        >
          {t('common.loadMore')}
        </Button>
      )}
    </>
  );
}

function Entry({ followUp: f }: { followUp: FollowUp }) {
  const t = useT();
  return (
    <Flex vertical gap={4}>
      <Space size={8} wrap>
        <Typography.Text type="secondary">{formatDateTime(f.at)}</Typography.Text>
        <Typography.Text strong>{f.ownerName ?? '—'}</Typography.Text>
        <Tag>{t(`followups.type.${f.type}`)}</Tag>
        {f.contactName ? (
          <Typography.Text type="secondary">{t('customersui.followup.with', { name: f.contactName })}</Typography.Text>
        ) : null}
      </Space>
      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{f.content}</Typography.Paragraph>
      {f.nextStep || f.nextAt ? (
        <Typography.Text type="secondary">
          {t('customersui.followup.next', { step: f.nextStep ?? '', at: f.nextAt ? formatDateTime(f.nextAt) : '' })}
        </Typography.Text>
      ) : null}
      {f.attachments?.length ? (
        <Space wrap>
          {f.attachments.map((a) => (
            <a key={a.id} href={fileUrl(a.id)} target="_blank" rel="noreferrer">
              <PaperClipOutlined /> {a.name} ({formatSize(a.size)})
            </a>
          ))}
        </Space>
      ) : null}
    </Flex>
  );
}
