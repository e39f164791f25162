import { DatePicker, Form, Input, InputNumber, Select, Switch } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useT } from '@web/app/i18n';
import { UserPicker } from '@web/features/org/shared/UserPicker';
import type { CustomField } from '../api';

/** One custom field in a form (name `['custom', key]`), the input chosen by its type; money in yuan, stored in fen. */
export function CustomFieldItem({ field }: { field: CustomField }) {
  const t = useT();
  const name = ['custom', field.key];
  const rules = field.required ? [{ required: true, message: t('customersui.form.required') }] : [];
  const common = { name, label: field.label, rules };
  switch (field.type) {
    case 'text':
      return (
        <Form.Item {...common}>
          <Input maxLength={500} />
        </Form.Item>
      );
    case 'number':
      return (
        <Form.Item {...common}>
          <InputNumber style={{ width: '100%' }} />
        </Form.Item>
      );
    case 'money':
      return (
        <Form.Item
          {...common}
          getValueProps={(v: unknown) => ({ value: typeof v === 'number' ? v / 100 : v })}
          normalize={(v: number | null) => (typeof v === 'number' ? Math.round(v * 100) : v)}
        >
          <InputNumber style={{ width: '100%' }} prefix="¥" precision={2} />
        </Form.Item>
      );
    case 'date':
      return (
        <Form.Item
          {...common}
          getValueProps={(v: unknown) => ({ value: typeof v === 'string' && v ? dayjs(v) : undefined })}
          normalize={(v: Dayjs | null) => (v ? v.format('YYYY-MM-DD') : null)}
        >
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      );
    case 'select':
      return (
        <Form.Item {...common}>
          <Select allowClear options={field.options} />
        </Form.Item>
      );
    case 'multiselect':
      return (
        <Form.Item {...common}>
          <Select mode="multiple" allowClear options={field.options} />
        </Form.Item>
      );
    case 'user':
      return (
        <Form.Item {...common}>
          <UserPicker style={{ width: '100%' }} />
        </Form.Item>
      );
    case 'boolean':
      return (
        <Form.Item {...common} valuePropName="checked">
          <Switch />
        </Form.Item>
      );
  }
}
