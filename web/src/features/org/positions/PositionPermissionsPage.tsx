import { useEffect, useState } from 'react';
import { Button, Card, Flex, Result, Skeleton, Space, Tag, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import type { PositionPermissions } from '@common/permissions';
import { ApiError } from '@web/app/api';
import { useT } from '@web/app/i18n';
import { useCan } from '@web/app/auth';
import { PageHeader } from '@web/app/PageHeader';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import { orgKeys, usePositions } from '../shared/hooks';
import type { Position } from '../shared/types';
import { FieldRules } from './FieldRules';
import { PermissionMatrix } from './PermissionMatrix';
import { normalise, samePermissions } from './permissionDraft';
import { usePositionMutations } from './usePositionMutations';

/** /org/positions/:id/permissions: the permission matrix, data scopes and field rules of one position. */
export function PositionPermissionsPage() {
  const t = useT();
  const { id } = useParams();
  const { data: positions, isLoading } = usePositions();
  const position = positions?.find((p) => p.id === id);

  if (isLoading) return <Skeleton active />;
  if (!position) {
    return (
      <Result status="404" title={t('orgui.position.not_found')} extra={<Link to="/org/positions">{t('orgui.position.back')}</Link>} />
    );
  }
  // Remount on a new version: after a save (or someone else's) the editor starts from the server's copy.
  return <PermissionEditor key={`${position.id}:${position.version}`} position={position} />;
}

function PermissionEditor({ position }: { position: Position }) {
  const t = useT();
  const can = useCan();
  const feedback = useFeedback();
  const { savePermissions } = usePositionMutations();
  const qc = useQueryClient();
  const original = normalise(position.permissions);
  const [draft, setDraft] = useState<PositionPermissions>(original);
  const readOnly = !can('org', 'edit');
  const dirty = !samePermissions(draft, original);
  // Closing or reloading the tab with unsaved changes asks first (the app's router has no in-app blocker).
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  function save() {
    savePermissions.mutate(
      { id: position.id, version: position.version, permissions: draft },
      {
        onSuccess: () => feedback.success('orgui.position.permissions_saved'),
        onError: (e) => {
          feedback.failure(e);
          // someone saved first: load their version (the editor restarts from it) rather than overwrite it
          if (e instanceof ApiError && e.problem.code === 'stale_version') void qc.invalidateQueries({ queryKey: orgKeys.positions });
        },
      },
    );
  }

  return (
    <>
      <PageHeader
        title={
          <Space>
            <Link to="/org/positions" aria-label={t('orgui.position.back')}>
              <ArrowLeftOutlined />
            </Link>
            {t('orgui.position.permissions_title', { name: position.name })}
          </Space>
        }
        extra={
          !readOnly && (
            <Space>
              {dirty && <Tag color="orange">{t('orgui.position.unsaved')}</Tag>}
              <Button disabled={!dirty} onClick={() => setDraft(original)}>
                {t('admin.reset')}
              </Button>
              <Button type="primary" disabled={!dirty} loading={savePermissions.isPending} onClick={save}>
                {t('common.save')}
              </Button>
            </Space>
          )
        }
      />
      <Flex vertical gap={16}>
        <Card title={t('perm.functions')} extra={<Typography.Text type="secondary">{t('perm.view_implied')}</Typography.Text>}>
          <PermissionMatrix value={draft} onChange={setDraft} readOnly={readOnly} />
        </Card>
        <Card title={t('perm.fields')} extra={<Typography.Text type="secondary">{t('perm.fields_hint')}</Typography.Text>}>
          <FieldRules value={draft} onChange={setDraft} readOnly={readOnly} />
        </Card>
      </Flex>
    </>
  );
}
