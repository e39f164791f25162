import { useMemo } from 'react';
import { Form, Input, Modal, Select } from 'antd';
import { useT } from '@web/app/i18n';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import type { Position } from '../shared/types';
import { positionSubtree, usePositionMutations } from './usePositionMutations';

type Values = { name: string; parentId: string | null; description: string };

type Props = {
  /** `null`: closed; `'new'`: create; a position: edit it */
  target: Position | 'new' | null;
  positions: Position[];
  onClose: () => void;
};

/** Create or edit a position's name, parent position and description. */
export function PositionForm({ target, positions, onClose }: Props) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const feedback = useFeedback();
  const { create, update } = usePositionMutations();
  const editing = target && target !== 'new' ? target : null;

  const parentOptions = useMemo(() => {
    const excluded = editing ? positionSubtree(positions, editing.id) : new Set<string>();
    return positions.filter((p) => !excluded.has(p.id)).map((p) => ({ value: p.id, label: p.name }));
  }, [positions, editing]);

  async function submit(values: Values) {
    const body = { name: values.name, parentId: values.parentId ?? null, description: values.description?.trim() || null };
    try {
      if (editing) {
        const changed = Object.fromEntries(Object.entries(body).filter(([k, v]) => (editing[k as keyof typeof body] ?? null) !== v));
        await update.mutateAsync({ id: editing.id, version: editing.version, ...changed });
      } else {
        await create.mutateAsync(body);
      }
      feedback.success('common.saved');
      onClose();
    } catch (err) {
      feedback.failure(err, form);
    }
  }

  return (
    <Modal
      open={target !== null}
      title={t(editing ? 'orgui.position.edit_title' : 'orgui.position.create_title')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending || update.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ name: editing?.name ?? '', parentId: editing?.parentId ?? null, description: editing?.description ?? '' }}
      >
        <Form.Item
          name="name"
          label={t('orgui.position.name')}
          rules={[{ required: true, whitespace: true, message: t('admin.required') }, { max: 100 }]}
        >
          <Input maxLength={100} autoFocus />
        </Form.Item>
        <Form.Item name="parentId" label={t('orgui.position.parent')} tooltip={t('orgui.position.parent_hint')}>
          <Select
            allowClear
            options={parentOptions}
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('orgui.position.no_parent')}
          />
        </Form.Item>
        <Form.Item name="description" label={t('orgui.position.description')} rules={[{ max: 500 }]}>
          <Input.TextArea rows={3} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
