import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type { ImportPreview, ImportResult } from '@common/schemas/excel';
import { createTestApp, loginAs, setupAdmin, type Client, type TestApp } from '@server/test/app';
import { createDepartment, createPosition, createUser, permissions } from '@server/test/factories';
import { download, importAll, readBack, startImport, workbook } from './excel.testing';

/**
 * The import template (header row of every importable field, custom fields included, instructions,
 * drop-down lists; in the caller's language, without fields a rule forbids), contact and lead
 * imports, and the owner column (assigning to someone else needs the transfer right).
 */

let t: TestApp;
let admin: Client;
const people: Record<string, { id: string; client: Client }> = {};

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  admin = await setupAdmin(t.app);
  const dept = await createDepartment(db, { name: '深圳销售部' });
  const position = (name: string, extra: string[], fields: Record<string, 'hidden' | 'readonly'> = {}) =>
    createPosition(db, {
      name,
      permissions: permissions(
        {
          customers: { actions: ['view', 'create', 'edit', 'import', ...extra] as never, scope: 'self' },
          contacts: { actions: ['view', 'create', 'edit', 'import'], scope: 'self' },
          leads: { actions: ['view', 'create', 'edit', 'import', ...extra] as never, scope: 'self' },
        },
        fields,
      ),
    });
  const sales = await position('销售', []);
  const chief = await position('主管', ['transfer']);
  const intern = await position('实习', [], { 'customers.phones': 'hidden' });
  const person = async (key: string, name: string, positionId: string) => {
    const u = await createUser(db, { username: key, name, departmentId: dept, positionId });
    people[key] = { id: u.id, client: await loginAs(t.app, u.username, u.password) };
  };
  await person('alice', '王小丽', sales);
  await person('bob', '李大宝', sales);
  await person('chief', '冯主管', chief);
  await person('intern', '郑实习', intern);
  expect(
    (
      await admin.post('/api/v1/custom-fields', {
        entity: 'customer',
        key: 'level',
        label: '客户等级',
        type: 'select',
        options: ['A', 'B'],
      })
    ).statusCode,
  ).toBe(201);
  expect(
    (await admin.post('/api/v1/custom-fields', { entity: 'contact', key: 'vip', label: '重要联系人', type: 'boolean' })).statusCode,
  ).toBe(201);
}, 60_000);
afterAll(() => t?.close());

/** Columns that meet the required fields of the first category (直销), which rows without a category take. */
const COMPLETE = ['重要程度', '电话', '联系人姓名', '联系人手机', '联系人邮箱'];
let serial = 0;
/** Values for COMPLETE: a unique phone, mobile and email each time. */
function complete(): (string | null)[] {
  serial += 1;
  return ['重要', `0755-${String(86000000 + serial)}`, `联系人${serial}`, `136${String(serial).padStart(8, '0')}`, `k${serial}@example.cn`];
}

async function template(client: Client, entity: string, headers: Record<string, string> = {}) {
  const res = await client.get(`/api/v1/imports/template?entity=${entity}`, headers);
  expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
  expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  return { res, data: res.rawPayload };
}

describe('the template', () => {
  it('has every importable customer field, the custom field, instructions and drop-down lists', async () => {
    const { res, data } = await template(people.alice.client, 'customer');
    expect(decodeURIComponent(String(res.headers['content-disposition']))).toContain('客户导入模板.xlsx');
    const sheets = await readBack(data);
    expect(sheets.map((s) => [s.name, s.state])).toEqual([
      ['导入数据', 'visible'],
      ['填写说明', 'visible'],
      ['选项', 'hidden'],
    ]);
    const header = sheets[0].rows[0];
    expect(header).toEqual(
      expect.arrayContaining(['客户名称*', '客户类别', '重要程度', '电话', '归属人', '联系人手机', '联系人邮箱', '客户等级']),
    );
    expect(header.indexOf('客户等级')).toBe(header.length - 1);
    const help = sheets[1].rows.map((r) => r.join(' ')).join('\n');
    expect(help).toContain('客户类别“直销”还必须填写：电话、重要程度、联系人手机、联系人邮箱');
    expect(help).toContain('客户类别留空时按“直销”处理。');
    expect(help).toMatch(/客户等级 +从下拉列表选择：A、B/);

    // the importance column offers the labels of the customer settings
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(data as unknown as ArrayBuffer);
    const col = String.fromCharCode(65 + header.indexOf('重要程度'));
    const model = (wb.worksheets[0] as unknown as { dataValidations: { model: Record<string, ExcelJS.DataValidation> } }).dataValidations
      .model;
    const rule = model[`${col}2`] ?? Object.entries(model).find(([addr]) => addr.startsWith(`${col}2`))?.[1];
    expect(rule).toMatchObject({ type: 'list' });
    const range = /!\$([A-Z]+)\$2:\$[A-Z]+\$(\d+)/.exec(rule!.formulae[0])!;
    const lists = wb.getWorksheet('选项')!;
    const values = Array.from({ length: Number(range[2]) - 1 }, (_v, i) => lists.getCell(`${range[1]}${i + 2}`).value);
    expect(values).toEqual(['重要', '一般', '次要']);
  });

  it('speaks the caller’s language and leaves out fields a rule forbids them', async () => {
    const en = await readBack((await template(people.alice.client, 'customer', { 'accept-language': 'en-US' })).data);
    expect(en[0].rows[0]).toEqual(expect.arrayContaining(['Customer name*', 'Importance', '客户等级']));
    const intern = await readBack((await template(people.intern.client, 'customer')).data);
    expect(intern[0].rows[0]).not.toContain('电话');
    expect(intern[0].rows[0]).toContain('客户名称*');
    const contacts = await readBack((await template(people.alice.client, 'contact')).data);
    expect(contacts[0].rows[0].slice(0, 2)).toEqual(['所属客户*', '姓名*']);
    expect(contacts[0].rows[0]).toContain('重要联系人');
    const leads = await readBack((await template(people.alice.client, 'lead')).data);
    expect(leads[0].rows[0]).toEqual(expect.arrayContaining(['姓名*', '公司名称', '状态', '归属人']));
  });
});

