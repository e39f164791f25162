import { useState } from 'react';
import { Button, Empty, Flex, Skeleton, Space, Tag, Timeline, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useT } from '@web/app/i18n';
import { formatDateTime } from '@web/app/format';
import { FOLLOW_UP_ICONS } from '@web/features/customers/detail/followUpTypes';
import { FollowUpForm } from '@web/features/customers/detail/FollowUpForm';
import type { FollowUp } from '@common/schemas/followups';
import { useLeadFollowUps } from './api';

/** 跟单 of a lead: the timeline (newest first) and, for whoever may write, the form on top. */
export function LeadFollowUps({ leadId, mayWrite }: { leadId: string; mayWrite: boolean }) {
  const t = useT();
  const list = useLeadFollowUps(leadId);
  const [writing, setWriting] = useState(false);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      {writing ? (
        <FollowUpForm leadId={leadId} onDone={() => setWriting(false)} />
      ) : (
        mayWrite && (
          <Button icon={<PlusOutlined />} onClick={() => setWriting(true)} style={{ marginBottom: 16 }}>
            {t('salesui.leads.follow_up')}
          </Button>
        )
      )}
      {list.isLoading ? (
        <Skeleton active />
      ) : !items.length ? (
        <Empty description={t('salesui.leads.no_follow_ups')} />
      ) : (
        <Timeline
          data-testid="lead-follow-ups"
          items={items.map((f) => {
            const look = FOLLOW_UP_ICONS[f.type] ?? FOLLOW_UP_ICONS.other;
            return { key: f.id, icon: look.icon, color: look.color, content: <Entry f={f} /> };
          })}
        />
      )}
      {list.hasNextPage && (
        <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
          {t('common.loadMore')}
        </Button>
      )}
    </>
  );
}

function Entry({ f }: { f: FollowUp }) {
  const t = useT();
  return (
    <Flex vertical gap={4}>
      <Space size={8} wrap>
        <Typography.Text type="secondary">{formatDateTime(f.at)}</Typography.Text>
        <Typography.Text strong>{f.ownerName ?? '—'}</Typography.Text>
        <Tag>{t(`followups.type.${f.type}`)}</Tag>
      </Space>
      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{f.content}</Typography.Paragraph>
      {f.nextStep || f.nextAt ? (
        <Typography.Text type="secondary">
          {t('salesui.leads.next', { step: f.nextStep ?? '', at: f.nextAt ? formatDateTime(f.nextAt) : '' })}
        </Typography.Text>
      ) : null}
    </Flex>
  );
}
