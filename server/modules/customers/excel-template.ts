import ExcelJS from 'exceljs';
import { translate, type Locale } from '@common/messages/index';
import { CUSTOM_TEXT_MAX } from '@common/schemas/custom-fields';
import type { TransferEntity } from '@common/schemas/excel';
import type { Db } from '@server/db/types';
import type { Auth } from '@server/platform/access/types';
import { listFieldDefs } from '@server/platform/fields/fields.service';
import { getCustomerSettings } from './customer-settings.service';
import { headerOf, importFields, type Field } from './excel-columns';
import { addSheet, columnLetter, workbookBuffer } from './excel-workbook';

/**
 * GET /imports/template: the import workbook of an entity — a header row of every field the caller
 * may import (custom fields included, required ones marked *) with drop-down lists for definable
 * lists, options and yes/no; a sheet of instructions; a hidden sheet holding the lists.
 */

/** Rows of the data sheet that carry the drop-down lists. */
const VALIDATED_ROWS = 5000;

const ENTITY_LABEL: Record<TransferEntity, string> = { customer: 'customer.entity', contact: 'contacts.entity', lead: 'leads.entity' };

function formatOf(locale: Locale, f: Field): string {
  const t = (key: string, params?: Record<string, string | number>) => translate(locale, key, params);
  const options = (f.choices ?? []).map((c) => c.label).join('、');
  if (f.def) {
    switch (f.def.type) {
      case 'text':
        return t('excel.format.text', { max: CUSTOM_TEXT_MAX });
      case 'select':
        return t('excel.format.list', { options });
      case 'multiselect':
        return t('excel.format.multiselect', { options });
      case 'boolean':
        return t('excel.format.bool');
      case 'user':
        return t('excel.format.user');
      default:
        return t(`excel.format.${f.def.type}`);
    }
  }
  switch (f.type) {
    case 'list':
    case 'enum':
      return t('excel.format.list', { options });
    case 'text':
      return t('excel.format.text', { max: f.max ?? 200 });
    default:
      return t(`excel.format.${f.type}`);
  }
}

type Validations = { add(address: string, v: ExcelJS.DataValidation): void };

/** The template workbook and its file name, in the caller's language. */
export async function buildTemplate(db: Db, auth: Auth, locale: Locale, entity: TransferEntity): Promise<{ name: string; data: Buffer }> {
  const [settings, defs] = await Promise.all([getCustomerSettings(db), listFieldDefs(db, entity)]);
  const fields = importFields(entity, locale, { auth, settings, defs });
  const t = (key: string, params?: Record<string, string | number>) => translate(locale, key, params);
  const entityLabel = t(ENTITY_LABEL[entity]);

  const wb = new ExcelJS.Workbook();
  const data = addSheet(
    wb,
    t('excel.template.sheet.data'),
    fields.map(headerOf),
    [],
    fields.map((f) => (f.type === 'text' && (f.max ?? 0) > 300 ? 30 : 16)),
  );
  fields.forEach((f, i) => {
    if (f.required) data.getRow(1).getCell(i + 1).font = { bold: true, color: { argb: 'FFC00000' } };
    if (['date', 'datetime'].includes(f.type) || f.def?.type === 'date') data.getColumn(i + 1).numFmt = '@';
  });

  const help = wb.addWorksheet(t('excel.template.sheet.help'));
  help.columns = [{ width: 24 }, { width: 10 }, { width: 80 }];
  help.addRow([t('excel.template.help.title', { entity: entityLabel })]).font = { bold: true, size: 14 };
  const lines = ['header', 'required', 'formats', 'preview'].map((k) => t(`excel.template.help.${k}`));
  if (entity === 'customer') {
    lines.push(t('excel.template.help.customer'), t('excel.template.help.owner'));
    if (settings.categories[0]) lines.push(t('excel.template.help.category_default', { category: settings.categories[0].label }));
    for (const c of settings.categories) {
      if (!c.requiredFields.length) continue;
      const names = c.requiredFields.map((f) => t(`customer.field.${f}`)).join(locale === 'zh-CN' ? '、' : ', ');
      lines.push(t('excel.template.help.category', { category: c.label, fields: names }));
    }
  }
  if (entity === 'contact') lines.push(t('excel.template.help.contact'));
  if (entity === 'lead') lines.push(t('excel.template.help.lead'));
  for (const line of lines) help.addRow([line]);
  help.addRow([]);
  help.addRow([t('excel.template.help.column'), t('excel.template.help.isRequired'), t('excel.template.help.format')]).font = {
    bold: true,
  };
  for (const f of fields) help.addRow([f.label, f.required ? t('excel.yes') : '', formatOf(locale, f)]);

  // drop-down lists: from a hidden sheet (an inline list is limited to 255 characters)
  const listed = fields.map((f, i) => ({ f, i })).filter(({ f }) => f.choices?.length && f.def?.type !== 'multiselect');
  const lists = wb.addWorksheet(t('excel.template.sheet.lists'), { state: 'hidden' });
  const validations = (data as unknown as { dataValidations: Validations }).dataValidations;
  const sheetRef = `'${lists.name.replace(/'/g, "''")}'`;
  listed.forEach(({ f, i }, n) => {
    const col = columnLetter(n);
    const labels = f.choices!.map((c) => c.label);
    lists.getCell(`${col}1`).value = f.label;
    labels.forEach((l, k) => (lists.getCell(`${col}${k + 2}`).value = l));
    validations.add(`${columnLetter(i)}2:${columnLetter(i)}${VALIDATED_ROWS + 1}`, {
      type: 'list',
      allowBlank: true,
      // typed values outside the list are allowed (a label or a key): the preview checks them
      showErrorMessage: false,
      formulae: [`${sheetRef}!$${col}$2:$${col}$${labels.length + 1}`],
    });
  });
  const yesNo = `"${t('excel.yes')},${t('excel.no')}"`;
  fields.forEach((f, i) => {
    if (f.type !== 'bool' && f.def?.type !== 'boolean') return;
    validations.add(`${columnLetter(i)}2:${columnLetter(i)}${VALIDATED_ROWS + 1}`, {
      type: 'list',
      allowBlank: true,
      showErrorMessage: false,
      formulae: [yesNo],
    });
  });

  return { name: t('excel.file.template', { entity: entityLabel }), data: await workbookBuffer(wb) };
}
