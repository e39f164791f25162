import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { translate, type Locale } from '@common/messages/index';
import type { CustomerSettings } from '@common/schemas/customer-settings';
import type { CustomFieldDef } from '@common/schemas/custom-fields';
import {
  PREVIEW_ERRORS_SHOWN,
  TRANSFER_MODULES,
  type DataTransfer,
  type ImportMapping,
  type ImportPreview,
  type ImportResult,
  type ImportRowError,
  type ImportStart,
  type TransferEntity,
} from '@common/schemas/excel';
import type { Db, Tx } from '@server/db/types';
import type { Auth } from '@server/platform/access/types';
import { audit, type Actor } from '@server/platform/audit/audit.service';
import { listFieldDefs } from '@server/platform/fields/fields.service';
import { filePath, findFile, saveFile } from '@server/platform/files/files.service';
import type { AppContext } from '@server/platform/http/context';
import { AppError, fieldError } from '@server/platform/http/errors';
import { getCompany } from '@server/platform/settings/settings.service';
import { allowStep, registerTransferStep, startTransferStep, transferLogger } from '@server/platform/transfers/transfers.runner';
import {
  createTransfer,
  errorText,
  findTransfer,
  finishTransfer,
  moveTransfer,
  ownTransfer,
  presentTransfer,
  TransferProgress,
  transferParams,
  type TransferParams,
  type TransferRow,
} from '@server/platform/transfers/transfers.service';
import { actorOfAuth } from './contacts.service';
import { getCustomerSettings } from './customer-settings.service';
import { importFields, presentField, suggestMapping, type Field } from './excel-columns';
import { loadUserIndex, parseField, type ParseContext } from './excel-parse';
import { addSheet, cellJson, fileProblem, readFirstSheet, workbookBuffer, XLSX_MIME, type Cell, type Sheet } from './excel-workbook';
import { customerImporter } from './excel-import-customers';
import { contactImporter } from './excel-import-contacts';
import { leadImporter } from './excel-import-leads';

/**
 * Excel import (导入): upload → mapping → preview (every row validated, nothing written) → run
 * (valid rows written in batches through the entity's own create service, then an error workbook
 * of every rejected row with its reason). Entity specifics live in excel-import-<entity>.ts.
 */

/** Rows validated between two progress updates. */
const CHUNK = 200;
/**
 * Rows written per transaction. A batch holds the month's code-sequence row (and on SQLite the
 * writer lock) until it commits, so other users' creates wait at most one batch.
 */
const WRITE_BATCH = 100;
/** Failures inside one batch before its remaining rows are written one transaction each. */
const REDO_LIMIT = 5;

export type RowError = { field: string | null; message: string };

/** A data row being checked: its cells, parsed values by field key, errors, and (when valid) the body to create. */
export type RowCheck<B> = {
  number: number;
  cells: Cell[];
  values: Map<string, unknown>;
  errors: RowError[];
  body?: B;
};

export type ImportEnv = {
  db: Db;
  auth: Auth;
  locale: Locale;
  settings: CustomerSettings;
  fields: Field[];
  /** carried across chunks: keys of earlier kept rows (duplicates within the file) */
  state: Map<string, unknown>;
};

