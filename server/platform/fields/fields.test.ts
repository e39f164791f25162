import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomFieldDef } from '@common/schemas/custom-fields';
import type { ListFilter } from '@common/schemas/customers';
import { createTestApp, loginAs, setupAdmin, type Client, type TestApp } from '@server/test/app';
import { createUser } from '@server/test/factories';
import { seedCustomer } from '@server/modules/customers/testing';
import { AppError } from '../http/errors';
import { customFilterCondition, presentCustom, validateCustomValues } from './fields.service';
import { customFromCell, customToCell } from './field-cells';

/**
 * Custom fields: the definitions API (admin only), values validated by type, and list filters on
 * the JSON column run against the real database (SQLite, or Postgres with TEST_DATABASE_URL).
 */

let t: TestApp;
let admin: Client;
let sales: Client;
let salesId: string;
let leftId: string;
const defs: Record<string, CustomFieldDef> = {};
const db = () => t.database.db;

async function define(body: Record<string, unknown>): Promise<CustomFieldDef> {
  const res = await admin.post('/api/v1/custom-fields', { entity: 'customer', ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

/** the field errors of a refused call, as `field:code` */
async function refusal(p: Promise<unknown>): Promise<string[]> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return (err as AppError).fieldErrors.map((e) => `${e.field}:${e.code}`);
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await setupAdmin(t.app);
  const s = await createUser(db(), { username: 'zhang.san', name: '张三' });
  salesId = s.id;
  sales = await loginAs(t.app, s.username, s.password);
  leftId = (await createUser(db(), { username: 'li.si', name: '李四', status: 'left' })).id;

  defs.note = await define({ key: 'note', label: '备注说明', type: 'text', sortOrder: 5 });
  defs.staff = await define({ key: 'staff', label: '员工人数', type: 'number', sortOrder: 1 });
  defs.budget = await define({ key: 'budget', label: '预算', type: 'money', required: true, sortOrder: 2 });
  defs.founded = await define({ key: 'founded', label: '成立日期', type: 'date' });
  defs.level = await define({ key: 'level', label: '客户等级', type: 'select', options: ['A', 'B', 'C'] });
  defs.channels = await define({ key: 'channels', label: '渠道', type: 'multiselect', options: ['微信', '电话', '展会'] });
  defs.rep = await define({ key: 'rep', label: '技术对接人', type: 'user' });
  defs.listed = await define({ key: 'listed', label: '是否上市', type: 'boolean' });
});
afterAll(() => t.close());

describe('definitions', () => {
  it('lists an entity’s fields in display order to any signed-in user', async () => {
    const res = await sales.get('/api/v1/custom-fields?entity=customer');
    expect(res.statusCode).toBe(200);
    const keys = (res.json().items as CustomFieldDef[]).map((d) => d.key);
    // by sort order, then in the order they were defined
    expect(keys).toEqual(['founded', 'level', 'channels', 'rep', 'listed', 'staff', 'budget', 'note']);
    expect((res.json().items as CustomFieldDef[]).find((d) => d.key === 'level')?.options).toEqual(['A', 'B', 'C']);
    expect((await sales.get('/api/v1/custom-fields?entity=contact')).json().items).toEqual([]);
    expect((await sales.get('/api/v1/custom-fields?entity=spaceship')).statusCode).toBe(400);
  });

  it('lets only the admin define, change and delete fields', async () => {
    expect((await sales.post('/api/v1/custom-fields', { entity: 'customer', key: 'x', label: 'X', type: 'text' })).statusCode).toBe(403);
    expect((await sales.patch(`/api/v1/custom-fields/${defs.note.id}`, { version: 1, label: 'Y' })).statusCode).toBe(403);
    expect((await sales.delete(`/api/v1/custom-fields/${defs.note.id}`)).statusCode).toBe(403);
  });

  it('refuses a key already used by a live field of the same entity, not of another entity', async () => {
    const res = await admin.post('/api/v1/custom-fields', { entity: 'customer', key: 'level', label: '等级2', type: 'text' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ field: 'key', code: 'duplicate' });
    const other = await admin.post('/api/v1/custom-fields', { entity: 'contact', key: 'level', label: '级别', type: 'text' });
    expect(other.statusCode).toBe(201);
  });

  it('refuses bad keys, options on plain types, select without options, repeated options, unknown entities', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ key: 'Level', type: 'text' }, 'key'],
      [{ key: '1st', type: 'text' }, 'key'],
      [{ key: 'a'.repeat(31), type: 'text' }, 'key'],
      [{ key: 'plain', type: 'text', options: ['A'] }, 'options'],
      [{ key: 'pick', type: 'select' }, 'options'],
      [{ key: 'pick', type: 'select', options: [] }, 'options'],
      [{ key: 'pick', type: 'multiselect', options: ['A', 'B', 'A'] }, 'options.2'],
      [{ key: 'pick', type: 'select', options: Array.from({ length: 201 }, (_, i) => `o${i}`) }, 'options'],
      [{ key: 'pick', type: 'colour' }, 'type'],
      [{ key: 'pick', type: 'text', entity: 'spaceship' }, 'entity'],
    ];
    for (const [body, field] of cases) {
      const res = await admin.post('/api/v1/custom-fields', { entity: 'customer', label: '字段', ...body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(
        res.json().errors.map((e: { field: string }) => e.field),
        JSON.stringify(body),
      ).toContain(field);
    }
  });

  it('changes label, options and required with the version; the type cannot change; stale writes get 409', async () => {
    const f = await define({ key: 'tier', label: '层级', type: 'select', options: ['金', '银'] });
    const res = await admin.patch(`/api/v1/custom-fields/${f.id}`, {
      version: 1,
      label: '会员层级',
      options: ['金', '银', '铜'],
      required: false,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ label: '会员层级', options: ['金', '银', '铜'], version: 2, type: 'select' });
    expect((await admin.patch(`/api/v1/custom-fields/${f.id}`, { version: 1, label: '旧' })).statusCode).toBe(409);
    expect((await admin.patch(`/api/v1/custom-fields/${f.id}`, { version: 2, type: 'text' })).statusCode).toBe(400);
    expect((await admin.patch(`/api/v1/custom-fields/${f.id}`, { version: 2, options: [] })).statusCode).toBe(400);
    const audit = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('entity', '=', 'custom_field')
      .where('entity_id', '=', f.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['create', 'update']);
  });

  it('deletes a field into the recycle bin: values stay stored but are no longer presented; the key is free again', async () => {
    const f = await define({ key: 'legacy', label: '旧字段', type: 'text' });
    const id = await seedCustomer(db(), { name: '旧字段客户', custom: JSON.stringify({ legacy: '保留', budget: 100 }) });
    expect((await admin.delete(`/api/v1/custom-fields/${f.id}?version=1`)).statusCode).toBe(204);
    const keys = ((await sales.get('/api/v1/custom-fields?entity=customer')).json().items as CustomFieldDef[]).map((d) => d.key);
    expect(keys).not.toContain('legacy');
    const row = await db().selectFrom('customers').select('custom').where('id', '=', id).executeTakeFirstOrThrow();
    expect(JSON.parse(row.custom)).toMatchObject({ legacy: '保留' });
    const live = (await sales.get('/api/v1/custom-fields?entity=customer')).json().items as CustomFieldDef[];
    expect(presentCustom(live, row.custom)).toEqual({ budget: 100 });
    // the bin can restore it while no other live field took the key
    const bin = await db().selectFrom('recycle_bin').select('id').where('entity_id', '=', f.id).executeTakeFirstOrThrow();
    expect((await admin.post(`/api/v1/recycle-bin/${bin.id}/restore`)).statusCode).toBe(200);
    expect(((await sales.get('/api/v1/custom-fields?entity=customer')).json().items as CustomFieldDef[]).map((d) => d.key)).toContain(
      'legacy',
    );
  });
});

