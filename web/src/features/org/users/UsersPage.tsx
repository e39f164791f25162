import { useState } from 'react';
import { App, Button, Card } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useSearchParams } from 'react-router';
import { useT } from '@web/app/i18n';
import { useCan } from '@web/app/auth';
import { LoadMore } from '@web/features/system/shared/LoadMore';
import { PageHeader } from '@web/app/PageHeader';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import { useInviteUser } from '@web/features/mail/invite/useInviteUser';
import { useUserList, type UserFilters as Filters } from '../shared/hooks';
import type { User, UserStatus } from '../shared/types';
import { HandoverModal } from './HandoverModal';
import { ResetPasswordModal } from './ResetPasswordModal';
import { UserDrawer } from './UserDrawer';
import { UserFilters } from './UserFilters';
import { UsersTable, type UserAction } from './UsersTable';
import { useUserMutations } from './useUserMutations';

const FILTER_KEYS = ['q', 'departmentId', 'positionId', 'status'] as const;

/** /org/users: search and filter users (filters live in the URL), edit in a drawer (`?edit=<id>` or `?edit=new`). */
export function UsersPage() {
  const t = useT();
  const can = useCan();
  const { modal } = App.useApp();
  const feedback = useFeedback();
  const [params, setParams] = useSearchParams();
  const filters: Filters = Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k) || undefined]));
  const list = useUserList(filters);
  const users = list.data?.pages.flatMap((p) => p.items) ?? [];
  const { setStatus } = useUserMutations();
  const invite = useInviteUser();
  const [resetting, setResetting] = useState<User | null>(null);
  const [handingOver, setHandingOver] = useState<User | null>(null);

  const update = (patch: Record<string, string | undefined>) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(patch))
          if (v) next.set(k, v);
          else next.delete(k);
        return next;
      },
      { replace: true },
    );

  function changeStatus(u: User, status: UserStatus, confirmKey: string, okKey: string, then?: () => void) {
    void modal.confirm({
      title: t(confirmKey, { name: u.name }),
      content: t(`${confirmKey}_hint`),
      okText: t('common.confirm'),
      okButtonProps: { danger: status !== 'active' },
      cancelText: t('common.cancel'),
      onOk: () =>
        setStatus.mutateAsync({ id: u.id, status }).then(
          () => {
            feedback.success(okKey, { name: u.name });
            then?.();
          },
          (e: unknown) => feedback.failure(e),
        ),
    });
  }

  function onAction(action: UserAction, u: User) {
    switch (action) {
      case 'edit':
        return update({ edit: u.id });
      case 'reset_password':
        return setResetting(u);
      case 'invite':
        return invite(u);
      case 'disable':
        return changeStatus(u, 'disabled', 'orgui.user.disable_confirm', 'orgui.user.disabled_ok');
      case 'enable':
        return changeStatus(u, 'active', 'orgui.user.enable_confirm', 'orgui.user.enabled_ok');
      case 'leave':
        // Leaving keeps every record; the handover is offered straight away.
        return changeStatus(u, 'left', 'orgui.user.leave_confirm', 'orgui.user.left_ok', () => setHandingOver({ ...u, status: 'left' }));
      case 'handover':
        return setHandingOver(u);
    }
  }

  return (
    <>
      <PageHeader
        extra={
          can('org', 'create') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => update({ edit: 'new' })}>
              {t('orgui.user.create')}
            </Button>
          )
        }
      />
      <Card>
        <UserFilters value={filters} onChange={(f) => update({ ...f })} />
        <UsersTable users={users} loading={list.isLoading} onAction={onAction} />
        <LoadMore
          hasMore={Boolean(list.hasNextPage)}
          loading={list.isFetchingNextPage}
          onMore={() => void list.fetchNextPage()}
          shown={users.length}
          total={list.data?.pages[0]?.total}
        />
      </Card>
      <UserDrawer target={params.get('edit')} onClose={() => update({ edit: undefined })} />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />
      <HandoverModal user={handingOver} onClose={() => setHandingOver(null)} />
    </>
  );
}
