import { useMemo, useState } from 'react';
import { App, Button, Card, Col, Row, Skeleton, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useSearchParams } from 'react-router';
import { useT } from '@web/app/i18n';
import { useCan } from '@web/app/auth';
import { PageHeader } from '@web/app/PageHeader';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import { useDepartments } from '../shared/hooks';
import type { Department } from '../shared/types';
import { DepartmentDetail } from './DepartmentDetail';
import { DepartmentForm, type DepartmentFormTarget } from './DepartmentForm';
import { DepartmentTree, type DepartmentAction } from './DepartmentTree';
import { useDepartmentMutations } from './useDepartmentMutations';

/** /org/departments: the department tree on the left, the selected department and its users on the right. */
export function DepartmentsPage() {
  const t = useT();
  const can = useCan();
  const { modal } = App.useApp();
  const feedback = useFeedback();
  const { data: departments, isLoading } = useDepartments();
  const { update, remove } = useDepartmentMutations();
  const [params, setParams] = useSearchParams();
  const [formTarget, setFormTarget] = useState<DepartmentFormTarget | null>(null);

  const byId = useMemo(() => new Map((departments ?? []).map((d) => [d.id, d])), [departments]);
  const root = departments?.find((d) => !d.parentId);
  const selectedId = params.get('id') || root?.id || null;
  const selected = selectedId ? byId.get(selectedId) : undefined;

  const select = (id: string) => setParams({ id }, { replace: true });

  function onAction(action: DepartmentAction, d: Department) {
    switch (action) {
      case 'add_child':
        return setFormTarget({ mode: 'create', parentId: d.id });
      case 'edit':
        return setFormTarget({ mode: 'edit', department: d });
      case 'toggle':
        return update.mutate(
          { id: d.id, version: d.version, disabled: !d.disabled },
          {
            onSuccess: () => feedback.success(d.disabled ? 'orgui.dept.enabled_ok' : 'orgui.dept.disabled_ok'),
            onError: (e) => feedback.failure(e),
          },
        );
      case 'delete':
        return void modal.confirm({
          title: t('orgui.dept.delete_confirm', { name: d.name }),
          content: t('orgui.dept.delete_hint'),
          okText: t('common.delete'),
          okButtonProps: { danger: true },
          cancelText: t('common.cancel'),
          onOk: () =>
            remove.mutateAsync(d.id).then(
              () => {
                feedback.success('orgui.dept.deleted_ok');
                if (selectedId === d.id) select(d.parentId ?? '');
              },
              (e: unknown) => feedback.failure(e),
            ),
        });
    }
  }

  function onMove(d: Department, parent: Department) {
    void modal.confirm({
      title: t('orgui.dept.move_confirm', { name: d.name, parent: parent.name }),
      okText: t('common.confirm'),
      cancelText: t('common.cancel'),
      onOk: () =>
        update.mutateAsync({ id: d.id, version: d.version, parentId: parent.id }).then(
          () => feedback.success('orgui.dept.moved_ok'),
          (e: unknown) => feedback.failure(e),
        ),
    });
  }

  return (
    <>
      <PageHeader
        extra={
          can('org', 'create') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setFormTarget({ mode: 'create', parentId: selectedId })}>
              {t('orgui.dept.create')}
            </Button>
          )
        }
      />
      <Row gutter={16}>
        <Col xs={24} lg={10}>
          <Card
            title={t('orgui.dept.tree')}
            extra={can('org', 'edit') && <Typography.Text type="secondary">{t('orgui.dept.drag_hint')}</Typography.Text>}
          >
            {isLoading || !departments ? (
              <Skeleton active />
            ) : (
              <DepartmentTree departments={departments} selectedId={selectedId} onSelect={select} onAction={onAction} onMove={onMove} />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <DepartmentDetail department={selected} parentName={selected?.parentId ? (byId.get(selected.parentId)?.name ?? null) : null} />
        </Col>
      </Row>
      <DepartmentForm target={formTarget} departments={departments ?? []} onClose={() => setFormTarget(null)} />
    </>
  );
}
