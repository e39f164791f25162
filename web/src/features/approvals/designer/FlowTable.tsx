import { App, Button, Flex, Space, Switch, Table, Tag, Typography } from 'antd';
import { DeleteOutlined, EditOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import type { ApprovableType, ApprovalFlow } from '@common/schemas/approvals';
import { useCan } from '@web/app/auth';
import { useT } from '@web/app/i18n';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import { useFlowMutations, useFlows } from './api';
import { useNames } from './flow/names';
import { conditionSummary } from './flow/summary';

const K = 'approvalsdesigner.flows';

/** The flows of one document type in priority order (the first whose entry condition matches runs). */
export function FlowTable({ type }: { type: ApprovableType }) {
  const t = useT();
  const can = useCan();
  const names = useNames();
  const { modal } = App.useApp();
  const feedback = useFeedback();
  const flows = useFlows(type.type);
  const { update, remove } = useFlowMutations();

  const toggle = (f: ApprovalFlow, enabled: boolean) =>
    update.mutateAsync({ id: f.id, version: f.version, enabled }).then(
      () => feedback.success(enabled ? `${K}.enabled_ok` : `${K}.disabled_ok`, { name: f.name }),
      (e: unknown) => feedback.failure(e),
    );

  const confirmDelete = (f: ApprovalFlow) =>
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
    <Table<ApprovalFlow>
      rowKey="id"
      size="middle"
      loading={flows.isLoading}
      dataSource={flows.data ?? []}
      pagination={false}
      locale={{ emptyText: t(`${K}.empty`) }}
      columns={[
        { title: t(`${K}.priority`), dataIndex: 'priority', width: 80, align: 'right' },
        {
          title: t(`${K}.name`),
          dataIndex: 'name',
          render: (_, f) => (
            <Flex vertical gap={2}>
              <Space size={4}>
                <Link to={`/settings/approval-flows/${f.id}`}>{f.name}</Link>
                {f.isDefault && <Tag color="blue">{t(`${K}.default_tag`)}</Tag>}
              </Space>
              {f.description && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis>
                  {f.description}
                </Typography.Text>
              )}
            </Flex>
          ),
        },
        {
          title: t(`${K}.entry`),
          key: 'entry',
          render: (_, f) => conditionSummary(t, names, type.fields, f.entry, `${K}.entry_all`),
        },
        {
          title: t(`${K}.version`),
          dataIndex: 'definitionVersion',
          width: 80,
          render: (v: number) => `v${v}`,
        },
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
              loading={update.isPending && update.variables?.id === f.id}
              onChange={(v) => void toggle(f, v)}
            />
          ),
        },
        {
          title: t('common.actions'),
          key: 'actions',
          width: 150,
          render: (_, f) => (
            <Space size={0}>
              <Link to={`/settings/approval-flows/${f.id}`}>
                <Button type="link" size="small" icon={<EditOutlined />}>
                  {can('workflow', 'edit') ? t('common.edit') : t('admin.view')}
                </Button>
              </Link>
              {can('workflow', 'delete') && (
                <Button type="link" size="small" danger icon={<DeleteOutlined />} onClick={() => void confirmDelete(f)}>
                  {t('common.delete')}
                </Button>
              )}
            </Space>
          ),
        },
      ]}
    />
  );
}
