import { App, Button, Flex, Table, Upload } from 'antd';
import type { TableColumnsType } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useT } from '@web/app/i18n';
import { formatDateTime } from '@web/app/format';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import { customerKeys, fileUrl, formatSize, uploadFile, type Customer, type FileInfo } from '../api';
import { useCustomerFiles } from '../hooks';

/** 附件: files attached to the customer; those who may edit it upload more. */
export function FilesTab({ customer }: { customer: Customer }) {
  const t = useT();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const feedback = useFeedback();
  const files = useCustomerFiles(customer.id);
  const columns: TableColumnsType<FileInfo> = [
    {
      title: t('customersui.files.name'),
      key: 'name',
      render: (_, f) => (
        <a href={fileUrl(f.id)} target="_blank" rel="noreferrer">
          {f.name}
        </a>
      ),
    },
    { title: t('customersui.files.size'), dataIndex: 'size', width: 100, render: (v: number) => formatSize(v) },
    { title: t('customersui.files.owner'), dataIndex: 'ownerName', width: 110, render: (v: string | null) => v || '—' },
    { title: t('customersui.files.at'), dataIndex: 'createdAt', width: 160, render: (v: string) => formatDateTime(v) },
  ];
  return (
    <>
      {customer.canEdit && (
        <Flex justify="end" style={{ marginBottom: 12 }}>
          <Upload
            multiple
            showUploadList={false}
            customRequest={({ file, onSuccess, onError }) => {
              uploadFile(file as File, { entity: 'customer', entityId: customer.id }).then(
                (info) => {
                  onSuccess?.(info);
                  void message.success(t('customersui.files.uploaded', { name: info.name }));
                  void qc.invalidateQueries({ queryKey: customerKeys.sub(customer.id, 'files') });
                },
                (e: unknown) => {
                  feedback.failure(e);
                  onError?.(e instanceof Error ? e : new Error(String(e)));
                },
              );
            }}
          >
            <Button icon={<UploadOutlined />}>{t('customersui.files.upload')}</Button>
          </Upload>
        </Flex>
      )}
      <Table<FileInfo>
        rowKey="id"
        size="middle"
        loading={files.isLoading}
        dataSource={files.data ?? []}
        columns={columns}
        pagination={false}
      />
    </>
  );
}
