import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { z } from 'zod';
import { translate, type Locale } from '@common/messages/index';
import { contactListQuery, type Contact } from '@common/schemas/contacts';
import type { CustomFieldDef } from '@common/schemas/custom-fields';
import type { CustomerSettings } from '@common/schemas/customer-settings';
import { customerListQuery, type Customer, type CustomerListQuery } from '@common/schemas/customers';
import {
  MAX_EXPORT_ROWS,
  TRANSFER_MODULES,
  type DataTransfer,
  type ExportQuery,
  type ExportResult,
  type TransferEntity,
} from '@common/schemas/excel';
import { leadListQuery, type Lead, type LeadListQuery } from '@common/schemas/leads';
import type { Db } from '@server/db/types';
import type { Auth } from '@server/platform/access/types';
import { audit } from '@server/platform/audit/audit.service';
import { customToCell } from '@server/platform/fields/field-cells';
import { listFieldDefs } from '@server/platform/fields/fields.service';
import { saveFile } from '@server/platform/files/files.service';
import type { AppContext } from '@server/platform/http/context';
import { fieldError } from '@server/platform/http/errors';
import { getCompany } from '@server/platform/settings/settings.service';
import { allowStep, registerTransferStep, startTransferStep } from '@server/platform/transfers/transfers.runner';
import {
  createTransfer,
  findTransfer,
  finishTransfer,
  presentTransfer,
  TransferProgress,
  transferParams,
  type TransferParams,
} from '@server/platform/transfers/transfers.service';
import { actorOfAuth, listContacts } from './contacts.service';
import { hiddenContactFields } from './contacts.presenter';
import { getCustomerSettings } from './customer-settings.service';
import { customerListConditions, listCustomers } from './customers.list';
import { hiddenCustomerFields } from './customers.presenter';
import { listLeads } from './leads.service';
import { fieldRule } from '@common/permissions';
import { XLSX_MIME, type OutCell } from './excel-workbook';

/**
 * Excel export (导出) of the current list view: the same scoped list query as the list page, page
 * by page (keyset), so the data scope, team grants and field rules hold; columns as the view shows
 * them (a field hidden from the caller is left out), list keys as their labels, custom fields too.
 */

const PAGE = 200;

type Ctx = { locale: Locale; settings: CustomerSettings; timeZone: string; userNames: Map<string, string> };
type Column<T> = { key: string; label: string; value: (item: T, ctx: Ctx) => OutCell; hiddenBy?: string };

const yes = (ctx: Ctx, v: boolean) => translate(ctx.locale, v ? 'excel.yes' : 'excel.no');
const listLabel = (ctx: Ctx, list: 'categories' | 'stages' | 'importances' | 'sources' | 'industries', key: string | null) =>
  key ? (ctx.settings[list].find((o) => o.key === key)?.label ?? key) : null;