describe('validateCustomValues', () => {
  it('accepts a value of every type and returns the storage form', async () => {
    const stored = await validateCustomValues(db(), 'customer', {
      note: '  重点客户  ',
      staff: 120.5,
      budget: 1234567,
      founded: '2008-02-29',
      level: 'A',
      channels: ['展会', '微信'],
      rep: salesId,
      listed: false,
    });
    expect(stored).toEqual({
      note: '重点客户',
      staff: 120.5,
      budget: 1234567,
      founded: '2008-02-29',
      level: 'A',
      // in option order
      channels: ['微信', '展会'],
      rep: salesId,
      listed: false,
    });
  });

  it('names every bad value by its field', async () => {
    const errors = await refusal(
      validateCustomValues(db(), 'customer', {
        note: 'x'.repeat(501),
        staff: '12',
        budget: 12.5,
        founded: '2023-02-30',
        level: 'D',
        channels: '微信',
        rep: leftId,
        listed: 'yes',
        colour: 'red',
      }),
    );
    expect(errors.sort()).toEqual(
      [
        'custom.note:too_big',
        'custom.staff:invalid_type',
        'custom.budget:invalid_type',
        'custom.founded:invalid_format',
        'custom.level:invalid_value',
        'custom.channels:invalid_type',
        'custom.rep:inactive',
        'custom.listed:invalid_type',
        'custom.colour:unrecognized_keys',
      ].sort(),
    );
  });

  it('requires required fields on create, and refuses clearing them later; other keys merge over what is stored', async () => {
    expect(await refusal(validateCustomValues(db(), 'customer', { level: 'B' }))).toEqual(['custom.budget:required']);
    expect(await refusal(validateCustomValues(db(), 'customer', { budget: null }))).toEqual(['custom.budget:required']);
    const existing = { budget: 500, level: 'B', note: '旧' };
    expect(await validateCustomValues(db(), 'customer', { level: 'C', note: null }, { existing })).toEqual({ budget: 500, level: 'C' });
    expect(await validateCustomValues(db(), 'customer', { note: '' }, { existing })).toEqual({ budget: 500, level: 'B' });
    expect(await refusal(validateCustomValues(db(), 'customer', { budget: '' }, { existing }))).toEqual(['custom.budget:required']);
    // an update that leaves a required field alone is fine even when the record predates the rule
    expect(await validateCustomValues(db(), 'customer', { level: 'A' }, { existing: {} })).toEqual({ level: 'A' });
  });
});

