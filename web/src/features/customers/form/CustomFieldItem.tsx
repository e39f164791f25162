import { useT } from '@web/app/i18n';
import type { CustomField } from '../api';
import { CustomValueItem } from '../shared/CustomValueItem';

/** One custom field in a form (name `['custom', key]`), the input chosen by its type; money in yuan, stored in fen. */
export function CustomFieldItem({ field }: { field: CustomField }) {
  const t = useT();
  const rules = field.required ? [{ required: true, message: t('customersui.form.required') }] : [];
  return <CustomValueItem name={['custom', field.key]} label={field.label} type={field.type} rules={rules} options={field.options} />;
}
