import { Alert, Flex, Progress, Typography } from 'antd';
import { useT } from '@web/app/i18n';
import { percentOf, type DataTransfer } from './api';

/** A run's progress: the bar, its state and rows done of total; a failed run says why. */
export function TransferProgress({ transfer }: { transfer: DataTransfer | undefined }) {
  const t = useT();
  if (!transfer) return <Progress percent={0} status="active" />;
  if (transfer.status === 'failed')
    return (
      <Alert type="error" showIcon title={t('transfers.failed')} description={transfer.error ?? undefined} data-testid="transfer-failed" />
    );
  const busy = transfer.status === 'previewing' || transfer.status === 'running';
  return (
    <Flex vertical gap={4} data-testid="transfer-progress">
      <Progress percent={percentOf(transfer)} status={busy ? 'active' : 'success'} />
      <Typography.Text type="secondary">
        {t(`transfers.status.${transfer.status}`)}
        {transfer.total > 0 ? ` · ${t('salesui.excel.rows_done', { done: transfer.done, total: transfer.total })}` : ''}
      </Typography.Text>
    </Flex>
  );
}
