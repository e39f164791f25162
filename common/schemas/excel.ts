import { z } from 'zod';
import { idSchema, pageQuery } from './fields';

/**
 * Excel import and export (导入 / 导出) of customers, contacts and leads, run as data transfers
 * (one row of data_transfers per run, with progress pushed over the realtime socket).
 *
 * Import: GET /imports/template → POST /imports {entity, fileId} (headers, samples, suggested
 * mapping) → POST /imports/:id/preview {mapping} (every row validated, nothing written) →
 * POST /imports/:id/run (valid rows imported, an error workbook of the rest).
 * Export: POST /exports {entity, query} → the output file (GET /files/:id).
 */

export const TRANSFER_ENTITIES = ['customer', 'contact', 'lead'] as const;
export type TransferEntity = (typeof TRANSFER_ENTITIES)[number];

/** The permission module that guards each entity's import and export. */
export const TRANSFER_MODULES: Record<TransferEntity, 'customers' | 'contacts' | 'leads'> = {
  customer: 'customers',
  contact: 'contacts',
  lead: 'leads',
};

/** Data rows one import may hold (more: split the file). */
export const MAX_IMPORT_ROWS = 50_000;
/** Rows one export may hold. */
export const MAX_EXPORT_ROWS = 200_000;
/** Row errors returned by the preview (the error workbook holds all of them). */
export const PREVIEW_ERRORS_SHOWN = 100;

const entity = z.enum(TRANSFER_ENTITIES);
/** run in the request and answer when finished, instead of queueing a job (small files, scripts, tests) */
const wait = z.boolean().optional();

export const importTemplateQuery = z.object({ entity });

export const createImportBody = z.strictObject({ entity, fileId: idSchema });
export type CreateImportBody = z.infer<typeof createImportBody>;

/** column index (0-based, as text) → field key (`name`, `contact.mobile`, `custom.level`); null or absent: not imported */
export const importMapping = z.record(z.string().regex(/^\d{1,4}$/, 'validation.invalid_format'), z.string().max(60).nullable());
export type ImportMapping = z.infer<typeof importMapping>;

export const previewImportBody = z.strictObject({ mapping: importMapping, wait });
export type PreviewImportBody = z.infer<typeof previewImportBody>;

export const runImportBody = z.strictObject({ wait });

/**
 * The list query of the view being exported: the same parameters as the entity's list (customers:
 * q, view, kind, filters JSON, sort, order …; contacts: q, customerId; leads: q, status, ownerId,
 * source) and the columns in their order (field keys as the list uses them, `custom.<key>` too).
 */
export const exportQuery = z.strictObject({
  q: z.string().trim().max(100).optional(),
  view: z.string().max(20).optional(),
  kind: z.string().max(20).optional(),
  ownerId: idSchema.optional(),
  departmentId: idSchema.optional(),
  customerId: idSchema.optional(),
  category: z.string().max(30).optional(),
  stage: z.string().max(30).optional(),
  importance: z.string().max(30).optional(),
  status: z.string().max(30).optional(),
  source: z.string().max(30).optional(),
  tag: z.string().max(20).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  filters: z.string().max(4000).optional(),
  sort: z.string().max(30).optional(),
  order: z.enum(['asc', 'desc']).optional(),
  columns: z.array(z.string().min(1).max(60)).max(100).optional(),
});
export type ExportQuery = z.infer<typeof exportQuery>;

export const createExportBody = z.strictObject({ entity, query: exportQuery.optional(), wait });
export type CreateExportBody = z.infer<typeof createExportBody>;

/** GET /data-transfers: the caller's runs, newest first; an admin may pass mine=false to see everyone's. */
export const dataTransfersQuery = pageQuery.extend({ mine: z.enum(['true', 'false']).optional() });

export type TransferKind = 'import' | 'export';
/**
 * import: mapping (uploaded, waiting for a mapping) → previewing → ready (previewed) → running → done;
 * export: running → done; either may end failed (`error` says why).
 */
export type TransferStatus = 'mapping' | 'previewing' | 'ready' | 'running' | 'done' | 'failed';

/** A field a column can be mapped to (template header, mapping choices). */
export type ImportField = {
  key: string;
  label: string;
  required: boolean;
  /** text, number, money, date, datetime, select, multiselect, user, boolean, region, list, customer */
  type: string;
  /** labels to pick from (definable lists, select options) */
  options?: string[];
};

export type CellValue = string | number | boolean | null;

/** POST /imports: what the workbook holds and how its columns map. */
export type ImportStart = {
  id: string;
  entity: TransferEntity;
  fileName: string;
  /** data rows (below the header row) */
  total: number;
  headers: string[];
  /** the first 5 data rows as shown (dates as YYYY-MM-DD) */
  sampleRows: CellValue[][];
  /** column index → field key, matched by label (either language) or key */
  suggestedMapping: Record<string, string>;
  fields: ImportField[];
};

/** A rejected row: its row number in the workbook (header = row 1), the field when one is at fault, and why. */
export type ImportRowError = { row: number; field: string | null; message: string };

export type ImportPreview = { total: number; valid: number; invalid: number; errors: ImportRowError[] };

export type ImportResult = ImportPreview & { imported: number; failed: number; errorFileId: string | null };

/** `truncated`: the view held more than MAX_EXPORT_ROWS rows; the file has the first ones. */
export type ExportResult = { rows: number; fileId: string; fileName: string; truncated?: boolean };

export type DataTransfer = {
  id: string;
  kind: TransferKind;
  entity: string;
  status: TransferStatus;
  total: number;
  done: number;
  /** import: ImportPreview (ready) or ImportResult (done); export: ExportResult */
  result: ImportPreview | ImportResult | ExportResult | null;
  inputFileId: string | null;
  outputFileId: string | null;
  error: string | null;
  createdAt: string;
  updatedAt: string;
};

/** Realtime event sent to the run's user on every progress step: `{ type, data: DataTransfer }`. */
export const DATA_TRANSFER_EVENT = 'data_transfer';
