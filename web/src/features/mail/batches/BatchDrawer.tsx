import { Alert, Button, Descriptions, Drawer, Flex, Popconfirm, Progress, Skeleton, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useT } from '@web/app/i18n';
import { formatDateTime } from '@web/app/format';
import { useBatch, type MailBatchRecipient } from '../api';
import { BATCH_STATUS_COLORS, batchPercent, useCancelBatch } from './batchShared';

const RECIPIENT_COLORS: Record<MailBatchRecipient['status'], string> = { pending: 'default', sent: 'success', failed: 'error' };

type Props = { id: string | null; accountName?: (id: string) => string; onClose: () => void };

/** One group-send run: progress (live), and each recipient's status and error. */
export function BatchDrawer({ id, accountName, onClose }: Props) {
  const t = useT();
  const batch = useBatch(id);
  const cancel = useCancelBatch();
  const b = batch.data;

  const columns: TableColumnsType<MailBatchRecipient> = [
    { title: t('mailui.batches.recipient'), key: 'who', render: (_, r) => (r.name ? `${r.name} <${r.address}>` : r.address) },
    {
      title: t('mailui.batches.status'),
      dataIndex: 'status',
      width: 90,
      render: (s: MailBatchRecipient['status']) => <Tag color={RECIPIENT_COLORS[s]}>{t(`mailui.batches.recipient_${s}`)}</Tag>,
    },
    { title: t('mailui.batches.sent_at'), dataIndex: 'sentAt', width: 140, render: (v: string | null) => (v ? formatDateTime(v) : '—') },
    {
      title: t('mailui.batches.error'),
      dataIndex: 'error',
      render: (e: string | null) => (e ? <Typography.Text type="danger">{e}</Typography.Text> : null),
    },
  ];

  return (
    <Drawer open={id !== null} onClose={onClose} title={b?.subject ?? t('mailui.batches.detail')} size={820} destroyOnHidden>
      {batch.isError ? (
        <Alert type="error" showIcon title={batch.error.message} />
      ) : !b ? (
        <Skeleton active />
      ) : (
        <Flex vertical gap={16}>
          <Descriptions
            size="small"
            column={2}
            items={[
              {
                key: 'status',
                label: t('mailui.batches.status'),
                children: <Tag color={BATCH_STATUS_COLORS[b.status]}>{t(`mailui.batches.status_${b.status}`)}</Tag>,
              },
              { key: 'from', label: t('mailui.compose.from'), children: accountName?.(b.accountId) ?? '—' },
              { key: 'created', label: t('mailui.batches.created_at'), children: formatDateTime(b.createdAt) },
              { key: 'finished', label: t('mailui.batches.finished_at'), children: formatDateTime(b.finishedAt) },
              { key: 'size', label: t('mailui.batches.batch_size'), children: b.batchSize },
              { key: 'pause', label: t('mailui.batches.pause'), children: t('mailui.batches.seconds_value', { n: b.pauseSeconds }) },
            ]}
          />
          <div>
            <Progress percent={batchPercent(b)} status={b.failed ? 'exception' : b.status === 'done' ? 'success' : 'active'} />
            <Typography.Text type="secondary">
              {t('mailui.batches.counts', { sent: b.sent, failed: b.failed, total: b.total })}
            </Typography.Text>
          </div>
          {b.status === 'queued' || b.status === 'running' ? (
            <Popconfirm
              title={t('mailui.batches.cancel_confirm')}
              okText={t('common.confirm')}
              cancelText={t('common.cancel')}
              onConfirm={() => void cancel(b)}
            >
              <Button danger style={{ alignSelf: 'flex-start' }}>
                {t('mailui.batches.cancel')}
              </Button>
            </Popconfirm>
          ) : null}
          <Table<MailBatchRecipient>
            rowKey="id"
            size="small"
            dataSource={b.recipients}
            columns={columns}
            pagination={b.recipients.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
          />
        </Flex>
      )}
    </Drawer>
  );
}
