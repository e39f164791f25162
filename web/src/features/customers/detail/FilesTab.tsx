import { useState } from 'react';
import { Alert, App, Button, Popconfirm, Space, Table, Upload } from 'antd';
import type { TableColumnsType } from 'antd';
import { DeleteOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { del, post } from '@web/app/api';
import { useT } from '@web/app/i18n';
import { formatDateTime } from '@web/app/format';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import { customerKeys, fileUrl, formatSize, uploadFile, type FileInfo } from '../api';
import { useCustomerFiles, useFollowUps } from '../hooks';

/** A file of the customer itself or of one of its follow-ups (then `followUpAt` says which). */
type Row = Pick<FileInfo, 'id' | 'name' | 'size'> & { ownerName: string | null; createdAt: string | null; followUpAt?: string };

/**
 * 附件: the files of the customer — those attached to it and those of its follow-ups (as far as the
 * timeline has loaded). Whoever may edit the customer uploads files to it (POST /files, then
 * POST /customers/:id/attachments) and removes them; follow-up files come with their follow-up.
 */
export function FilesTab({ customerId, canEdit = false }: { customerId: string; canEdit?: boolean }) {
  const t = useT();
  const { message } = App.useApp();
  const feedback = useFeedback();
  const qc = useQueryClient();
  const [busy, setBusy] = useState(false);
  const files = useCustomerFiles(customerId);
  const refresh = () => qc.invalidateQueries({ queryKey: customerKeys.sub(customerId, 'files') });

  async function add(file: File) {
    setBusy(true);
    try {
      const info = await uploadFile(file);
      await post(`/customers/${encodeURIComponent(customerId)}/attachments`, { fileIds: [info.id] });
      void message.success(t('customersui.files.uploaded', { name: info.name }));
    } catch (e) {
      feedback.failure(e);
    } finally {
      setBusy(false);
      void refresh();
    }
  }

  async function remove(id: string) {
    try {
      await del(`/customers/${encodeURIComponent(customerId)}/attachments/${encodeURIComponent(id)}`);
    } catch (e) {
      feedback.failure(e);
    } finally {
      void refresh();
    }
  }

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
    ...(canEdit
      ? [
          {
            key: 'remove',
            width: 60,
            render: (_: unknown, r: Row) =>
              r.followUpAt ? null : (
                <Popconfirm
                  title={t('customersui.files.remove_confirm', { name: r.name })}
                  onConfirm={() => remove(r.id)}
                  okText={t('common.confirm')}
                  cancelText={t('common.cancel')}
                >
                  <Button type="text" size="small" danger icon={<DeleteOutlined />} aria-label={t('customersui.files.remove')} />
                </Popconfirm>
              ),
          },
        ]
      : []),
  ];
  const table = (
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
  // a failed load says so (the list would otherwise read as "no attachments")
  const failed = files.isError ? <Alert type="error" showIcon message={files.error.message} /> : null;
  if (!canEdit)
    return (
      <Space direction="vertical" style={{ width: '100%' }}>
        {failed}
        {table}
      </Space>
    );
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {failed}
      <Upload
        multiple
        showUploadList={false}
        customRequest={({ file, onSuccess }) => {
          void add(file as File).then(() => onSuccess?.({}));
        }}
      >
        <Button icon={<UploadOutlined />} loading={busy}>
          {t('customersui.files.upload')}
        </Button>
      </Upload>
      {table}
    </Space>
  );
}
