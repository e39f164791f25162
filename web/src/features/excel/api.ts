import { useQuery, useQueryClient } from '@tanstack/react-query';
import { get } from '@web/app/api';
import { useRealtime } from '@web/app/realtime';
import {
  DATA_TRANSFER_EVENT,
  type DataTransfer,
  type ExportResult,
  type ImportPreview,
  type ImportResult,
  type TransferEntity,
  type TransferStatus,
} from '@common/schemas/excel';

export type { DataTransfer, ExportResult, ImportPreview, ImportResult, TransferEntity };
export { TRANSFER_ENTITIES, TRANSFER_MODULES } from '@common/schemas/excel';
export type { ImportStart, ImportField, ImportRowError, ImportMapping, CellValue } from '@common/schemas/excel';

const TRANSFER_KEY = ['dataTransfers'] as const;
const BUSY: TransferStatus[] = ['previewing', 'running'];

/** Whether a run is still working (the bar moves; the page polls). */
export const isBusy = (t: DataTransfer | undefined) => Boolean(t && BUSY.includes(t.status));

/** Percent done of a run; a run without a known total shows an indeterminate 0 until it ends. */
export function percentOf(t: DataTransfer | undefined): number {
  if (!t) return 0;
  if (t.status === 'done' || t.status === 'ready') return 100;
  return t.total > 0 ? Math.min(99, Math.floor((t.done / t.total) * 100)) : 0;
}

/**
 * One data transfer (import / export run), kept fresh: the server pushes every progress step over
 * the realtime socket, and the page also polls once a second while the run is busy (the socket may
 * be down or the event missed).
 */
export function useTransfer(id: string | null) {
  const qc = useQueryClient();
  useRealtime(DATA_TRANSFER_EVENT, (data) => {
    const t = data as DataTransfer | undefined;
    if (t?.id && t.id === id) qc.setQueryData([...TRANSFER_KEY, t.id], t);
  });
  return useQuery({
    queryKey: [...TRANSFER_KEY, id ?? ''],
    queryFn: () => get<DataTransfer>(`/data-transfers/${id}`),
    enabled: Boolean(id),
    staleTime: 0,
    refetchInterval: (q) => (isBusy(q.state.data) ? 1000 : false),
  });
}

/** The download URL of a stored file (the export, the error workbook). */
export const fileUrl = (id: string) => `/api/v1/files/${encodeURIComponent(id)}`;

export const templateUrl = (entity: TransferEntity) => `/api/v1/imports/template?entity=${entity}`;

/** Opens a download in this tab without leaving the page (the server sends Content-Disposition: attachment). */
export function download(url: string) {
  const a = document.createElement('a');
  a.href = url;
  a.rel = 'noopener';
  a.download = '';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

export const asPreview = (t: DataTransfer | undefined) => (t?.result ?? null) as ImportPreview | null;
export const asImportResult = (t: DataTransfer | undefined) => (t?.result ?? null) as ImportResult | null;
export const asExportResult = (t: DataTransfer | undefined) => (t?.result ?? null) as ExportResult | null;

/** Puts a transfer a POST answered with into the cache, so the page starts from the server's answer. */
export function useSeedTransfer() {
  const qc = useQueryClient();
  return (t: DataTransfer) => qc.setQueryData([...TRANSFER_KEY, t.id], t);
}
