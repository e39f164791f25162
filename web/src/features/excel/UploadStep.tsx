import { useState } from 'react';
import { Alert, Button, Flex, Segmented, Typography, Upload } from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { post } from '@web/app/api';
import { useT } from '@web/app/i18n';
import { useCan } from '@web/app/auth';
import { uploadFile } from '@web/features/customers/api';
import { TRANSFER_ENTITIES, TRANSFER_MODULES, templateUrl, type ImportStart, type TransferEntity } from './api';

const XLSX = '.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type Props = { entity: TransferEntity; onEntity: (e: TransferEntity) => void; onStarted: (s: ImportStart) => void };

/** Step 1: what to import, the template, and the workbook (uploaded, then read by POST /imports). */
export function UploadStep({ entity, onEntity, onStarted }: Props) {
  const t = useT();
  const can = useCan();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const allowed = can(TRANSFER_MODULES[entity], 'import');

  async function upload(file: File) {
    setBusy(true);
    setProblem(null);
    try {
      const info = await uploadFile(file);
      onStarted(await post<ImportStart>('/imports', { entity, fileId: info.id }));
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Flex vertical gap={16}>
      <Flex gap={12} align="center" wrap>
        <Typography.Text>{t('salesui.excel.entity')}</Typography.Text>
        <Segmented<TransferEntity>
          value={entity}
          onChange={onEntity}
          options={TRANSFER_ENTITIES.map((e) => ({ value: e, label: t(`fields.entity.${e}`) }))}
        />
        <Button icon={<DownloadOutlined />} href={templateUrl(entity)} disabled={!allowed} data-testid="download-template">
          {t('salesui.excel.template')}
        </Button>
      </Flex>
      {!allowed ? (
        <Alert type="warning" showIcon title={t('salesui.excel.no_right', { entity: t(`fields.entity.${entity}`) })} />
      ) : (
        <>
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
            {t('salesui.excel.upload_hint')}
          </Typography.Paragraph>
          <Upload.Dragger
            accept={XLSX}
            multiple={false}
            showUploadList={false}
            disabled={busy}
            customRequest={({ file }) => void upload(file as File)}
            data-testid="import-upload"
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{busy ? t('salesui.excel.reading') : t('salesui.excel.drop')}</p>
            <p className="ant-upload-hint">{t('salesui.excel.drop_hint')}</p>
          </Upload.Dragger>
          {problem && <Alert type="error" showIcon title={problem} data-testid="import-problem" />}
        </>
      )}
    </Flex>
  );
}
