import { useState } from 'react';
import { Button, Checkbox, Flex, Form, Input, Modal, Select } from 'antd';
import { SaveOutlined } from '@ant-design/icons';
import { useT } from '@web/app/i18n';
import { useMe } from '@web/app/auth';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import type { ListFilter, SavedView, SavedViewConfig } from '../api';
import { useSavedViews, type ListParams } from '../hooks';
import { useCustomerMutations } from '../useCustomerMutations';

type Props = {
  list: ListParams;
  columns: string[];
  selected: string | undefined;
  /** apply a view (undefined: back to the plain list) */
  onApply: (view: SavedView | undefined) => void;
};

/** The list as it stands, as a view config: the plain filters folded into `filters`. */
export function configOf(list: ListParams, columns: string[]): SavedViewConfig {
  const filters: ListFilter[] = [...(list.filters ?? [])];
  for (const field of ['category', 'stage', 'importance', 'ownerId'] as const) {
    const v = list[field];
    if (v) filters.push({ field, op: 'eq', value: v });
  }
  if (list.tag) filters.push({ field: 'tags', op: 'contains', value: list.tag });
  return {
    filters,
    columns,
    ...(list.sort ? { sort: { field: list.sort, order: list.order ?? 'desc' } } : {}),
    ...(list.q ? { q: list.q } : {}),
  };
}

/** Saved views: pick one of mine or a shared one, or save the current filters, columns and sort as a new view. */
export function SavedViews({ list, columns, selected, onApply }: Props) {
  const t = useT();
  const me = useMe();
  const feedback = useFeedback();
  const { data: views } = useSavedViews();
  const { saveView } = useCustomerMutations();
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<{ name: string; shared: boolean }>();

  const isMine = (v: SavedView) => v.mine ?? v.ownerId === me.user.id;
  const mine = (views ?? []).filter(isMine);
  const shared = (views ?? []).filter((v) => !isMine(v));
  const options = [
    { label: t('customersui.views.mine'), options: mine.map((v) => ({ value: v.id, label: v.name })) },
    {
      label: t('customersui.views.shared'),
      options: shared.map((v) => ({ value: v.id, label: v.ownerName ? `${v.name}（${v.ownerName}）` : v.name })),
    },
  ].filter((g) => g.options.length);

  async function save(values: { name: string; shared: boolean }) {
    try {
      await saveView.mutateAsync({ name: values.name.trim(), shared: Boolean(values.shared), config: configOf(list, columns) });
      feedback.success('customersui.views.saved');
      setSaving(false);
    } catch (e) {
      feedback.failure(e, form);
    }
  }

  return (
    <Flex gap={8}>
      <Select
        allowClear
        style={{ width: 200 }}
        placeholder={t('customersui.views.placeholder')}
        aria-label={t('customersui.views.placeholder')}
        value={selected}
        options={options}
        notFoundContent={t('customersui.views.none')}
        onChange={(id?: string) => onApply(views?.find((v) => v.id === id))}
      />
      <Button
        icon={<SaveOutlined />}
        onClick={() => {
          form.resetFields();
          setSaving(true);
        }}
      >
        {t('customersui.views.save_as')}
      </Button>
      <Modal
        open={saving}
        title={t('customersui.views.save_as')}
        onCancel={() => setSaving(false)}
        onOk={() => form.submit()}
        confirmLoading={saveView.isPending}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        destroyOnHidden
      >
        <Form form={form} name="savedView" layout="vertical" onFinish={save} initialValues={{ shared: false }}>
          <Form.Item name="name" label={t('customersui.views.name')} rules={[{ required: true, whitespace: true, max: 50 }]}>
            <Input autoFocus />
          </Form.Item>
          <Form.Item name="shared" valuePropName="checked">
            <Checkbox>{t('customersui.views.share')}</Checkbox>
          </Form.Item>
        </Form>
      </Modal>
    </Flex>
  );
}
