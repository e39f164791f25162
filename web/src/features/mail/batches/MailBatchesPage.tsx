import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { Button, Card, Popconfirm, Progress, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { PageHeader } from '@web/app/PageHeader';
import { useT } from '@web/app/i18n';
import { formatDateTime } from '@web/app/format';
import { LoadMore } from '@web/features/system/shared/LoadMore';
import { useBatches, useMailAccounts, useMailLive, type MailBatch } from '../api';
import { BatchDrawer } from './BatchDrawer';
import { BATCH_STATUS_COLORS, batchPercent, useCancelBatch } from './batchShared';
import { NewBatchDrawer } from './NewBatchDrawer';

/** 邮件群发 (/mail/batches): the user's runs with live progress; a new run; one run's recipients. */
export function MailBatchesPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const openId = params.get('id');
  const [creating, setCreating] = useState(false);
  const batches = useBatches();
  const accounts = useMailAccounts();
  const cancel = useCancelBatch();
  useMailLive();
  const rows = batches.data?.pages.flatMap((p) => p.items) ?? [];
  const accountName = (id: string) => accounts.data?.find((a) => a.id === id)?.name ?? '—';
  const show = (id: string | null) => setParams(id ? { id } : {});

  const columns: TableColumnsType<MailBatch> = [
    {
      title: t('mailui.compose.subject'),
      dataIndex: 'subject',
      render: (s: string, b) => <Typography.Link onClick={() => show(b.id)}>{s}</Typography.Link>,
    },
    { title: t('mailui.compose.from'), dataIndex: 'accountId', width: 160, render: accountName },
    {
      title: t('mailui.batches.status'),
      dataIndex: 'status',
      width: 100,
      render: (s: MailBatch['status']) => <Tag color={BATCH_STATUS_COLORS[s]}>{t(`mailui.batches.status_${s}`)}</Tag>,
    },
    {
      title: t('mailui.batches.progress'),
      key: 'progress',
      width: 260,
      render: (_, b) => (
        <div data-testid="batch-progress">
          <Progress percent={batchPercent(b)} size="small" status={b.failed ? 'exception' : b.status === 'done' ? 'success' : 'active'} />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('mailui.batches.counts', { sent: b.sent, failed: b.failed, total: b.total })}
          </Typography.Text>
        </div>
      ),
    },
    { title: t('mailui.batches.created_at'), dataIndex: 'createdAt', width: 150, render: formatDateTime },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 140,
      render: (_, b) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => show(b.id)}>
            {t('mailui.batches.detail')}
          </Button>
          {b.status === 'queued' || b.status === 'running' ? (
            <Popconfirm
              title={t('mailui.batches.cancel_confirm')}
              okText={t('common.confirm')}
              cancelText={t('common.cancel')}
              onConfirm={() => void cancel(b)}
            >
              <Button type="link" size="small" danger>
                {t('mailui.batches.cancel')}
              </Button>
            </Popconfirm>
          ) : null}
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        subTitle={t('mailui.batches.subtitle')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('mailui.batches.new')}
          </Button>
        }
      />
      <Card>
        <Table<MailBatch>
          rowKey="id"
          loading={batches.isLoading}
          dataSource={rows}
          columns={columns}
          pagination={false}
          locale={{ emptyText: t('mailui.batches.empty') }}
        />
        <LoadMore
          hasMore={!!batches.hasNextPage}
          loading={batches.isFetchingNextPage}
          onMore={() => void batches.fetchNextPage()}
          shown={rows.length}
        />
      </Card>
      <NewBatchDrawer
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(b) => {
          setCreating(false);
          show(b.id);
        }}
      />
      <BatchDrawer id={openId} accountName={openId ? accountName : undefined} onClose={() => show(null)} />
    </>
  );
}
