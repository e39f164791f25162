import { Button, Col, Drawer, Flex, Form, Input, InputNumber, Row, Select, Space, Switch, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { ApprovalForm, FormField } from '@common/schemas/approvals';
import { useT } from '@web/app/i18n';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import { FormIcon } from '../shared/FormIcon';
import { useApprovalFormMutations } from './api';
import { FormFieldRow } from './FormFieldRow';

type Values = {
  name: string;
  icon: string | null;
  description: string;
  enabled: boolean;
  sortOrder: number;
  fields: FormField[];
};

const K = 'approvalsdesigner.forms';

/** icon names offered for a form (shown by FormIcon in the approval centre too) */
const ICONS = ['form', 'leave', 'expense', 'payment', 'seal', 'trip', 'purchase', 'overtime', 'gift', 'repair', 'file'];

type Props = { target: ApprovalForm | 'new' | null; nextSortOrder: number; onClose: () => void };

/** Create or edit a custom form: name, icon, and its fields in order. */
export function FormDrawer({ target, nextSortOrder, onClose }: Props) {
  const t = useT();
  const editing = target && target !== 'new' ? target : null;
  return (
    <Drawer
      open={target !== null}
      onClose={onClose}
      size={760}
      title={t(editing ? `${K}.edit_title` : `${K}.create_title`)}
      destroyOnHidden
    >
      {target && (
        <FormEditor
          key={editing ? `${editing.id}:${editing.version}` : 'new'}
          editing={editing}
          nextSortOrder={nextSortOrder}
          onDone={onClose}
        />
      )}
    </Drawer>
  );
}

function FormEditor({ editing, nextSortOrder, onDone }: { editing: ApprovalForm | null; nextSortOrder: number; onDone: () => void }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const feedback = useFeedback();
  const { create, update } = useApprovalFormMutations();

  async function submit(v: Values) {
    const body = {
      name: v.name.trim(),
      icon: v.icon ?? null,
      description: v.description?.trim() || null,
      enabled: v.enabled,
      sortOrder: v.sortOrder ?? 0,
      fields: (v.fields ?? []).map((f) => ({
        key: f.key.trim(),
        label: f.label.trim(),
        type: f.type,
        required: Boolean(f.required),
        ...(f.type === 'select' || f.type === 'multiselect' ? { options: f.options ?? [] } : {}),
      })),
    };
    try {
      if (editing) await update.mutateAsync({ id: editing.id, version: editing.version, ...body });
      else await create.mutateAsync(body);
      feedback.success('common.saved');
      onDone();
    } catch (e) {
      feedback.failure(e, form);
    }
  }

  return (
    <Form<Values>
      form={form}
      layout="vertical"
      onFinish={(v) => void submit(v)}
      initialValues={
        editing
          ? { ...editing, description: editing.description ?? '' }
          : {
              name: '',
              icon: 'form',
              description: '',
              enabled: true,
              sortOrder: nextSortOrder,
              fields: [{ key: '', label: '', type: 'text', required: true }],
            }
      }
    >
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item
            name="name"
            label={t(`${K}.name`)}
            rules={[{ required: true, whitespace: true, message: t('admin.required') }, { max: 50 }]}
          >
            <Input maxLength={50} autoFocus />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="icon" label={t(`${K}.icon`)}>
            <Select
              options={[...ICONS, ...(editing?.icon && !ICONS.includes(editing.icon) ? [editing.icon] : [])].map((i) => ({
                value: i,
                label: (
                  <Space size={6}>
                    <FormIcon icon={i} />
                    {ICONS.includes(i) ? t(`${K}.icon.${i}`) : i}
                  </Space>
                ),
              }))}
            />
          </Form.Item>
        </Col>
        <Col span={3}>
          <Form.Item name="enabled" label={t(`${K}.enabled`)} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Col>
        <Col span={3}>
          <Form.Item name="sortOrder" label={t(`${K}.sort_order`)}>
            <InputNumber min={0} max={100000} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="description" label={t(`${K}.description`)} rules={[{ max: 500 }]}>
        <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={500} />
      </Form.Item>
      <Typography.Title level={5}>{t(`${K}.fields`)}</Typography.Title>
      <Form.List
        name="fields"
        rules={[
          {
            validator: (_, list?: FormField[]) => (list?.length ? Promise.resolve() : Promise.reject(new Error(t(`${K}.fields_required`)))),
          },
        ]}
      >
        {(items, { add, remove, move }, { errors }) => (
          <Flex vertical gap={8} style={{ marginBottom: 24 }}>
            {items.map((item, i) => (
              <FormFieldRow
                key={item.key}
                form={form}
                name={item.name}
                index={i}
                count={items.length}
                onMove={(d) => move(i, i + d)}
                onRemove={() => remove(item.name)}
              />
            ))}
            <Form.ErrorList errors={errors} />
            <div>
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                disabled={items.length >= 50}
                onClick={() => add({ key: '', label: '', type: 'text', required: false })}
              >
                {t(`${K}.add_field`)}
              </Button>
            </div>
          </Flex>
        )}
      </Form.List>
      <Space>
        <Button type="primary" htmlType="submit" loading={create.isPending || update.isPending}>
          {t('common.save')}
        </Button>
        <Button onClick={onDone}>{t('common.cancel')}</Button>
      </Space>
    </Form>
  );
}