describe('contacts', () => {
  it('imports contacts under customers named by name or code, refusing others’ customers and repeats', async () => {
    const create = async (who: string, name: string, code: string) => {
      const [, phone, contact, mobile, email] = complete();
      const res = await people[who].client.post('/api/v1/customers', {
        name,
        code,
        importance: 'high',
        phone,
        contacts: [{ name: contact, mobile, email }],
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    const star = await create('alice', '深圳市星河贸易有限公司', 'XH-001');
    const blue = await create('alice', '蓝海科技', 'LH-002');
    await create('bob', '李家商行', 'LJ-003');
    expect(
      (await people.alice.client.post('/api/v1/contacts', { customerId: blue, name: '老朋友', mobile: '13700000000' })).statusCode,
    ).toBe(201);

    const headers = ['所属客户', '姓名', '手机', '邮箱', '生日', '决策人', '重要联系人'];
    const rows = [
      ['星河贸易', '张三', '13800000001', 'zhang@example.cn', '1990-05-06', '是', '是'],
      ['LH-002', '李四', '138 0000 0002', null, new Date(Date.UTC(1985, 0, 2)), '否', null],
      ['李家商行', '王五', '13800000003', null, null, null, null],
      ['不存在公司', '赵六', '13800000004', null, null, null, null],
      ['星河贸易', '张三', '13800000001', null, null, null, null],
      ['蓝海科技', '老朋友', '137-0000-0000', null, null, null, null],
      ['蓝海科技', '钱七', null, 'not-an-email', '1990-02-30', '也许', null],
    ];
    const start = await startImport(people.alice.client, 'contact', await workbook(headers, rows));
    expect(start.suggestedMapping).toEqual({
      0: 'customer',
      1: 'name',
      2: 'mobile',
      3: 'email',
      4: 'birthday',
      5: 'decisionMaker',
      6: 'custom.vip',
    });
    const { preview, done } = await importAll(people.alice.client, start);
    const p = preview.result as ImportPreview;
    expect(p).toMatchObject({ total: 7, valid: 2, invalid: 5 });
    const byRow = (n: number) => p.errors.filter((e) => e.row === n).map((e) => e.message);
    expect(byRow(4)).toEqual(['所属客户：找不到客户“李家商行”，或你无权查看该客户的联系人']);
    expect(byRow(5)).toEqual(['所属客户：找不到客户“不存在公司”，或你无权查看该客户的联系人']);
    expect(byRow(6)).toEqual(['与第 2 行是同一位联系人（所属客户、姓名和手机相同）']);
    expect(byRow(7)).toEqual(['客户“蓝海科技”已有这位联系人（姓名和手机相同）']);
    expect(byRow(8)).toEqual([
      '邮箱：“not-an-email”不是有效的邮箱地址',
      '生日：“1990-02-30”不是日期（如：2024-03-01）',
      '决策人：“也许”无法识别，请填写“是”或“否”',
    ]);
    expect(done.result as ImportResult).toMatchObject({ imported: 2, failed: 0, invalid: 5 });

    const stored = await t.database.db
      .selectFrom('contacts')
      .select(['customer_id', 'name', 'mobile', 'email', 'birthday', 'decision_maker', 'custom'])
      .where('name', 'in', ['张三', '李四'])
      .orderBy('name')
      .execute();
    expect(stored).toEqual([
      {
        customer_id: star,
        name: '张三',
        mobile: '13800000001',
        email: 'zhang@example.cn',
        birthday: '1990-05-06',
        decision_maker: 1,
        custom: '{"vip":true}',
      },
      { customer_id: blue, name: '李四', mobile: '138 0000 0002', email: null, birthday: '1985-01-02', decision_maker: 0, custom: '{}' },
    ]);
    const back = await readBack(await download(people.alice.client, (done.result as ImportResult).errorFileId!));
    expect(back[0].rows.slice(1).map((r) => r[1])).toEqual(['王五', '赵六', '张三', '老朋友', '钱七']);
  });
});

describe('leads and the owner column', () => {
  it('imports leads, refusing a repeated mobile and an owner the importer may not assign', async () => {
    expect((await people.bob.client.post('/api/v1/leads', { name: '已有', mobile: '13900000009' })).statusCode).toBe(201);
    const rows = [
      ['张三', '甲公司', '13900000001', '展会', '跟进中', null],
      ['李四', '乙公司', '+86 139 0000 0001', null, null, null],
      ['王五', '丙公司', '139-0000-0009', null, null, null],
      ['赵六', '丁公司', '13900000006', null, null, '李大宝'],
      ['钱七', '戊公司', '13900000007', '地推', null, null],
    ];
    const start = await startImport(
      people.alice.client,
      'lead',
      await workbook(['姓名', '公司名称', '手机', '来源', '状态', '归属人'], rows),
    );
    const { preview, done } = await importAll(people.alice.client, start);
    const p = preview.result as ImportPreview;
    expect(p.errors.map((e) => [e.row, e.message])).toEqual([
      [3, '与第 2 行重复（手机相同）'],
      [4, '已有手机相同的潜在客户，归属人：李大宝'],
      [5, '归属人：你无权把记录分配给其他人（需要移交权限）'],
      [6, '来源：“地推”不是可选项（可选：网络推广、客户介绍、展会、电话营销、其他）'],
    ]);
    expect(done.result).toMatchObject({ imported: 1 });
    const lead = await t.database.db.selectFrom('leads').selectAll().where('name', '=', '张三').executeTakeFirstOrThrow();
    expect(lead).toMatchObject({ company: '甲公司', source: 'exhibition', status: 'following', owner_id: people.alice.id });
  });

  it('lets a user with the transfer right import customers and leads for others', async () => {
    const customers = await startImport(
      people.chief.client,
      'customer',
      await workbook(['客户名称', '归属人', ...COMPLETE], [['主管代录公司', 'bob', ...complete()]]),
    );
    const c = await importAll(people.chief.client, customers);
    expect(c.done.result).toMatchObject({ imported: 1 });
    const row = await t.database.db.selectFrom('customers').selectAll().where('name', '=', '主管代录公司').executeTakeFirstOrThrow();
    expect(row.owner_id).toBe(people.bob.id);
    expect(row.created_by).toBe(people.chief.id);

    const mine = await startImport(
      people.alice.client,
      'customer',
      await workbook(['客户名称', '归属人', ...COMPLETE], [['越权公司', '李大宝', ...complete()]]),
    );
    const m = await importAll(people.alice.client, mine);
    expect((m.preview.result as ImportPreview).errors.map((e) => e.message)).toEqual(['归属人：你无权把记录分配给其他人（需要移交权限）']);

    const leads = await startImport(people.chief.client, 'lead', await workbook(['姓名', '归属人'], [['代录线索', '李大宝']]));
    expect((await importAll(people.chief.client, leads)).done.result).toMatchObject({ imported: 1 });
    const lead = await t.database.db.selectFrom('leads').selectAll().where('name', '=', '代录线索').executeTakeFirstOrThrow();
    expect(lead.owner_id).toBe(people.bob.id);
  });
});

describe('rows the create service refuses while writing', () => {
  it('sends them to the error workbook and writes the rest of their batch', async () => {
    // a cap the preview cannot foresee: the fourth and fifth customer of the importer are refused
    const settings = (await admin.get('/api/v1/customer-settings')).json();
    const owned = await t.database.db.selectFrom('customers').select('id').where('owner_id', '=', people.chief.id).execute();
    const put = await admin.put('/api/v1/customer-settings', { ...settings, caps: { ...settings.caps, perUser: owned.length + 3 } });
    expect(put.statusCode, put.body).toBe(200);
    try {
      const names = ['上限一', '上限二', '上限三', '上限四', '上限五'].map((n) => [`${n}公司`, ...complete()]);
      const start = await startImport(people.chief.client, 'customer', await workbook(['客户名称', ...COMPLETE], names));
      const { preview, done } = await importAll(people.chief.client, start);
      expect(preview.result).toMatchObject({ valid: 5, invalid: 0 });
      const r = done.result as ImportResult;
      expect(r).toMatchObject({ imported: 3, failed: 2, invalid: 2 });
      const back = await readBack(await download(people.chief.client, r.errorFileId!));
      expect(back[0].rows.slice(1).map((row) => row[0])).toEqual(['上限四公司', '上限五公司']);
      expect(String(back[0].rows[1][1 + COMPLETE.length])).toMatch(/^导入失败：超出客户数量上限/);
      const stored = await t.database.db.selectFrom('customers').select('name').where('owner_id', '=', people.chief.id).execute();
      expect(stored.map((c) => c.name)).toEqual(expect.arrayContaining(['上限一公司', '上限二公司', '上限三公司']));
      expect(stored.map((c) => c.name)).not.toContain('上限四公司');
    } finally {
      expect((await admin.put('/api/v1/customer-settings', settings)).statusCode).toBe(200);
    }
  });
});
