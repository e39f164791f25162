import { useMemo, useState } from 'react';
import { App, Button, Card, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined, SafetyOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useT } from '@web/app/i18n';
import { useCan } from '@web/app/auth';
import { PageHeader } from '@web/app/PageHeader';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import { usePositions } from '../shared/hooks';
import type { Position } from '../shared/types';
import { PositionForm } from './PositionForm';
import { usePositionMutations } from './usePositionMutations';

/** /org/positions: every position (职位) with its parent, holders and a link to its permission matrix. */
export function PositionsPage() {
  const t = useT();
  const can = useCan();
  const { modal } = App.useApp();
  const feedback = useFeedback();
  const { data: positions, isLoading } = usePositions();
  const { remove } = usePositionMutations();
  const [target, setTarget] = useState<Position | 'new' | null>(null);
  const names = useMemo(() => new Map((positions ?? []).map((p) => [p.id, p.name])), [positions]);

  function confirmDelete(p: Position) {
    void modal.confirm({
      title: t('orgui.position.delete_confirm', { name: p.name }),
      okText: t('common.delete'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () =>
        remove.mutateAsync(p.id).then(
          () => feedback.success('orgui.position.deleted_ok'),
          (e: unknown) => feedback.failure(e),
        ),
    });
  }

  return (
    <>
      <PageHeader
        extra={
          can('org', 'create') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setTarget('new')}>
              {t('orgui.position.create')}
            </Button>
          )
        }
      />
      <Card>
        <Table<Position>
          rowKey="id"
          loading={isLoading}
          dataSource={positions}
          pagination={false}
          columns={[
            {
              title: t('orgui.position.name'),
              dataIndex: 'name',
              render: (name: string) => <Typography.Text strong>{name}</Typography.Text>,
            },
            {
              title: t('orgui.position.parent'),
              dataIndex: 'parentId',
              render: (id: string | null) => (id ? (names.get(id) ?? '—') : '—'),
            },
            { title: t('orgui.position.description'), dataIndex: 'description', ellipsis: true, render: (v: string | null) => v || '—' },
            { title: t('orgui.position.user_count'), dataIndex: 'userCount', width: 100, align: 'right' },
            { title: t('orgui.position.grants'), key: 'grants', render: (_, p) => <GrantSummary position={p} /> },
            {
              title: t('common.actions'),
              key: 'actions',
              width: 220,
              render: (_, p) => (
                <Space size={0}>
                  <Link to={`/org/positions/${p.id}/permissions`}>
                    <Button type="link" size="small" icon={<SafetyOutlined />}>
                      {t('orgui.position.permissions')}
                    </Button>
                  </Link>
                  {can('org', 'edit') && (
                    <Button type="link" size="small" onClick={() => setTarget(p)}>
                      {t('common.edit')}
                    </Button>
                  )}
                  {can('org', 'delete') && (
                    <Button type="link" size="small" danger onClick={() => confirmDelete(p)}>
                      {t('common.delete')}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <PositionForm target={target} positions={positions ?? []} onClose={() => setTarget(null)} />
    </>
  );
}

/** The modules a position may use, as tags (e.g. 组织架构, 审计日志). */
function GrantSummary({ position }: { position: Position }) {
  const t = useT();
  const granted = Object.entries(position.permissions?.modules ?? {}).filter(([, g]) => g.actions.length > 0);
  if (!granted.length) return <Typography.Text type="secondary">{t('orgui.position.no_grants')}</Typography.Text>;
  return (
    <>
      {granted.map(([key]) => (
        <Tag key={key}>{t(`module.${key}`)}</Tag>
      ))}
    </>
  );
}
