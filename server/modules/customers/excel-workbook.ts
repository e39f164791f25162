import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { MAX_IMPORT_ROWS, type CellValue } from '@common/schemas/excel';
import { AppError, messageParam } from '@server/platform/http/errors';

/**
 * Reading and writing .xlsx with exceljs: the first worksheet of an uploaded workbook as plain cell
 * values (header row 1, data from row 2), and workbooks written back (error rows, template).
 */

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A cell as read: text, number, yes/no, a date (exceljs gives date cells as Date at UTC wall clock), or empty. */
export type Cell = string | number | boolean | Date | null;

export type SheetRow = { number: number; cells: Cell[] };
export type Sheet = { headers: string[]; rows: SheetRow[] };

/** The refusal of an unreadable upload: 400 with the reason in the caller's language. */
export function fileProblem(reason: 'not_xlsx' | 'corrupt' | 'no_sheet' | 'empty' | 'no_rows' | 'too_many_rows' | 'missing'): AppError {
  return new AppError('import_file_invalid', { reason: messageParam(`excel.file.${reason}`) });
}

/** exceljs cell objects (rich text, formula results, hyperlinks, errors) reduced to their plain value. */
export function plainCell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; result?: unknown; text?: unknown; error?: unknown; formula?: unknown };
    if (Array.isArray(o.richText)) return o.richText.map((r) => r.text).join('');
    if ('result' in o || 'formula' in o || 'sharedFormula' in o) return plainCell(o.result);
    if ('text' in o) return plainCell(o.text);
    if ('error' in o) return String(o.error);
  }
  return null;
}

const isBlank = (c: Cell) => c === null || (typeof c === 'string' && c.trim() === '');

const pad = (n: number) => String(n).padStart(2, '0');

/** How a cell reads to a person: dates as YYYY-MM-DD (HH:mm when it has a time). */
export function cellText(c: Cell): string {
  if (c === null) return '';
  if (c instanceof Date) {
    const day = c.toISOString().slice(0, 10);
    const h = c.getUTCHours();
    const m = c.getUTCMinutes();
    return h || m ? `${day} ${pad(h)}:${pad(m)}` : day;
  }
  return String(c);
}

/** A cell for the API (sample rows): JSON-safe, dates as text. */
export function cellJson(c: Cell): CellValue {
  return c instanceof Date ? cellText(c) : c;
}

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/**
 * The first worksheet: headers from row 1, then every non-empty row with its row number. Refuses
 * (400 import_file_invalid) what is not an .xlsx (a renamed text file, an old .xls), a damaged file,
 * a zip without worksheets, an empty sheet, headers without data, or more than MAX_IMPORT_ROWS rows.
 */
export async function readFirstSheet(data: Buffer): Promise<Sheet> {
  if (data.length < 4 || !data.subarray(0, 4).equals(ZIP)) throw fileProblem('not_xlsx');
  let sheet: { headers: string[] | null; rows: SheetRow[]; sheets: number };
  try {
    sheet = await streamFirstSheet(data);
  } catch (err) {
    if (err instanceof AppError) throw err;
    // exceljs' streaming reader now and then loses the zip's end under load; the whole-file reader
    // tells a damaged file from that (files are at most 20 MB)
    try {
      sheet = await loadFirstSheet(data);
    } catch (again) {
      if (again instanceof AppError) throw again;
      throw fileProblem('corrupt');
    }
  }
  const { headers, rows, sheets } = sheet;
  if (sheets === 0) throw fileProblem('no_sheet');
  if (!headers || headers.length === 0) throw fileProblem('empty');
  if (rows.length === 0) throw fileProblem('no_rows');
  return { headers, rows };
}

/** Collects the first sheet's rows: headers from row 1, then every non-empty row with its number. */
class SheetCollector {
  headers: string[] | null = null;
  rows: SheetRow[] = [];
  /** false once a row comes before any header (the rest of the sheet is ignored) */
  add(row: ExcelJS.Row): boolean {
    const values = (row.values as unknown[]).slice(1).map(plainCell);
    if (row.number === 1) {
      const headers = values.map((v) => cellText(v).trim());
      while (headers.length && headers[headers.length - 1] === '') headers.pop();
      this.headers = headers;
      return true;
    }
    if (!this.headers) return false;
    if (values.every(isBlank)) return true;
    if (this.rows.length >= MAX_IMPORT_ROWS) throw fileProblem('too_many_rows');
    this.rows.push({ number: row.number, cells: this.headers.map((_h, i) => values[i] ?? null) });
    return true;
  }
}

async function streamFirstSheet(data: Buffer) {
  const out = new SheetCollector();
  let sheets = 0;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([data]), {
    sharedStrings: 'cache',
    hyperlinks: 'cache',
    styles: 'cache',
    worksheets: 'emit',
    entries: 'emit',
  });
  for await (const sheet of reader) {
    sheets += 1;
    if (sheets > 1) continue; // the rest of the zip must still be consumed
    for await (const row of sheet as AsyncIterable<ExcelJS.Row>) if (!out.add(row)) break;
  }
  return { headers: out.headers, rows: out.rows, sheets };
}

async function loadFirstSheet(data: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(data as unknown as ArrayBuffer);
  const first = workbook.worksheets[0];
  const out = new SheetCollector();
  if (first) {
    for (let n = 1; n <= first.rowCount; n++) {
      const row = first.getRow(n);
      if (n > 1 && !row.hasValues) continue;
      if (!out.add(row)) break;
    }
  }
  return { headers: out.headers, rows: out.rows, sheets: workbook.worksheets.length };
}

/** A cell value as written to a sheet (exceljs keeps Date, numbers, text; booleans as 是/否 by the caller). */
export type OutCell = string | number | Date | null;

/** One sheet of a workbook being written: header row (bold, frozen), rows, column widths. */
export function addSheet(
  wb: ExcelJS.Workbook,
  name: string,
  headers: string[],
  rows: OutCell[][] = [],
  widths?: number[],
): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = headers.map((h, i) => ({ header: h, width: widths?.[i] ?? Math.min(40, Math.max(12, h.length * 2 + 4)) }));
  ws.getRow(1).font = { bold: true };
  for (const r of rows) ws.addRow(r);
  return ws;
}

export async function workbookBuffer(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Excel column letters of a 0-based index (0 → A, 26 → AA). */
export function columnLetter(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}
