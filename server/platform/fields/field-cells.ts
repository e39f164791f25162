import type { CustomFieldDef } from '@common/schemas/custom-fields';
import { checkCustomValue, isIsoDate } from './fields.service';

/**
 * Custom field values in spreadsheet cells (Excel import and export): options as stored, money in
 * yuan with 2 decimals, dates YYYY-MM-DD, yes/no as 是/否, users by name.
 */

const MULTI_SEPARATOR = '、';
const SPLIT = /[,，、;；\n]/;

/** The text of a cell for a stored value; null for no value. `userNames`: user id → name. */
export function customToCell(def: CustomFieldDef, value: unknown, userNames: Map<string, string> = new Map()): string | null {
  if (value === null || value === undefined || value === '') return null;
  switch (def.type) {
    case 'money':
      return typeof value === 'number' ? (value / 100).toFixed(2) : String(value);
    case 'boolean':
      return value === true ? '是' : value === false ? '否' : String(value);
    case 'multiselect':
      return Array.isArray(value) ? value.map(String).join(MULTI_SEPARATOR) || null : String(value);
    case 'user':
      return typeof value === 'string' ? (userNames.get(value) ?? value) : String(value);
    case 'number':
    case 'text':
    case 'date':
    case 'select':
      return String(value);
  }
}

export type CellResult = { ok: true; value: unknown } | { ok: false; code: string };

/** Yuan text ("1,234.5", "¥12", "-3.456" refused: more than 2 decimals) → integer 分, exactly (no float rounding). */
export function yuanToFen(text: string): number | null {
  const m = /^([+-]?)(\d+)(?:\.(\d{0,2}))?$/.exec(text.replace(/[,，\s¥￥元]/g, ''));
  if (!m) return null;
  const fen = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  if (!Number.isSafeInteger(fen)) return null;
  return m[1] === '-' ? -fen : fen;
}

const pad = (n: number) => String(n).padStart(2, '0');

function cellDate(cell: unknown): string | null {
  // exceljs reads date cells as Date at UTC midnight of the shown day
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? null : cell.toISOString().slice(0, 10);
  if (typeof cell !== 'string') return null;
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(cell.trim());
  if (!m) return null;
  const iso = `${m[1]}-${pad(+m[2])}-${pad(+m[3])}`;
  return isIsoDate(iso) ? iso : null;
}

/** exceljs cell objects (rich text, formula results, hyperlinks) reduced to their plain value */
function plainCell(cell: unknown): unknown {
  if (!cell || typeof cell !== 'object' || cell instanceof Date) return cell;
  const c = cell as { richText?: { text: string }[]; result?: unknown; text?: unknown };
  if (Array.isArray(c.richText)) return c.richText.map((r) => r.text).join('');
  if ('result' in c) return plainCell(c.result);
  if (typeof c.text === 'string') return c.text;
  return String(cell);
}

const YES = new Set(['是', 'y', 'yes', 'true', '1', '√', '✓', '有']);
const NO = new Set(['否', 'n', 'no', 'false', '0', '×', '✗', '无']);

/**
 * The stored value for a cell (string, number, boolean or Date as exceljs reads it); an empty cell
 * is `{ ok: true, value: null }`. Bad input gives a `validation.*` code. `userIds`: user name (or
 * username) → id, of active users. Required fields are checked afterwards by validateCustomValues.
 */
export function customFromCell(def: CustomFieldDef, input: unknown, ctx: { userIds?: Map<string, string> } = {}): CellResult {
  const cell = plainCell(input);
  if (cell === null || cell === undefined) return { ok: true, value: null };
  const text = cell instanceof Date ? '' : String(cell).trim();
  if (!(cell instanceof Date) && text === '') return { ok: true, value: null };
  const invalid: CellResult = { ok: false, code: 'invalid_format' };
  let value: unknown;
  switch (def.type) {
    case 'text':
    case 'select':
      value = text;
      break;
    case 'number': {
      const n = typeof cell === 'number' ? cell : Number(text.replace(/[,，\s]/g, ''));
      if (!Number.isFinite(n)) return invalid;
      value = n;
      break;
    }
    case 'money': {
      const fen = typeof cell === 'number' ? Math.round(cell * 100) : yuanToFen(text);
      // a number cell with more than 2 decimals is not an amount of money
      if (fen === null || !Number.isSafeInteger(fen) || (typeof cell === 'number' && Math.abs(cell * 100 - fen) > 1e-6)) return invalid;
      value = fen;
      break;
    }
    case 'date':
      value = cellDate(cell);
      if (value === null) return invalid;
      break;
    case 'multiselect':
      // a whole cell that is one option (which may itself hold a separator) wins over splitting
      value = def.options.includes(text)
        ? [text]
        : text
            .split(SPLIT)
            .map((s) => s.trim())
            .filter(Boolean);
      break;
    case 'user': {
      const id = ctx.userIds?.get(text);
      if (!id) return { ok: false, code: 'not_found' };
      value = id;
      break;
    }
    case 'boolean': {
      const t = text.toLowerCase();
      if (typeof cell === 'boolean') value = cell;
      else if (YES.has(t)) value = true;
      else if (NO.has(t)) value = false;
      else return invalid;
      break;
    }
  }
  const r = checkCustomValue(def, value);
  return r.ok ? { ok: true, value: r.value } : { ok: false, code: r.code };
}
