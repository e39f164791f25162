import { Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { useT } from '@web/app/i18n';
import { formatDateTime } from '@web/app/format';
import { labelOr } from '@web/features/system/shared/format';
import type { OwnerHistoryEntry } from '../api';
import { useOwnerHistory } from '../hooks';
import { TransferRequestsSection } from './TransferRequests';

/** 归属变更: every owner change of the customer (from, to, why, who, when), newest first. */
export function OwnerHistoryTab({ customerId }: { customerId: string }) {
  const t = useT();
  const history = useOwnerHistory(customerId);
  const pool = <Tag color="orange">{t('customer.owner.pool')}</Tag>;
  const rows = [...(history.data ?? [])].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  const columns: TableColumnsType<OwnerHistoryEntry> = [
    { title: t('customersui.owners.at'), dataIndex: 'at', width: 160, render: (v: string) => formatDateTime(v) },
    { title: t('customersui.owners.from'), key: 'from', width: 120, render: (_, e) => (e.fromUserId ? (e.fromName ?? '—') : pool) },
    { title: t('customersui.owners.to'), key: 'to', width: 120, render: (_, e) => (e.toUserId ? (e.toName ?? '—') : pool) },
    { title: t('customersui.owners.reason'), dataIndex: 'reason', width: 100, render: (v: string) => labelOr(t, `pool.reason.${v}`, v) },
    {
      title: t('customersui.owners.actor'),
      dataIndex: 'actorName',
      width: 110,
      render: (v: string | null) => v ?? t('customersui.owners.system'),
    },
    { title: t('customersui.owners.note'), dataIndex: 'note', render: (v: string | null) => v || '—' },
  ];
  return (
    <>
      <TransferRequestsSection customerId={customerId} />
      <Table<OwnerHistoryEntry>
        rowKey={(e) => `${e.at}-${e.toUserId ?? 'pool'}-${e.reason}`}
        size="middle"
        loading={history.isLoading}
        dataSource={rows}
        columns={columns}
        pagination={false}
      />
    </>
  );
}
