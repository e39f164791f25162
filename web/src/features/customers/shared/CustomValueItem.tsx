import { DatePicker, Form, Input, InputNumber, Select, Switch, type FormItemProps } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { CUSTOM_TEXT_MAX, type CustomFieldType } from '@common/schemas/custom-fields';
import { UserPicker } from '@web/features/org/shared/UserPicker';

type Props = {
  /** the form item's name, e.g. `['custom', key]` */
  name: FormItemProps['name'];
  label: string;
  type: CustomFieldType;
  rules?: FormItemProps['rules'];
  /** select / multi select choices */
  options?: { value: string; label: string }[];
  /** money cannot be negative (custom forms); custom fields of records allow it */
  nonNegative?: boolean;
};

/**
 * A form item for a value of one of the custom-field types (属性定义 on records, and the fields of
 * custom approval forms, which reuse those types), the input chosen by the type. Money is typed in
 * 元 and kept in 分; dates as YYYY-MM-DD.
 */
export function CustomValueItem({ name, label, type, rules, options, nonNegative }: Props) {
  const common = { name, label, rules };
  switch (type) {
    case 'text':
      return (
        <Form.Item {...common}>
          <Input maxLength={CUSTOM_TEXT_MAX} />
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
          <InputNumber style={{ width: '100%' }} prefix="¥" precision={2} min={nonNegative ? 0 : undefined} />
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
          <Select allowClear options={options} />
        </Form.Item>
      );
    case 'multiselect':
      return (
        <Form.Item {...common}>
          <Select mode="multiple" allowClear options={options} />
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
