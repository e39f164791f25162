import { useState } from 'react';
import { App, Button, Card, Flex, Space, Switch, Table, Tooltip, Typography } from 'antd';
import { ApartmentOutlined, PlusOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import type { ApprovalForm } from '@common/schemas/approvals';
import { useCan } from '@web/app/auth';
import { useT } from '@web/app/i18n';
import { PageHeader } from '@web/app/PageHeader';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import { FormIcon } from '../shared/FormIcon';
import { useApprovalFormMutations, useApprovalForms } from './api';
import { FormDrawer } from './FormDrawer';

const K = 'approvalsdesigner.forms';

/** /settings/approval-forms (审批表单): custom forms (请假, 报销, 用印 …) users submit for approval. */
export function FormsPage() {
  const t = useT();
  const can = useCan();
  const { modal } = App.useApp();
  const feedback = useFeedback();
  const forms = useApprovalForms();
  const { update, remove } = useApprovalFormMutations();
  const [target, setTarget] = useState<ApprovalForm | 'new' | null>(null);
  const last = forms.data?.[forms.data.length - 1];

  const toggle = (f: ApprovalForm, enabled: boolean) =>
    update.mutateAsync({ id: f.id, version: f.version, enabled }).then(
      () => feedback.success(enabled ? `${K}.enabled_ok` : `${K}.disabled_ok`, { name: f.name }),
      (e: unknown) => feedback.failure(e),
    );

  const confirmDelete = (f: ApprovalForm) =>
    modal.confirm({
      title: t(`${K}.delete_confirm`, { name: f.name }),
      content: t(`${K}.delete_hint`),
      okText: t('common.delete'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () =>
        remove.mutateAsync({ id: f.id, version: f.version }).then(
          () => feedback.success(`${K}.deleted`, { name: f.name }),
          (e: unknown) => feedback.failure(e),
        ),
    });

  return (
    <>
      <PageHeader
        subTitle={t(`${K}.hint`)}
        extra={
          can('workflow', 'create') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setTarget('new')}>
              {t(`${K}.create`)}
            </Button>
          )
        }
      />
      <Card>
        <Table<ApprovalForm>
          rowKey="id"
          loading={forms.isLoading}
          dataSource={forms.data ?? []}
          pagination={false}
          locale={{ emptyText: t(`${K}.empty`) }}
          columns={[
            {
              title: t(`${K}.name`),
              dataIndex: 'name',
              render: (_, f) => (
                <Flex gap={8} align="center">
                  <span style={{ fontSize: 18, color: '#1668dc' }}>
                    <FormIcon icon={f.icon} />
                  </span>
                  <Flex vertical>
                    <Typography.Text strong>{f.name}</Typography.Text>
                    {f.description && (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis>
                        {f.description}
                      </Typography.Text>
                    )}
                  </Flex>
                </Flex>
              ),
            },
            { title: t(`${K}.field_count`), key: 'fields', width: 100, align: 'right', render: (_, f) => f.fields.length },
            { title: t(`${K}.sort_order`), dataIndex: 'sortOrder', width: 80, align: 'right' },
            {
              title: t(`${K}.enabled`),
              dataIndex: 'enabled',
              width: 80,
              render: (on: boolean, f) => (
                <Switch
                  size="small"
                  checked={on}
                  aria-label={t(`${K}.enabled_of`, { name: f.name })}
                  disabled={!can('workflow', 'edit')}
                  onChange={(v) => void toggle(f, v)}
                />
              ),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              width: 260,
              render: (_, f) => (
                <Space size={0}>
                  {can('workflow', 'edit') && (
                    <Button type="link" size="small" onClick={() => setTarget(f)}>
                      {t('common.edit')}
                    </Button>
                  )}
                  {f.enabled ? (
                    <Link to={`/settings/approval-flows?type=${encodeURIComponent(`form.${f.id}`)}`}>
                      <Button type="link" size="small" icon={<ApartmentOutlined />}>
                        {t(`${K}.design_flow`)}
                      </Button>
                    </Link>
                  ) : (
                    <Tooltip title={t(`${K}.design_flow_disabled`)}>
                      <Button type="link" size="small" icon={<ApartmentOutlined />} disabled>
                        {t(`${K}.design_flow`)}
                      </Button>
                    </Tooltip>
                  )}
                  {can('workflow', 'delete') && (
                    <Button type="link" size="small" danger onClick={() => void confirmDelete(f)}>
                      {t('common.delete')}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <FormDrawer target={target} nextSortOrder={last ? Math.min(100000, last.sortOrder + 10) : 10} onClose={() => setTarget(null)} />
    </>
  );
}