/** What an entity adds to the generic checks, and how one valid row is written. */
export type Importer<B> = {
  entity: TransferEntity;
  /** entity checks of a chunk in row order (sets `body` on rows that pass): required combinations, lookups, duplicates */
  check(rows: RowCheck<B>[], env: ImportEnv): Promise<void>;
  /**
   * writes one row inside the batch's transaction (the entity's create service, with its rules and
   * audit); `shared` lives as long as that transaction (what the service reads once for all its rows)
   */
  insert(tx: Tx, body: B, auth: Auth, actor: Actor, shared: Record<string, unknown>): Promise<void>;
  /** after a refused row's batch rolled back (e.g. the data-quality trace of a duplicate attempt) */
  afterFailure?(db: Db, auth: Auth, body: B, err: unknown): Promise<void>;
  /** a field name an error of the create service uses → the import field key */
  fieldOf?(serviceField: string): string;
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const IMPORTERS: Record<TransferEntity, Importer<any>> = { customer: customerImporter, contact: contactImporter, lead: leadImporter };

type ImportParams = TransferParams & { fileName: string; headers: string[]; mapping?: ImportMapping };

async function fieldsFor(db: Db, entity: TransferEntity, auth: Auth, locale: Locale) {
  const [settings, defs] = await Promise.all([getCustomerSettings(db), listFieldDefs(db, entity) as Promise<CustomFieldDef[]>]);
  return { settings, fields: importFields(entity, locale, { auth, settings, defs }) };
}

async function loadSheet(ctx: AppContext, fileId: string | null, userId: string): Promise<{ sheet: Sheet; name: string }> {
  const file = fileId ? await findFile(ctx.db, fileId) : undefined;
  if (!file || file.owner_id !== userId) throw fileProblem('missing');
  let data: Buffer;
  try {
    data = await fs.promises.readFile(filePath(ctx.config.dataDir, file));
  } catch {
    throw fileProblem('missing');
  }
  return { sheet: await readFirstSheet(data), name: file.name };
}

/**
 * POST /imports: reads the uploaded workbook (the caller's own upload) and opens a run waiting for
 * its mapping. An unreadable file is refused (400) and nothing is written.
 */
export async function startImport(
  ctx: AppContext,
  auth: Auth,
  locale: Locale,
  body: { entity: TransferEntity; fileId: string },
): Promise<ImportStart> {
  const file = await findFile(ctx.db, body.fileId);
  if (!file || file.owner_id !== auth.user.id) throw fieldError('fileId', 'not_found');
  const { sheet, name } = await loadSheet(ctx, file.id, auth.user.id);
  const { fields } = await fieldsFor(ctx.db, body.entity, auth, locale);
  const params: ImportParams = { locale, fileName: name, headers: sheet.headers };
  const row = await createTransfer(ctx.db, {
    kind: 'import',
    entity: body.entity,
    userId: auth.user.id,
    status: 'mapping',
    total: sheet.rows.length,
    params,
    inputFileId: file.id,
  });
  return {
    id: row.id,
    entity: body.entity,
    fileName: name,
    total: sheet.rows.length,
    headers: sheet.headers,
    sampleRows: sheet.rows.slice(0, 5).map((r) => r.cells.map(cellJson)),
    suggestedMapping: suggestMapping(sheet.headers, fields),
    fields: fields.map(presentField),
  };
}

/** The mapping must name known fields, existing columns, each field once, and every required standard field. */
function checkMapping(mapping: ImportMapping, headers: string[], fields: Field[]): ImportMapping {
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const used = new Set<string>();
  const out: ImportMapping = {};
  for (const [col, key] of Object.entries(mapping)) {
    if (key === null || key === '') continue;
    if (Number(col) >= headers.length) throw fieldError(`mapping.${col}`, 'invalid_value');
    if (!byKey.has(key)) throw fieldError(`mapping.${col}`, 'invalid_value');
    if (used.has(key)) throw fieldError(`mapping.${col}`, 'duplicate');
    used.add(key);
    out[col] = key;
  }
  const missing = fields.find((f) => f.required && !f.def && !used.has(f.key));
  if (missing) throw fieldError('mapping', 'mapping_required', { label: missing.label });
  return out;
}

/** POST /imports/:id/preview: stores the mapping and checks every row (in a job, or now with `wait`). */
export async function previewImport(
  ctx: AppContext,
  auth: Auth,
  id: string,
  mapping: ImportMapping,
  wait?: boolean,
): Promise<DataTransfer> {
  const row = await ownTransfer(ctx.db, auth, id, 'import');
  const params = transferParams(row) as ImportParams;
  const { fields } = await fieldsFor(ctx.db, row.entity as TransferEntity, auth, params.locale);
  const checked = checkMapping(mapping, params.headers, fields);
  // a run left busy by a process that died can be checked again (its rows already written then show as duplicates)
  const next = await moveTransfer(ctx, row, ['mapping', 'ready', 'failed'], 'previewing', {
    params: { ...params, mapping: checked },
    staleFrom: ['previewing', 'running'],
  });
  await startTransferStep(ctx, next, PREVIEW_STEP, { wait, auth });
  return presentTransfer((await findTransfer(ctx.db, id))!);
}

/** POST /imports/:id/run: imports the rows of a previewed run (in a job, or now with `wait`). */
export async function runImport(ctx: AppContext, auth: Auth, id: string, wait?: boolean): Promise<DataTransfer> {
  const row = await ownTransfer(ctx.db, auth, id, 'import');
  const next = await moveTransfer(ctx, row, ['ready'], 'running');
  await startTransferStep(ctx, next, RUN_STEP, { wait, auth });
  return presentTransfer((await findTransfer(ctx.db, id))!);
}

/* ---- checking every row ---- */

type Checked = { rows: RowCheck<unknown>[]; fields: Field[] };

async function checkAll(
  ctx: AppContext,
  row: TransferRow,
  auth: Auth,
  progress: TransferProgress | null,
): Promise<Checked & { sheet: Sheet }> {
  const params = transferParams(row) as ImportParams;
  const entity = row.entity as TransferEntity;
  const importer = IMPORTERS[entity];
  const { sheet } = await loadSheet(ctx, row.input_file_id, row.user_id);
  const { settings, fields } = await fieldsFor(ctx.db, entity, auth, params.locale);
  const mapping = checkMapping(params.mapping ?? {}, params.headers, fields);
  const columns = Object.entries(mapping).map(([col, key]) => ({ col: Number(col), field: fields.find((f) => f.key === key)! }));
  const parse: ParseContext = {
    locale: params.locale,
    timeZone: (await getCompany(ctx.db)).timezone,
    users: await loadUserIndex(ctx.db),
  };
  const env: ImportEnv = { db: ctx.db, auth, locale: params.locale, settings, fields, state: new Map() };
  const required = fields.filter((f) => f.required);
  const rows: RowCheck<unknown>[] = [];
  for (let i = 0; i < sheet.rows.length; i += CHUNK) {
    const chunk = sheet.rows.slice(i, i + CHUNK).map((r): RowCheck<unknown> => {
      const check: RowCheck<unknown> = { number: r.number, cells: r.cells, values: new Map(), errors: [] };
      for (const { col, field } of columns) {
        const p = parseField(field, r.cells[col] ?? null, parse);
        if (p.ok) check.values.set(field.key, p.value);
        else check.errors.push({ field: field.key, message: p.message });
      }
      for (const f of required) {
        const v = check.values.get(f.key);
        const empty = v === null || v === undefined || (Array.isArray(v) && v.length === 0);
        if (empty && !check.errors.some((e) => e.field === f.key)) {
          check.errors.push({ field: f.key, message: translate(params.locale, 'validation.required', { field: f.label }) });
        }
      }
      return check;
    });
    await importer.check(chunk, env);
    rows.push(...chunk);
    if (progress) await progress.tick(rows.length);
  }
  return { rows, fields, sheet };
}

function previewOf(rows: RowCheck<unknown>[]): ImportPreview {
  const errors: ImportRowError[] = [];
  let invalid = 0;
  for (const r of rows) {
    if (!r.errors.length) continue;
    invalid += 1;
    for (const e of r.errors) if (errors.length < PREVIEW_ERRORS_SHOWN) errors.push({ row: r.number, field: e.field, message: e.message });
  }
  return { total: rows.length, valid: rows.length - invalid, invalid, errors };
}

const PREVIEW_STEP = 'excel.import.preview';
const RUN_STEP = 'excel.import.run';

registerTransferStep(PREVIEW_STEP, 'previewing', async (ctx, row, auth) => {
  allowStep(auth, TRANSFER_MODULES[row.entity as TransferEntity], 'import');
  const progress = new TransferProgress(ctx, row, CHUNK);
  const { rows } = await checkAll(ctx, row, auth, progress);
  await finishTransfer(ctx, progress.current, { status: 'ready', result: previewOf(rows), done: rows.length });
});

/* ---- writing the valid rows ---- */

/** The message of a row the create service refused, in the importer's language, naming the field by its label. */
function refusal(locale: Locale, err: unknown, fields: Field[], importer: Importer<unknown>): RowError {
  if (err instanceof AppError && err.code === 'validation' && err.fieldErrors.length) {
    const e = err.fieldErrors[0];
    const key = importer.fieldOf?.(e.field) ?? e.field;
    const label = fields.find((f) => f.key === key)?.label ?? e.field;
    const code = e.code.startsWith('validation.') ? e.code : `validation.${e.code}`;
    return { field: key, message: translate(locale, code, { ...e.params, field: label }) };
  }
  return { field: null, message: translate(locale, 'excel.row.failed', { reason: errorText(locale, err) }) };
}

type Item = { row: RowCheck<unknown> };

/**
 * Writes the valid rows, WRITE_BATCH per transaction. A row refused inside a batch (a duplicate entered
 * meanwhile, a cap reached) rolls the batch back: it goes to the error list and the batch is
 * written again without it; after REDO_LIMIT such failures the rest of the batch goes row by row.
 */
async function writeRows(
  ctx: AppContext,
  importer: Importer<unknown>,
  items: Item[],
  auth: Auth,
  onFail: (item: Item, err: unknown) => void,
  progress: TransferProgress,
): Promise<number> {
  const actor = actorOfAuth(auth);
  let imported = 0;
  let processed = 0;
  const fail = async (item: Item, err: unknown) => {
    if (!(err instanceof AppError)) transferLogger().error({ err, row: item.row.number }, 'import row failed');
    onFail(item, err);
    if (importer.afterFailure) await importer.afterFailure(ctx.db, auth, item.row.body, err);
  };
  for (let i = 0; i < items.length; i += WRITE_BATCH) {
    let batch = items.slice(i, i + WRITE_BATCH);
    for (let redo = 0; ; redo++) {
      if (redo > REDO_LIMIT) {
        for (const item of batch) {
          try {
            await ctx.db.transaction().execute((tx) => importer.insert(tx, item.row.body, auth, actor, {}));
            imported += 1;
          } catch (err) {
            await fail(item, err);
          }
        }
        break;
      }
      let failed: { index: number; err: unknown } | null = null;
      try {
        await ctx.db.transaction().execute(async (tx) => {
          const shared = {};
          for (let j = 0; j < batch.length; j++) {
            try {
              await importer.insert(tx, batch[j].row.body, auth, actor, shared);
            } catch (err) {
              failed = { index: j, err };
              throw err;
            }
          }
        });
        imported += batch.length;
        break;
      } catch (err) {
        if (!failed) throw err;
        const { index, err: rowErr } = failed as { index: number; err: unknown };
        await fail(batch[index], rowErr);
        batch = batch.filter((_b, k) => k !== index);
        if (!batch.length) break;
      }
    }
    processed = Math.min(items.length, i + WRITE_BATCH);
    await progress.tick(processed);
  }
  return imported;
}

/** The error workbook: the original columns of every rejected row, then why. */
async function errorWorkbook(locale: Locale, headers: string[], rows: RowCheck<unknown>[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const reason = translate(locale, 'excel.errorColumn');
  const ws = addSheet(wb, translate(locale, 'excel.template.sheet.data'), [...headers, reason]);
  ws.getColumn(headers.length + 1).width = 60;
  for (const r of rows) {
    const cells = headers.map((_h, i) => {
      const c = r.cells[i] ?? null;
      return typeof c === 'boolean' ? translate(locale, c ? 'excel.yes' : 'excel.no') : c;
    });
    ws.addRow([...cells, r.errors.map((e) => e.message).join('；')]);
  }
  ws.getRow(1).getCell(headers.length + 1).font = { bold: true, color: { argb: 'FFC00000' } };
  return workbookBuffer(wb);
}

registerTransferStep(RUN_STEP, 'running', async (ctx, row, auth) => {
  const entity = row.entity as TransferEntity;
  allowStep(auth, TRANSFER_MODULES[entity], 'import');
  const params = transferParams(row) as ImportParams;
  const importer = IMPORTERS[entity] as Importer<unknown>;
  // the rows are checked again: the database may have changed since the preview
  const { rows, fields } = await checkAll(ctx, row, auth, null);
  const valid = rows.filter((r) => !r.errors.length && r.body !== undefined).map((r) => ({ row: r }));
  const progress = new TransferProgress(ctx, row, CHUNK);
  await progress.setTotal(valid.length);
  let failed = 0;
  const imported = await writeRows(
    ctx,
    importer,
    valid,
    auth,
    (item, err) => {
      failed += 1;
      item.row.errors.push(refusal(params.locale, err, fields, importer));
    },
    progress,
  );
  const rejected = rows.filter((r) => r.errors.length);
  let errorFileId: string | null = null;
  if (rejected.length) {
    const base = params.fileName.replace(/\.xlsx?$/i, '');
    const file = await saveFile(ctx.db, ctx.config.dataDir, {
      name: translate(params.locale, 'excel.file.errors', { name: base }),
      mime: XLSX_MIME,
      data: await errorWorkbook(params.locale, params.headers, rejected),
      ownerId: row.user_id,
    });
    errorFileId = file.id;
  }
  const preview = previewOf(rows);
  const result: ImportResult = { ...preview, valid: imported, invalid: rejected.length, imported, failed, errorFileId };
  await ctx.db.transaction().execute((tx) =>
    audit(tx, actorOfAuth(auth), {
      action: 'import',
      entity,
      entityId: row.id,
      after: { file: params.fileName, rows: rows.length, imported, rejected: rejected.length },
      detail: `${params.fileName}: ${imported}/${rows.length}`,
    }),
  );
  await finishTransfer(ctx, progress.current, { status: 'done', result, outputFileId: errorFileId, done: valid.length });
});