/** A stored UTC time as the company's wall clock, 'YYYY-MM-DD HH:mm'. */
function localTime(ctx: Ctx, iso: string | null): string | null {
  if (!iso) return null;
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: ctx.timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
      .formatToParts(new Date(iso))
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

function col<T>(locale: Locale, key: string, labelKey: string, value: Column<T>['value'], hiddenBy?: string): Column<T> {
  return { key, label: translate(locale, labelKey), value, hiddenBy };
}

function customColumns<T extends { custom: Record<string, unknown> }>(defs: CustomFieldDef[]): Column<T>[] {
  return defs.map((d) => ({
    key: `custom.${d.key}`,
    label: d.label,
    value: (item, ctx) => {
      const v = item.custom[d.key];
      if ((d.type === 'number' || d.type === 'money') && typeof v === 'number') return d.type === 'money' ? v / 100 : v;
      return customToCell(d, v, ctx.userNames);
    },
  }));
}

function customerColumns(locale: Locale, defs: CustomFieldDef[]): Column<Customer>[] {
  const c = (key: string, value: Column<Customer>['value'], hiddenBy?: string) =>
    col<Customer>(locale, key, `customer.field.${key}`, value, hiddenBy);
  return [
    c('name', (x) => x.name),
    c('code', (x) => x.code),
    c('shortName', (x) => x.shortName),
    c('kind', (x, ctx) => translate(ctx.locale, `customer.kind.${x.kind}`)),
    c('category', (x, ctx) => listLabel(ctx, 'categories', x.category)),
    c('stage', (x, ctx) => listLabel(ctx, 'stages', x.stage)),
    c('importance', (x, ctx) => listLabel(ctx, 'importances', x.importance)),
    c('source', (x, ctx) => listLabel(ctx, 'sources', x.source)),
    c('industry', (x, ctx) => listLabel(ctx, 'industries', x.industry)),
    c('regionCode', (x) => x.regionName ?? x.regionCode),
    c('address', (x) => x.address, 'address'),
    c('phones', (x) => x.phones.join('、') || null, 'phones'),
    c('website', (x) => x.website, 'website'),
    c('tags', (x) => x.tags.join('、') || null),
    c('ownerName', (x, ctx) => (x.inPool ? translate(ctx.locale, 'customer.owner.pool') : x.ownerName)),
    c('ownerDepartmentName', (x) => x.ownerDepartmentName),
    c('inPool', (x, ctx) => yes(ctx, x.inPool)),
    c('locked', (x, ctx) => yes(ctx, x.locked)),
    c('lastContactAt', (x, ctx) => localTime(ctx, x.lastContactAt)),
    c('nextFollowUpAt', (x, ctx) => localTime(ctx, x.nextFollowUpAt)),
    c('lastDealAt', (x, ctx) => localTime(ctx, x.lastDealAt)),
    c('pooledAt', (x, ctx) => localTime(ctx, x.pooledAt)),
    c('notes', (x) => x.notes),
    c('createdByName', (x) => x.createdByName),
    c('createdAt', (x, ctx) => localTime(ctx, x.createdAt)),
    c('updatedAt', (x, ctx) => localTime(ctx, x.updatedAt)),
    ...customColumns<Customer>(defs),
  ];
}

function contactColumns(locale: Locale, defs: CustomFieldDef[]): Column<Contact>[] {
  const c = (key: string, value: Column<Contact>['value'], hiddenBy?: string) =>
    col<Contact>(locale, key, `contacts.field.${key}`, value, hiddenBy);
  return [
    col<Contact>(locale, 'customerName', 'contacts.field.customer', (x) => x.customerName),
    c('name', (x) => x.name),
    c('title', (x) => x.title),
    c('department', (x) => x.department),
    c('mobile', (x) => x.mobile, 'mobile'),
    c('phone', (x) => x.phone, 'phone'),
    c('email', (x) => x.email, 'email'),
    c('wechat', (x) => x.wechat, 'wechat'),
    c('birthday', (x) => x.birthday),
    c('hobbies', (x) => x.hobbies),
    c('idNumber', (x) => x.idNumber, 'idNumber'),
    c('notes', (x) => x.notes),
    c('isPrimary', (x, ctx) => yes(ctx, x.isPrimary)),
    c('decisionMaker', (x, ctx) => yes(ctx, x.decisionMaker)),
    col<Contact>(locale, 'reportsToName', 'contacts.field.reportsTo', (x) => x.reportsToName),
    col<Contact>(locale, 'createdAt', 'customer.field.createdAt', (x, ctx) => localTime(ctx, x.createdAt)),
    ...customColumns<Contact>(defs),
  ];
}

function leadColumns(locale: Locale, defs: CustomFieldDef[]): Column<Lead>[] {
  const c = (key: string, value: Column<Lead>['value'], hiddenBy?: string) => col<Lead>(locale, key, `leads.field.${key}`, value, hiddenBy);
  return [
    c('name', (x) => x.name),
    c('company', (x) => x.company),
    c('title', (x) => x.title),
    c('mobile', (x) => x.mobile, 'mobile'),
    c('phone', (x) => x.phone, 'phone'),
    c('email', (x) => x.email, 'email'),
    c('wechat', (x) => x.wechat),
    c('source', (x, ctx) => listLabel(ctx, 'sources', x.source)),
    c('industry', (x, ctx) => listLabel(ctx, 'industries', x.industry)),
    c('regionCode', (x) => x.regionName ?? x.regionCode),
    c('address', (x) => x.address),
    c('status', (x, ctx) => translate(ctx.locale, `leads.status.${x.status}`)),
    col<Lead>(locale, 'ownerName', 'leads.field.owner', (x) => x.ownerName),
    c('lastContactAt', (x, ctx) => localTime(ctx, x.lastContactAt)),
    c('nextFollowUpAt', (x, ctx) => localTime(ctx, x.nextFollowUpAt)),
    col<Lead>(locale, 'convertedCustomerName', 'leads.field.convertedCustomer', (x) => x.convertedCustomerName),
    c('convertedAt', (x, ctx) => localTime(ctx, x.convertedAt)),
    c('notes', (x) => x.notes),
    c('createdAt', (x, ctx) => localTime(ctx, x.createdAt)),
    ...customColumns<Lead>(defs),
  ];
}

/** Column keys the list pages use for the same columns. */
const ALIASES: Record<string, string> = {
  ownerId: 'ownerName',
  owner: 'ownerName',
  ownerDepartmentId: 'ownerDepartmentName',
  createdBy: 'createdByName',
  regionName: 'regionCode',
  customer: 'customerName',
  customerId: 'customerName',
  reportsTo: 'reportsToName',
  reportsToId: 'reportsToName',
  convertedCustomer: 'convertedCustomerName',
  convertedCustomerId: 'convertedCustomerName',
};

/** The columns to write: those asked for, in their order (all when none), minus fields hidden from the caller. */
function chooseColumns<T>(all: Column<T>[], asked: string[] | undefined, hidden: readonly string[]): Column<T>[] {
  const visible = all.filter((c) => !c.hiddenBy || !hidden.includes(c.hiddenBy));
  if (!asked?.length) return visible;
  const byKey = new Map(visible.map((c) => [c.key, c]));
  const out: Column<T>[] = [];
  for (const k of asked) {
    const c = byKey.get(ALIASES[k] ?? k);
    if (c && !out.includes(c)) out.push(c);
  }
  return out.length ? out : visible.filter((c) => c.key === 'name');
}

/** The entity's list query from the export body: the list's own schema (bad values → 400 naming query.<field>). */
function listQueryOf<S extends z.ZodType>(schema: S, query: ExportQuery, keys: string[]): z.infer<S> {
  const picked: Record<string, unknown> = { limit: PAGE };
  for (const k of keys) if (query[k as keyof ExportQuery] !== undefined) picked[k] = query[k as keyof ExportQuery];
  const r = schema.safeParse(picked);
  if (!r.success) throw fieldError(`query.${r.error.issues[0]?.path.join('.') ?? ''}`, 'invalid_value');
  return r.data;
}

const CUSTOMER_KEYS = [
  'q',
  'view',
  'kind',
  'ownerId',
  'departmentId',
  'category',
  'stage',
  'importance',
  'tag',
  'overdue',
  'filters',
  'sort',
  'order',
];

async function* pages<T>(fetch: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>) {
  let cursor: string | undefined;
  for (;;) {
    const page = await fetch(cursor);
    yield page.items;
    if (!page.nextCursor) return;
    cursor = page.nextCursor;
  }
}

type Plan = { columns: Column<never>[]; rows: AsyncGenerator<unknown[], void>; total: () => number };

/** The list pages of the entity under the caller's scope, and the columns. */
async function plan(db: Db, auth: Auth, entity: TransferEntity, query: ExportQuery, locale: Locale): Promise<Plan> {
  const defs = await listFieldDefs(db, entity);
  let total = 0;
  switch (entity) {
    case 'customer': {
      const q = listQueryOf(customerListQuery, query, CUSTOMER_KEYS) as CustomerListQuery;
      const columns = chooseColumns(customerColumns(locale, defs), query.columns, hiddenCustomerFields(auth));
      const rows = pages<Customer>(async (cursor) => {
        const page = await listCustomers(db, auth, { ...q, cursor });
        if (!cursor) total = page.total;
        return page;
      });
      return { columns: columns as Column<never>[], rows, total: () => total };
    }
    case 'contact': {
      const q = listQueryOf(contactListQuery, query, ['q', 'customerId']);
      const columns = chooseColumns(contactColumns(locale, defs), query.columns, hiddenContactFields(auth));
      const rows = pages<Contact>(async (cursor) => {
        const page = await listContacts(db, auth, { ...q, cursor });
        if (!cursor) total = page.total;
        return page;
      });
      return { columns: columns as Column<never>[], rows, total: () => total };
    }
    case 'lead': {
      const q = listQueryOf(leadListQuery, query, ['q', 'status', 'ownerId', 'source']) as LeadListQuery;
      const hidden = (['mobile', 'phone', 'email'] as const).filter((f) => fieldRule(auth.caps, 'leads', f) === 'hidden');
      const columns = chooseColumns(leadColumns(locale, defs), query.columns, hidden);
      const rows = pages<Lead>(async (cursor) => {
        const page = await listLeads(db, { ...q, cursor }, auth);
        if (!cursor) total = page.total;
        return page;
      });
      return { columns: columns as Column<never>[], rows, total: () => total };
    }
  }
}

type ExportParams = TransferParams & { query: ExportQuery };

const ENTITY_LABEL: Record<TransferEntity, string> = { customer: 'customer.entity', contact: 'contacts.entity', lead: 'leads.entity' };

/**
 * POST /exports: checks the view's query (400 before anything is written), then runs the export
 * (in a job, or now with `wait`). The output file belongs to the exporter.
 */
export async function createExport(
  ctx: AppContext,
  auth: Auth,
  locale: Locale,
  body: { entity: TransferEntity; query?: ExportQuery; wait?: boolean },
): Promise<DataTransfer> {
  const query = body.query ?? {};
  if (body.entity === 'customer') {
    // the filters JSON is checked now, so a bad view is a 400 rather than a failed run
    await customerListConditions(ctx.db, auth, listQueryOf(customerListQuery, query, CUSTOMER_KEYS) as CustomerListQuery);
  } else if (body.entity === 'contact') listQueryOf(contactListQuery, query, ['q', 'customerId']);
  else listQueryOf(leadListQuery, query, ['q', 'status', 'ownerId', 'source']);
  const params: ExportParams = { locale, query };
  const row = await createTransfer(ctx.db, { kind: 'export', entity: body.entity, userId: auth.user.id, status: 'running', params });
  await startTransferStep(ctx, row, EXPORT_STEP, { wait: body.wait, auth });
  return presentTransfer((await findTransfer(ctx.db, row.id))!);
}

const EXPORT_STEP = 'excel.export';

registerTransferStep(EXPORT_STEP, 'running', async (ctx, row, auth) => {
  const entity = row.entity as TransferEntity;
  allowStep(auth, TRANSFER_MODULES[entity], 'export');
  const params = transferParams(row) as ExportParams;
  const { locale } = params;
  const { db } = ctx;
  const [settings, company, users] = await Promise.all([
    getCustomerSettings(db),
    getCompany(db),
    db.selectFrom('users').select(['id', 'name']).execute(),
  ]);
  const cellCtx: Ctx = { locale, settings, timeZone: company.timezone, userNames: new Map(users.map((u) => [u.id, u.name])) };
  const p = await plan(db, auth, entity, params.query ?? {}, locale);

  const tmp = path.join(os.tmpdir(), `xt-export-${randomBytes(8).toString('hex')}.xlsx`);
  const progress = new TransferProgress(ctx, row, PAGE);
  let count = 0;
  let truncated = false;
  try {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: tmp, useStyles: true, useSharedStrings: false });
    const ws = wb.addWorksheet(translate(locale, ENTITY_LABEL[entity]), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = p.columns.map((c) => ({ header: c.label, width: Math.min(40, Math.max(12, c.label.length * 2 + 4)) }));
    ws.getRow(1).font = { bold: true };
    ws.getRow(1).commit();
    for await (const items of p.rows) {
      if (count === 0) await progress.setTotal(Math.min(p.total(), MAX_EXPORT_ROWS));
      for (const item of items) {
        if (count >= MAX_EXPORT_ROWS) {
          truncated = true;
          break;
        }
        ws.addRow(p.columns.map((c) => c.value(item as never, cellCtx))).commit();
        count += 1;
      }
      if (truncated) break;
      if (count > progress.current.total) await progress.setTotal(count);
      await progress.tick(count);
    }
    ws.commit();
    await wb.commit();
    const name = translate(locale, 'excel.file.export', {
      entity: translate(locale, ENTITY_LABEL[entity]),
      date: (localTime(cellCtx, new Date().toISOString()) ?? '').replace(/[-: ]/g, '').slice(0, 12),
    });
    const file = await saveFile(db, ctx.config.dataDir, { name, mime: XLSX_MIME, data: fs.createReadStream(tmp), ownerId: row.user_id });
    await db.transaction().execute((tx) =>
      audit(tx, actorOfAuth(auth), {
        action: 'export',
        entity,
        entityId: row.id,
        after: { rows: count, columns: p.columns.map((c) => c.key), query: params.query ?? {} },
        detail: String(count),
      }),
    );
    const result: ExportResult = {
      rows: count,
      fileId: file.id,
      fileName: name,
      ...(truncated ? { truncated } : {}),
    };
    await finishTransfer(ctx, progress.current, { status: 'done', result, outputFileId: file.id, done: count });
  } finally {
    await fs.promises.rm(tmp, { force: true });
  }
});