describe('customFilterCondition', () => {
  const names: Record<string, string> = {};
  beforeAll(async () => {
    const rows: [string, Record<string, unknown>][] = [
      [
        '甲公司',
        {
          note: '华南重点 VIP',
          staff: 50,
          budget: 1000000,
          founded: '2010-05-01',
          level: 'A',
          channels: ['微信', '电话'],
          rep: 'REP',
          listed: true,
        },
      ],
      [
        '乙公司',
        { note: '华北 100%达成', staff: 500, budget: 250000, founded: '2018-01-15', level: 'B', channels: ['展会'], listed: false },
      ],
      ['丙公司', { staff: 5.5, budget: 0, level: 'C', channels: [] }],
      ['丁公司', {}],
    ];
    for (const [name, custom] of rows) {
      const c = custom.rep ? { ...custom, rep: salesId } : custom;
      names[await seedCustomer(db(), { name, custom: JSON.stringify(c) })] = name;
    }
  });

  async function match(filter: Omit<ListFilter, 'value'> & { value?: unknown }): Promise<string[]> {
    const cond = await customFilterCondition(db(), 'customer', 'c.custom', filter as ListFilter);
    const rows = await db()
      .selectFrom('customers as c')
      .select('c.id')
      .where('c.id', 'in', Object.keys(names))
      .where(cond)
      .orderBy('c.id')
      .execute();
    return rows.map((r) => names[r.id]);
  }

  it('filters text: equal, not equal (with the empty ones), substring with literal % and _, empty', async () => {
    expect(await match({ field: 'custom.note', op: 'eq', value: '华南重点 VIP' })).toEqual(['甲公司']);
    expect(await match({ field: 'custom.note', op: 'ne', value: '华南重点 VIP' })).toEqual(['乙公司', '丙公司', '丁公司']);
    expect(await match({ field: 'custom.note', op: 'contains', value: '重点' })).toEqual(['甲公司']);
    expect(await match({ field: 'custom.note', op: 'contains', value: 'vip' })).toEqual(['甲公司']);
    expect(await match({ field: 'custom.note', op: 'contains', value: '0%' })).toEqual(['乙公司']);
    expect(await match({ field: 'custom.note', op: 'contains', value: '_' })).toEqual([]);
    expect(await match({ field: 'custom.note', op: 'empty' })).toEqual(['丙公司', '丁公司']);
    expect(await match({ field: 'custom.note', op: 'notEmpty' })).toEqual(['甲公司', '乙公司']);
  });

  it('filters numbers and money numerically (not as text), in fen', async () => {
    expect(await match({ field: 'custom.staff', op: 'gt', value: 10 })).toEqual(['甲公司', '乙公司']);
    expect(await match({ field: 'custom.staff', op: 'lte', value: '50' })).toEqual(['甲公司', '丙公司']);
    expect(await match({ field: 'custom.staff', op: 'eq', value: 5.5 })).toEqual(['丙公司']);
    expect(await match({ field: 'custom.budget', op: 'gte', value: 250000 })).toEqual(['甲公司', '乙公司']);
    expect(await match({ field: 'custom.budget', op: 'lt', value: 250000 })).toEqual(['丙公司']);
    expect(await match({ field: 'custom.budget', op: 'in', value: [0, 1000000] })).toEqual(['甲公司', '丙公司']);
    expect(await match({ field: 'custom.budget', op: 'empty' })).toEqual(['丁公司']);
  });

  it('filters dates, selects, users and yes/no', async () => {
    expect(await match({ field: 'custom.founded', op: 'lt', value: '2015-01-01' })).toEqual(['甲公司']);
    expect(await match({ field: 'custom.founded', op: 'gte', value: '2010-05-01' })).toEqual(['甲公司', '乙公司']);
    expect(await match({ field: 'custom.level', op: 'in', value: ['A', 'C'] })).toEqual(['甲公司', '丙公司']);
    expect(await match({ field: 'custom.level', op: 'ne', value: 'A' })).toEqual(['乙公司', '丙公司', '丁公司']);
    expect(await match({ field: 'custom.rep', op: 'eq', value: salesId })).toEqual(['甲公司']);
    expect(await match({ field: 'custom.listed', op: 'eq', value: true })).toEqual(['甲公司']);
    expect(await match({ field: 'custom.listed', op: 'eq', value: 'false' })).toEqual(['乙公司']);
    expect(await match({ field: 'custom.listed', op: 'ne', value: true })).toEqual(['乙公司', '丙公司', '丁公司']);
    expect(await match({ field: 'custom.listed', op: 'empty' })).toEqual(['丙公司', '丁公司']);
  });

  it('filters multi selects: contains every given option, in any of them, empty', async () => {
    expect(await match({ field: 'custom.channels', op: 'contains', value: '微信' })).toEqual(['甲公司']);
    expect(await match({ field: 'custom.channels', op: 'contains', value: ['微信', '展会'] })).toEqual([]);
    expect(await match({ field: 'custom.channels', op: 'in', value: ['电话', '展会'] })).toEqual(['甲公司', '乙公司']);
    expect(await match({ field: 'custom.channels', op: 'empty' })).toEqual(['丙公司', '丁公司']);
  });

  it('refuses unknown fields, unsuitable operators and bad values naming the filters', async () => {
    const bad: ListFilter[] = [
      { field: 'custom.nothing', op: 'eq', value: 'x' },
      { field: 'custom.Note', op: 'eq', value: 'x' },
      { field: "custom.note') or 1=1 --", op: 'eq', value: 'x' },
      { field: 'custom.staff', op: 'gt', value: 'many' },
      { field: 'custom.staff', op: 'contains', value: '1' },
      { field: 'custom.level', op: 'gt', value: 'A' },
      { field: 'custom.founded', op: 'gt', value: '2020-13-01' },
      { field: 'custom.listed', op: 'eq', value: 'maybe' },
      { field: 'custom.listed', op: 'in', value: [true] },
      { field: 'custom.channels', op: 'eq', value: '微信' },
      { field: 'custom.level', op: 'in', value: [] },
    ];
    for (const f of bad)
      expect(await refusal(customFilterCondition(db(), 'customer', 'c.custom', f)), JSON.stringify(f)).toEqual(['filters:invalid_value']);
  });
});

