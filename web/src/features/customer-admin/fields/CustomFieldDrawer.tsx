import { App, Button, Drawer, Form, Input, InputNumber, Select, Space, Switch } from 'antd';
import { useT } from '@web/app/i18n';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import { CUSTOM_FIELD_TYPES, CUSTOM_OPTIONS_MAX, OPTION_TYPES, type CustomFieldType } from '@common/schemas/custom-fields';
import { useFieldDefMutations, type CustomFieldDef } from './api';

type Values = { key: string; label: string; type: CustomFieldType; options?: string; required: boolean; sortOrder: number };

type Props = {
  entity: string;
  /** 'new', a definition to edit, or null when closed */
  target: CustomFieldDef | 'new' | null;
  /** sort order offered to a new field: after the last one */
  nextSortOrder: number;
  onClose: () => void;
};

const optionList = (text?: string) => [
  ...new Set(
    (text ?? '')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean),
  ),
];

/** Add or edit a custom field: key and type are fixed once saved; options (one per line) for select types. */
export function CustomFieldDrawer({ entity, target, nextSortOrder, onClose }: Props) {
  const t = useT();
  const def = target && target !== 'new' ? target : null;
  return (
    <Drawer open={target !== null} onClose={onClose} title={def ? t('fields.edit') : t('fields.add')} size={480} destroyOnHidden>
      {target && (
        <FieldForm
          key={def ? `${def.id}:${def.version}` : 'new'}
          entity={entity}
          def={def}
          nextSortOrder={nextSortOrder}
          onDone={onClose}
        />
      )}
    </Drawer>
  );
}

function FieldForm({
  entity,
  def,
  nextSortOrder,
  onDone,
}: {
  entity: string;
  def: CustomFieldDef | null;
  nextSortOrder: number;
  onDone: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const feedback = useFeedback();
  const [form] = Form.useForm<Values>();
  const type = Form.useWatch('type', form);
  const { create, update } = useFieldDefMutations();
  const hasOptions = OPTION_TYPES.includes(type);

  async function submit(v: Values) {
    const options = hasOptions ? optionList(v.options) : undefined;
    try {
      if (def) {
        await update.mutateAsync({
          id: def.id,
          version: def.version,
          label: v.label.trim(),
          required: v.required,
          sortOrder: v.sortOrder,
          ...(options ? { options } : {}),
        });
      } else {
        await create.mutateAsync({
          entity,
          key: v.key.trim(),
          label: v.label.trim(),
          type: v.type,
          required: v.required,
          sortOrder: v.sortOrder,
          ...(options ? { options } : {}),
        });
      }
      void message.success(t('common.saved'));
      onDone();
    } catch (e) {
      feedback.failure(e, form);
    }
  }

  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={(v) => void submit(v)}
      initialValues={
        def
          ? {
              key: def.key,
              label: def.label,
              type: def.type,
              options: def.options.join('\n'),
              required: def.required,
              sortOrder: def.sortOrder,
            }
          : { type: 'text', required: false, sortOrder: nextSortOrder }
      }
      data-testid="custom-field-form"
    >
      <Form.Item
        name="label"
        label={t('fields.label')}
        rules={[{ required: true, whitespace: true, message: t('admin.required') }, { max: 50 }]}
      >
        <Input autoFocus />
      </Form.Item>
      <Form.Item
        name="key"
        label={t('fields.key')}
        extra={t('fields.key_help')}
        rules={[
          { required: true, message: t('admin.required') },
          { pattern: /^[a-z][a-z0-9_]{0,29}$/, message: t('fields.key_help') },
        ]}
      >
        <Input disabled={Boolean(def)} />
      </Form.Item>
      <Form.Item name="type" label={t('fields.type')} extra={def ? t('fields.type_fixed') : undefined}>
        <Select disabled={Boolean(def)} options={CUSTOM_FIELD_TYPES.map((ty) => ({ value: ty, label: t(`fields.type.${ty}`) }))} />
      </Form.Item>
      {hasOptions && (
        <Form.Item
          name="options"
          label={t('fields.options')}
          extra={t('fields.options_help')}
          rules={[
            {
              validator: (_, v?: string) => {
                const n = optionList(v).length;
                return n >= 1 && n <= CUSTOM_OPTIONS_MAX ? Promise.resolve() : Promise.reject(new Error(t('fields.options_help')));
              },
            },
          ]}
        >
          <Input.TextArea autoSize={{ minRows: 4, maxRows: 12 }} />
        </Form.Item>
      )}
      <Form.Item name="required" label={t('fields.required')} valuePropName="checked">
        <Switch />
      </Form.Item>
      <Form.Item name="sortOrder" label={t('fields.sort_order')}>
        <InputNumber min={0} max={100000} precision={0} style={{ width: '100%' }} />
      </Form.Item>
      <Space>
        <Button type="primary" htmlType="submit" loading={create.isPending || update.isPending}>
          {t('common.save')}
        </Button>
        <Button onClick={onDone}>{t('common.cancel')}</Button>
      </Space>
    </Form>
  );
}
