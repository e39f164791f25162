import { Alert, Button, Col, Flex, Result, Row, Space, Statistic, Table, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useT } from '@web/app/i18n';
import { asImportResult, asPreview, fileUrl, type DataTransfer, type ImportRowError, type TransferEntity } from './api';
import { TransferProgress } from './TransferProgress';

/** The rows a preview or run refused: workbook row, field, reason. */
function ErrorsTable({ errors, invalid, label }: { errors: ImportRowError[]; invalid: number; label: FieldLabel }) {
  const t = useT();
  if (!errors.length) return null;
  return (
    <>
      <Typography.Title level={5}>{t('salesui.excel.errors')}</Typography.Title>
      <Table<ImportRowError>
        rowKey={(e) => `${e.row}:${e.field ?? ''}:${e.message}`}
        size="small"
        dataSource={errors}
        pagination={errors.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        data-testid="import-errors"
        columns={[
          { title: t('salesui.excel.row'), dataIndex: 'row', width: 80 },
          { title: t('salesui.excel.field'), dataIndex: 'field', width: 160, render: (f: string | null) => (f ? label(f) : '—') },
          { title: t('salesui.excel.reason'), dataIndex: 'message' },
        ]}
      />
      {invalid > errors.length && (
        <Typography.Text type="secondary">{t('salesui.excel.errors_more', { shown: errors.length, total: invalid })}</Typography.Text>
      )}
    </>
  );
}

/** field key → its label in the mapping (the server names fields by key) */
export type FieldLabel = (key: string) => string;

type PreviewProps = {
  transfer: DataTransfer | undefined;
  label: FieldLabel;
  onBack: () => void;
  onRun: () => void;
  running: boolean;
  problem: string | null;
};

/** Step 3: every row checked, nothing written yet: counts, the refused rows, and the button that imports the valid ones. */
export function PreviewStep({ transfer, label, onBack, onRun, running, problem }: PreviewProps) {
  const t = useT();
  const preview = transfer?.status === 'ready' ? asPreview(transfer) : null;
  return (
    <Flex vertical gap={16}>
      {!preview ? (
        <TransferProgress transfer={transfer} />
      ) : (
        <>
          <Row gutter={16} data-testid="preview-counts">
            <Col span={8}>
              <Statistic title={t('salesui.excel.total')} value={preview.total} />
            </Col>
            <Col span={8}>
              <Statistic title={t('salesui.excel.valid')} value={preview.valid} styles={{ content: { color: '#389e0d' } }} />
            </Col>
            <Col span={8}>
              <Statistic
                title={t('salesui.excel.invalid')}
                value={preview.invalid}
                styles={{ content: preview.invalid ? { color: '#cf1322' } : undefined }}
              />
            </Col>
          </Row>
          {preview.invalid > 0 && <Alert type="info" showIcon title={t('salesui.excel.invalid_hint')} />}
          <ErrorsTable errors={preview.errors} invalid={preview.invalid} label={label} />
        </>
      )}
      {problem && <Alert type="error" showIcon title={problem} />}
      <Space>
        <Button onClick={onBack} disabled={transfer?.status === 'previewing'}>
          {t('salesui.excel.back_mapping')}
        </Button>
        <Button type="primary" onClick={onRun} loading={running} disabled={!preview || preview.valid === 0} data-testid="import-run">
          {t('salesui.excel.run', { count: preview?.valid ?? 0 })}
        </Button>
      </Space>
    </Flex>
  );
}

const LIST_OF: Record<TransferEntity, string> = { customer: '/customers', contact: '/customers', lead: '/leads' };

/** Step 4: the import running, then what was imported and the error workbook of the rest. */
type ResultProps = { transfer: DataTransfer | undefined; entity: TransferEntity; label: FieldLabel; onAgain: () => void };

export function ResultStep({ transfer, entity, label, onAgain }: ResultProps) {
  const t = useT();
  const result = transfer?.status === 'done' ? asImportResult(transfer) : null;
  if (!result) return <TransferProgress transfer={transfer} />;
  const errorFile = result.errorFileId ?? transfer?.outputFileId ?? null;
  return (
    <Result
      // `invalid`: every row not imported (refused by the preview or failing during the run)
      status={result.invalid ? 'warning' : 'success'}
      title={t('salesui.excel.imported', { count: result.imported })}
      subTitle={result.invalid ? t('salesui.excel.failed_rows', { count: result.invalid }) : undefined}
      extra={
        <Space wrap data-testid="import-result">
          {errorFile && (
            <Button icon={<DownloadOutlined />} href={fileUrl(errorFile)} data-testid="error-workbook">
              {t('salesui.excel.error_workbook')}
            </Button>
          )}
          <Link to={LIST_OF[entity]}>
            <Button type="primary">{t('salesui.excel.open_list')}</Button>
          </Link>
          <Button onClick={onAgain}>{t('salesui.excel.again')}</Button>
        </Space>
      }
    >
      <ErrorsTable errors={result.errors ?? []} invalid={result.invalid} label={label} />
    </Result>
  );
}
