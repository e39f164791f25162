import { useMemo } from 'react';
import { Form, Input, InputNumber, Modal, TreeSelect } from 'antd';
import { useT } from '@web/app/i18n';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import { UserPicker } from '../shared/UserPicker';
import { subtreeIds, treeSelectData } from '../shared/tree';
import type { Department } from '../shared/types';
import { useDepartmentMutations } from './useDepartmentMutations';

/** What the modal edits: a new department under `parentId`, or an existing one. */
export type DepartmentFormTarget = { mode: 'create'; parentId: string | null } | { mode: 'edit'; department: Department };

type Values = { name: string; parentId: string | null; headUserId: string | null; sortOrder: number };

type Props = { target: DepartmentFormTarget | null; departments: Department[]; onClose: () => void };

/** Create a department, or rename / move / set the head of one. */
export function DepartmentForm({ target, departments, onClose }: Props) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const feedback = useFeedback();
  const { create, update } = useDepartmentMutations();
  const editing = target?.mode === 'edit' ? target.department : null;

  // The modal's content is destroyed on close, so these apply afresh each time it opens.
  const initialValues: Values = editing
    ? { name: editing.name, parentId: editing.parentId, headUserId: editing.headUserId, sortOrder: editing.sortOrder }
    : { name: '', parentId: target?.mode === 'create' ? target.parentId : null, headUserId: null, sortOrder: 0 };

  // A department cannot move under itself or one of its own sub-departments.
  const parentOptions = useMemo(
    () => treeSelectData(departments, editing ? subtreeIds(departments, editing.id) : new Set(), t('orgui.dept.disabled')),
    [departments, editing, t],
  );

  async function submit(values: Values) {
    try {
      if (editing) {
        const changed: Partial<Values> = {};
        for (const k of ['name', 'parentId', 'headUserId', 'sortOrder'] as const) {
          if ((values[k] ?? null) !== (editing[k] ?? null)) Object.assign(changed, { [k]: values[k] ?? null });
        }
        await update.mutateAsync({ id: editing.id, version: editing.version, ...changed });
      } else {
        await create.mutateAsync({ ...values, headUserId: values.headUserId ?? null });
      }
      feedback.success('common.saved');
      onClose();
    } catch (err) {
      feedback.failure(err, form);
    }
  }

  return (
    <Modal
      open={Boolean(target)}
      title={t(editing ? 'orgui.dept.edit_title' : 'orgui.dept.create_title')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending || update.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={submit} initialValues={initialValues}>
        <Form.Item
          name="name"
          label={t('orgui.dept.name')}
          rules={[{ required: true, whitespace: true, message: t('admin.required') }, { max: 100 }]}
        >
          <Input maxLength={100} autoFocus />
        </Form.Item>
        <Form.Item
          name="parentId"
          label={t('orgui.dept.parent')}
          rules={[{ required: Boolean(editing?.parentId) || target?.mode === 'create', message: t('admin.required') }]}
        >
          <TreeSelect
            treeData={parentOptions}
            treeDefaultExpandAll
            showSearch
            treeNodeFilterProp="title"
            disabled={editing !== null && editing.parentId === null}
          />
        </Form.Item>
        <Form.Item name="headUserId" label={t('orgui.dept.head')}>
          <UserPicker currentName={editing?.headName} />
        </Form.Item>
        <Form.Item name="sortOrder" label={t('orgui.dept.sort_order')} tooltip={t('orgui.dept.sort_order_hint')}>
          <InputNumber min={0} max={100000} precision={0} style={{ width: 160 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
