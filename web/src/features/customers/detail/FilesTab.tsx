import { Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { useT } from '@web/app/i18n';
import { formatDateTime } from '@web/app/format';
import { fileUrl, formatSize, type FileInfo } from '../api';
import { useCustomerFiles, useFollowUps } from '../hooks';

/** A file of the customer itself or of one of its follow-ups (then `followUpAt` says which). */
type Row = Pick<FileInfo, 'id' | 'name' | 'size'> & { ownerName: string | null; createdAt: string | null; followUpAt?: string };

/**
 * 附件: the files of the customer — those attached to it and those of its follow-ups (as far as the
 * timeline has loaded). Files are added with a follow-up (写跟单).
 */
export function FilesTab({ customerId }: { customerId: string }) {
  const t = useT();
  const files = useCustomerFiles(customerId);
  const followUps = useFollowUps(customerId);
  const rows: Row[] = [
    ...(files.data ?? []).map((f) => ({ id: f.id, name: f.name, size: f.size, ownerName: f.ownerName, createdAt: f.createdAt })),
    ...(followUps.data?.pages.flatMap((p) => p.items) ?? []).flatMap((fu) =>
      (fu.attachments ?? []).map((a) => ({
        id: a.id,
        name: a.name,
        size: a.size,
        ownerName: fu.ownerName,
        createdAt: null,
        followUpAt: fu.at,
      })),
    ),
  ];
  const columns: TableColumnsType<Row> = [
    {
      title: t('customersui.files.name'),
      key: 'name',
      render: (_, f) => (
        <a href={fileUrl(f.id)} target="_blank" rel="noreferrer">
          {f.name}
        </a>
      ),
    },
    {
      title: t('customersui.files.source'),
      key: 'source',
      width: 200,
      render: (_, r) =>
        r.followUpAt ? t('customersui.files.of_follow_up', { at: formatDateTime(r.followUpAt) }) : t('customersui.files.of_customer'),
    },
    { title: t('customersui.files.size'), dataIndex: 'size', width: 100, render: (v: number) => formatSize(v) },
    { title: t('customersui.files.owner'), dataIndex: 'ownerName', width: 110, render: (v: string | null) => v || '—' },
  ];
  return (
    <Table<Row>
      rowKey="id"
      size="middle"
      loading={files.isLoading || followUps.isLoading}
      dataSource={rows}
      columns={columns}
      pagination={false}
      locale={{ emptyText: t('customersui.files.empty') }}
    />
  );
}