describe('spreadsheet cells', () => {
  it('writes values as people read them and reads them back', () => {
    const users = new Map([['张三', salesId]]);
    expect(customToCell(defs.budget, 1234567)).toBe('12345.67');
    expect(customToCell(defs.budget, 5)).toBe('0.05');
    expect(customToCell(defs.listed, true)).toBe('是');
    expect(customToCell(defs.listed, false)).toBe('否');
    expect(customToCell(defs.channels, ['微信', '展会'])).toBe('微信、展会');
    expect(customToCell(defs.rep, 'U1', new Map([['U1', '张三']]))).toBe('张三');
    expect(customToCell(defs.note, undefined)).toBeNull();

    expect(customFromCell(defs.budget, '12,345.67')).toEqual({ ok: true, value: 1234567 });
    expect(customFromCell(defs.budget, '¥0.1')).toEqual({ ok: true, value: 10 });
    expect(customFromCell(defs.budget, 19.99)).toEqual({ ok: true, value: 1999 });
    expect(customFromCell(defs.budget, '1.005')).toMatchObject({ ok: false });
    expect(customFromCell(defs.listed, '是')).toEqual({ ok: true, value: true });
    expect(customFromCell(defs.listed, '否')).toEqual({ ok: true, value: false });
    expect(customFromCell(defs.listed, '也许')).toMatchObject({ ok: false });
    expect(customFromCell(defs.channels, '展会，微信')).toEqual({ ok: true, value: ['微信', '展会'] });
    expect(customFromCell(defs.channels, '微信、飞鸽')).toEqual({ ok: false, code: 'invalid_value' });
    expect(customFromCell(defs.founded, '2020/3/8')).toEqual({ ok: true, value: '2020-03-08' });
    expect(customFromCell(defs.founded, new Date(Date.UTC(2021, 11, 31)))).toEqual({ ok: true, value: '2021-12-31' });
    expect(customFromCell(defs.founded, '2020-02-30')).toMatchObject({ ok: false });
    expect(customFromCell(defs.rep, '张三', { userIds: users })).toEqual({ ok: true, value: salesId });
    expect(customFromCell(defs.rep, '王五', { userIds: users })).toEqual({ ok: false, code: 'not_found' });
    expect(customFromCell(defs.staff, '1,200')).toEqual({ ok: true, value: 1200 });
    expect(customFromCell(defs.level, 'Z')).toEqual({ ok: false, code: 'invalid_value' });
    expect(customFromCell(defs.note, '   ')).toEqual({ ok: true, value: null });
    expect(customFromCell(defs.note, { richText: [{ text: '富' }, { text: '文本' }] })).toEqual({ ok: true, value: '富文本' });
  });
});
