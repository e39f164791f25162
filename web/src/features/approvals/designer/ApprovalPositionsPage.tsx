import { useMemo, useState } from 'react';
import { App, Button, Card, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { ApprovalPosition } from '@common/schemas/approvals';
import { useCan } from '@web/app/auth';
import { useT } from '@web/app/i18n';
import { PageHeader } from '@web/app/PageHeader';
import { useDepartments } from '@web/features/org/shared/hooks';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import { useApprovalPositionMutations, useApprovalPositions } from './api';
import { ApprovalPositionDrawer } from './ApprovalPositionDrawer';

const K = 'approvalsdesigner.positions';

/** /settings/approval-positions (审批职位): named groups of approvers, each member optionally for some departments. */
export function ApprovalPositionsPage() {
  const t = useT();
  const can = useCan();
  const { modal } = App.useApp();
  const feedback = useFeedback();
  const positions = useApprovalPositions();
  const departments = useDepartments();
  const { remove } = useApprovalPositionMutations();
  const [target, setTarget] = useState<ApprovalPosition | 'new' | null>(null);
  const deptNames = useMemo(() => new Map((departments.data ?? []).map((d) => [d.id, d.name])), [departments.data]);

  const confirmDelete = (p: ApprovalPosition) =>
    modal.confirm({
      title: t(`${K}.delete_confirm`, { name: p.name }),
      okText: t('common.delete'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () =>
        remove.mutateAsync({ id: p.id, version: p.version }).then(
          () => feedback.success(`${K}.deleted`, { name: p.name }),
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
        <Table<ApprovalPosition>
          rowKey="id"
          loading={positions.isLoading}
          dataSource={positions.data ?? []}
          pagination={false}
          locale={{ emptyText: t(`${K}.empty`) }}
          columns={[
            { title: t(`${K}.name`), dataIndex: 'name', width: 180, render: (n: string) => <Typography.Text strong>{n}</Typography.Text> },
            { title: t(`${K}.description`), dataIndex: 'description', ellipsis: true, render: (v: string | null) => v || '—' },
            {
              title: t(`${K}.members`),
              key: 'members',
              render: (_, p) =>
                p.members.length ? (
                  <Space size={[4, 4]} wrap>
                    {p.members.map((m) => (
                      <Tag key={m.userId}>
                        {m.userName}
                        {m.departmentIds.length > 0 &&
                          t(`${K}.for_departments`, {
                            names: m.departmentIds.map((d) => deptNames.get(d) ?? '?').join(t('approvalsdesigner.list_sep')),
                          })}
                      </Tag>
                    ))}
                  </Space>
                ) : (
                  <Typography.Text type="secondary">{t(`${K}.no_members`)}</Typography.Text>
                ),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              width: 140,
              render: (_, p) => (
                <Space size={0}>
                  {can('workflow', 'edit') && (
                    <Button type="link" size="small" onClick={() => setTarget(p)}>
                      {t('common.edit')}
                    </Button>
                  )}
                  {can('workflow', 'delete') && (
                    <Button type="link" size="small" danger onClick={() => void confirmDelete(p)}>
                      {t('common.delete')}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <ApprovalPositionDrawer target={target} onClose={() => setTarget(null)} />
    </>
  );
}
