import { useState } from 'react';
import { Badge, Button, DatePicker, Flex, Form, Input, InputNumber, Modal, Select, Typography } from 'antd';
import { DeleteOutlined, FilterOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useT } from '@web/app/i18n';
import { UserPicker } from '@web/features/org/shared/UserPicker';
import type { ListFilter } from '../api';
import { opNeedsValue, opsOf, useFilterFields, type FilterField } from './filterFields';

type Row = { field?: string; op?: string; value?: unknown };
type Props = { value: ListFilter[]; onChange: (filters: ListFilter[]) => void };

/** Converts between the stored filter values (fen, ISO dates) and what the inputs hold (yuan, dayjs). */
function toForm(f: ListFilter, def: FilterField | undefined): Row {
  if (!def || f.value === undefined || f.value === null) return { ...f };
  if (def.type === 'money' && typeof f.value === 'number') return { ...f, value: f.value / 100 };
  if (def.type === 'date' && typeof f.value === 'string') return { ...f, value: dayjs(f.value) };
  return { ...f };
}
function fromForm(r: Row, def: FilterField | undefined): ListFilter | null {
  if (!r.field || !r.op) return null;
  if (!opNeedsValue(r.op)) return { field: r.field, op: r.op as ListFilter['op'] };
  let value = r.value;
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && !value.length)) return null;
  if (def?.type === 'money' && typeof value === 'number') value = Math.round(value * 100);
  if (def?.type === 'date' && dayjs.isDayjs(value)) value = (value as Dayjs).format('YYYY-MM-DD');
  return { field: r.field, op: r.op as ListFilter['op'], value };
}

/** The "advanced filter" builder: any field (custom ones too) + operator + value, sent as `filters` JSON. */
export function AdvancedFilter({ value, onChange }: Props) {
  const t = useT();
  const fields = useFilterFields();
  const byField = new Map(fields.map((f) => [f.field, f]));
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ rows: Row[] }>();
  const rows = Form.useWatch('rows', form) ?? [];

  const show = () => {
    form.setFieldsValue({ rows: value.length ? value.map((f) => toForm(f, byField.get(f.field))) : [{}] });
    setOpen(true);
  };
  const apply = () => {
    const next = (form.getFieldValue('rows') as Row[]).map((r) => fromForm(r, byField.get(r.field ?? ''))).filter(Boolean);
    onChange(next as ListFilter[]);
    setOpen(false);
  };

  return (
    <>
      <Badge count={value.length} size="small">
        <Button icon={<FilterOutlined />} onClick={show}>
          {t('customersui.filter.advanced')}
        </Button>
      </Badge>
      <Modal
        open={open}
        title={t('customersui.filter.advanced')}
        width={760}
        onCancel={() => setOpen(false)}
        onOk={apply}
        okText={t('customersui.filter.apply')}
        cancelText={t('common.cancel')}
        footer={(_, { OkBtn, CancelBtn }) => (
          <Flex justify="space-between">
            <Button
              onClick={() => {
                onChange([]);
                setOpen(false);
              }}
            >
              {t('customersui.filter.clear')}
            </Button>
            <Flex gap={8}>
              <CancelBtn />
              <OkBtn />
            </Flex>
          </Flex>
        )}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t('customersui.filter.advanced_hint')}</Typography.Paragraph>
        <Form form={form} component={false}>
          <Form.List name="rows">
            {(items, { add, remove }) => (
              <Flex vertical gap={8}>
                {items.map((item) => {
                  const row = rows[item.name] ?? {};
                  const def = byField.get(row.field ?? '');
                  return (
                    <Flex key={item.key} gap={8} align="start">
                      <Form.Item name={[item.name, 'field']} noStyle>
                        <Select
                          style={{ width: 180 }}
                          showSearch={{ optionFilterProp: 'label' }}
                          placeholder={t('customersui.filter.field')}
                          options={fields.map((f) => ({ value: f.field, label: f.label }))}
                          onChange={(field: string) =>
                            form.setFieldValue(['rows', item.name], { field, op: opsOf(byField.get(field)?.type ?? 'text')[0] })
                          }
                        />
                      </Form.Item>
                      <Form.Item name={[item.name, 'op']} noStyle>
                        <Select
                          style={{ width: 130 }}
                          placeholder={t('customersui.filter.op')}
                          options={opsOf(def?.type ?? 'text').map((op) => ({ value: op, label: t(`customersui.op.${op}`) }))}
                        />
                      </Form.Item>
                      <div style={{ flex: 1 }}>
                        {row.op && opNeedsValue(row.op) && def ? (
                          <Form.Item name={[item.name, 'value']} noStyle>
                            <ValueInput def={def} op={row.op} />
                          </Form.Item>
                        ) : null}
                      </div>
                      <Button type="text" icon={<DeleteOutlined />} aria-label={t('common.delete')} onClick={() => remove(item.name)} />
                    </Flex>
                  );
                })}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})}>
                  {t('customersui.filter.add_condition')}
                </Button>
              </Flex>
            )}
          </Form.List>
        </Form>
      </Modal>
    </>
  );
}

type ValueProps = { def: FilterField; op: string; value?: unknown; onChange?: (v: unknown) => void };

function ValueInput({ def, op, value, onChange }: ValueProps) {
  const t = useT();
  const style = { width: '100%' };
  switch (def.type) {
    case 'select':
    case 'multiselect':
      return (
        <Select
          style={style}
          mode={op === 'in' ? 'multiple' : undefined}
          options={def.options}
          value={value as string}
          onChange={onChange}
        />
      );
    case 'boolean':
      return (
        <Select
          style={style}
          value={value as boolean}
          onChange={onChange}
          options={[
            { value: true, label: t('common.yes') },
            { value: false, label: t('common.no') },
          ]}
        />
      );
    case 'number':
    case 'money':
      return <InputNumber style={style} value={value as number} onChange={onChange} />;
    case 'date':
      return <DatePicker style={style} value={value as Dayjs} onChange={onChange} />;
    case 'user':
      return <UserPicker style={style} value={value as string} onChange={onChange} includeInactive />;
    case 'text':
      return <Input style={style} value={value as string} onChange={(e) => onChange?.(e.target.value)} />;
  }
}
