import { Button, Card, Col, Form, Input, Row, Select, Space, Switch, type FormInstance } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined } from '@ant-design/icons';
import { formBody, type FormField } from '@common/schemas/approvals';
import { useT } from '@web/app/i18n';

const K = 'approvalsdesigner.forms';

/** field types of a custom form, in the order offered */
export const FORM_FIELD_TYPES = formBody.shape.fields.element.shape.type.options;

const KEY = /^[a-z][a-z0-9_]{0,29}$/;

type Props = {
  form: FormInstance;
  name: number;
  index: number;
  count: number;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
};

/** One field of a custom form: label, key, type, options (select types), required; moved up / down. */
export function FormFieldRow({ form, name, index, count, onMove, onRemove }: Props) {
  const t = useT();
  const type = Form.useWatch(['fields', name, 'type'], form) as FormField['type'] | undefined;
  const label = Form.useWatch(['fields', name, 'label'], form) as string | undefined;
  const hasOptions = type === 'select' || type === 'multiselect';
  const title = label?.trim() || t(`${K}.field_n`, { n: index + 1 });
  return (
    <Card
      size="small"
      title={title}
      aria-label={t(`${K}.field_card`, { name: title })}
      extra={
        <Space size={0}>
          <Button
            type="text"
            size="small"
            icon={<ArrowUpOutlined />}
            disabled={index === 0}
            aria-label={t(`${K}.move_up`, { name: title })}
            onClick={() => onMove(-1)}
          />
          <Button
            type="text"
            size="small"
            icon={<ArrowDownOutlined />}
            disabled={index === count - 1}
            aria-label={t(`${K}.move_down`, { name: title })}
            onClick={() => onMove(1)}
          />
          <Button
            type="text"
            size="small"
            danger
            icon={<DeleteOutlined />}
            aria-label={t(`${K}.remove_field`, { name: title })}
            onClick={onRemove}
          />
        </Space>
      }
    >
      <Row gutter={12}>
        <Col span={7}>
          <Form.Item
            name={[name, 'label']}
            label={t(`${K}.field_label`)}
            rules={[{ required: true, whitespace: true, message: t('admin.required') }, { max: 50 }]}
            style={{ marginBottom: 8 }}
          >
            <Input maxLength={50} />
          </Form.Item>
        </Col>
        <Col span={7}>
          <Form.Item
            name={[name, 'key']}
            label={t(`${K}.field_key`)}
            tooltip={t(`${K}.field_key_help`)}
            rules={[
              { required: true, message: t('admin.required') },
              { pattern: KEY, message: t(`${K}.field_key_help`) },
              {
                validator: (_, key: string) => {
                  const keys = ((form.getFieldValue('fields') as FormField[] | undefined) ?? []).map((f) => f?.key);
                  return key && keys.indexOf(key) !== index ? Promise.reject(new Error(t(`${K}.field_key_duplicate`))) : Promise.resolve();
                },
              },
            ]}
            style={{ marginBottom: 8 }}
          >
            <Input maxLength={30} placeholder="reason" />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name={[name, 'type']} label={t(`${K}.field_type`)} style={{ marginBottom: 8 }}>
            <Select options={FORM_FIELD_TYPES.map((ty) => ({ value: ty, label: t(`${K}.type.${ty}`) }))} />
          </Form.Item>
        </Col>
        <Col span={4}>
          <Form.Item name={[name, 'required']} label={t(`${K}.field_required`)} valuePropName="checked" style={{ marginBottom: 8 }}>
            <Switch size="small" />
          </Form.Item>
        </Col>
        {hasOptions && (
          <Col span={24}>
            <Form.Item
              name={[name, 'options']}
              label={t(`${K}.field_options`)}
              extra={t(`${K}.field_options_help`)}
              rules={[
                {
                  validator: (_, v?: string[]) =>
                    v?.length ? Promise.resolve() : Promise.reject(new Error(t(`${K}.field_options_required`))),
                },
              ]}
              style={{ marginBottom: 8 }}
            >
              <Select mode="tags" open={false} tokenSeparators={[',', '，', '\n']} />
            </Form.Item>
          </Col>
        )}
      </Row>
    </Card>
  );
}
