import { useEffect, useRef, useState } from 'react';
import { App, Button, Modal } from 'antd';
import { ExportOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { post } from '@web/app/api';
import { useT } from '@web/app/i18n';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import type { CreateExportBody, ExportQuery } from '@common/schemas/excel';
import { asExportResult, download, fileUrl, useSeedTransfer, useTransfer, type DataTransfer, type TransferEntity } from './api';
import { TransferProgress } from './TransferProgress';

type Props = {
  entity: TransferEntity;
  /** the list's current query (filters, search, sort …): exported as shown, within the user's scope */
  query?: object;
  /** the visible columns, in order (field keys; `custom.<key>` too) */
  columns?: string[];
  size?: 'small' | 'middle' | 'large';
};

const QUERY_KEYS = [
  'q',
  'view',
  'kind',
  'ownerId',
  'departmentId',
  'customerId',
  'category',
  'stage',
  'importance',
  'status',
  'source',
  'tag',
  'overdue',
  'filters',
  'sort',
  'order',
] as const;

/** The list's state as the export's query: known keys only, filters as JSON text, booleans as 'true'. */
function exportQueryOf(query: object | undefined, columns: string[] | undefined): ExportQuery {
  const out: Record<string, unknown> = {};
  const src = (query ?? {}) as Record<string, unknown>;
  for (const k of QUERY_KEYS) {
    const v = src[k];
    if (v === undefined || v === null || v === '' || v === false) continue;
    if (k === 'filters') {
      if (Array.isArray(v) && !v.length) continue;
      out.filters = typeof v === 'string' ? v : JSON.stringify(v);
    } else if (k === 'view' && v === 'all') continue;
    else out[k] = v === true ? 'true' : String(v);
  }
  if (columns?.length) out.columns = columns;
  return out as ExportQuery;
}

/** 导出: exports the list as shown to .xlsx (POST /exports), shows the progress, then downloads the file. */
export function ExportButton({ entity, query, columns, size }: Props) {
  const t = useT();
  const { message } = App.useApp();
  const feedback = useFeedback();
  const seed = useSeedTransfer();
  const [id, setId] = useState<string | null>(null);
  const transfer = useTransfer(id);
  const downloaded = useRef<string | null>(null);
  const start = useMutation({
    mutationFn: (body: CreateExportBody) => post<DataTransfer>('/exports', body),
    onSuccess: (tr) => {
      seed(tr);
      setId(tr.id);
    },
  });
  const result = asExportResult(transfer.data);
  const fileId = transfer.data?.status === 'done' ? (result?.fileId ?? transfer.data.outputFileId) : null;

  // the file downloads by itself once ready (once per run)
  useEffect(() => {
    if (fileId && downloaded.current !== fileId) {
      downloaded.current = fileId;
      download(fileUrl(fileId));
      void message.success(t('salesui.excel.export_done', { rows: result?.rows ?? 0 }));
      // the progress dialog has done its job; a failure stays open to say why
      setId(null);
    }
  }, [fileId, result?.rows, message, t]);

  const run = () => start.mutate({ entity, query: exportQueryOf(query, columns) }, { onError: (e) => feedback.failure(e) });

  return (
    <>
      <Button icon={<ExportOutlined />} size={size} loading={start.isPending} onClick={run} data-testid={`export-${entity}`}>
        {t('salesui.excel.export')}
      </Button>
      <Modal
        open={id !== null}
        title={t('salesui.excel.export_title')}
        onCancel={() => setId(null)}
        footer={<Button onClick={() => setId(null)}>{t('common.close')}</Button>}
        destroyOnHidden
      >
        <TransferProgress transfer={transfer.data} />
      </Modal>
    </>
  );
}
