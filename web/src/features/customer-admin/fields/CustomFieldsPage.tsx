import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { App, Button, Card, Space, Table, Tabs, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useT } from '@web/app/i18n';
import { PageHeader } from '@web/app/PageHeader';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import { useFieldDefMutations, useFieldDefs, useFieldEntities, type CustomFieldDef } from './api';
import { CustomFieldDrawer } from './CustomFieldDrawer';

const DEFAULT_ENTITIES = ['customer', 'contact', 'lead'];

/** /settings/custom-fields (admin, 属性定义): the custom fields of customers, contacts, leads (and later modules). */
export function CustomFieldsPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const entities = useFieldEntities();
  const names = entities.data?.map((e) => e.entity) ?? DEFAULT_ENTITIES;
  const entity = names.includes(params.get('entity') ?? '') ? params.get('entity')! : names[0];
  const [target, setTarget] = useState<CustomFieldDef | 'new' | null>(null);
  const defs = useFieldDefs(entity);
  const last = defs.data?.[defs.data.length - 1];

  return (
    <>
      <PageHeader
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setTarget('new')}>
            {t('fields.add')}
          </Button>
        }
      />
      <Card>
        <Tabs
          activeKey={entity}
          onChange={(e) => setParams({ entity: e }, { replace: true })}
          items={names.map((e) => ({ key: e, label: t(`fields.entity.${e}`) }))}
        />
        <FieldTable defs={defs.data ?? []} loading={defs.isLoading} onEdit={setTarget} />
      </Card>
      <CustomFieldDrawer
        entity={entity}
        target={target}
        nextSortOrder={last ? Math.min(100000, last.sortOrder + 10) : 10}
        onClose={() => setTarget(null)}
      />
    </>
  );
}

function FieldTable({ defs, loading, onEdit }: { defs: CustomFieldDef[]; loading: boolean; onEdit: (d: CustomFieldDef) => void }) {
  const t = useT();
  const { modal } = App.useApp();
  const feedback = useFeedback();
  const { remove } = useFieldDefMutations();
  const confirmDelete = (d: CustomFieldDef) =>
    modal.confirm({
      title: t('fields.delete'),
      content: t('fields.delete_confirm'),
      okText: t('common.delete'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () =>
        remove.mutateAsync({ id: d.id, version: d.version }).then(
          () => feedback.success('salesui.fields.deleted', { name: d.label }),
          (e: unknown) => feedback.failure(e),
        ),
    });
  const columns: TableColumnsType<CustomFieldDef> = [
    { title: t('fields.label'), dataIndex: 'label' },
    { title: t('fields.key'), dataIndex: 'key', render: (k: string) => <code>{k}</code> },
    { title: t('fields.type'), dataIndex: 'type', width: 100, render: (ty: string) => t(`fields.type.${ty}`) },
    {
      title: t('fields.options'),
      dataIndex: 'options',
      ellipsis: true,
      render: (o: string[]) => (o.length ? o.join('、') : '—'),
    },
    {
      title: t('fields.required'),
      dataIndex: 'required',
      width: 80,
      render: (r: boolean) => (r ? <Tag color="red">{t('common.yes')}</Tag> : t('common.no')),
    },
    { title: t('fields.sort_order'), dataIndex: 'sortOrder', width: 80 },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 120,
      render: (_, d) => (
        <Space>
          <Button size="small" type="link" icon={<EditOutlined />} onClick={() => onEdit(d)} aria-label={t('common.edit')} />
          <Button
            size="small"
            type="link"
            danger
            icon={<DeleteOutlined />}
            onClick={() => confirmDelete(d)}
            aria-label={t('common.delete')}
          />
        </Space>
      ),
    },
  ];
  return (
    <Table<CustomFieldDef>
      rowKey="id"
      size="middle"
      loading={loading}
      dataSource={defs}
      columns={columns}
      pagination={false}
      locale={{ emptyText: t('fields.empty') }}
    />
  );
}
