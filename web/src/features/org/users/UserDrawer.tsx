import { useState } from 'react';
import { Button, Drawer, Form, Skeleton, Space, Tabs } from 'antd';
import { useT } from '@web/app/i18n';
import { useCan } from '@web/app/auth';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import { RecordHistory } from '@web/features/audit/RecordHistory';
import { useDepartments, useUser } from '../shared/hooks';
import type { User } from '../shared/types';
import { UserForm, type UserFormValues } from './UserForm';
import { useUserMutations, type UserCreate } from './useUserMutations';

type Props = {
  /** `'new'` to create, a user id to edit, `null` when closed */
  target: string | null;
  onClose: () => void;
};

/** Create or edit a user; an existing user's change history is a second tab. */
export function UserDrawer({ target, onClose }: Props) {
  const t = useT();
  const isNew = target === 'new';
  const { data: user, isLoading } = useUser(target && !isNew ? target : undefined);
  // the new-user form defaults to the top department, so it waits for the tree
  const departments = useDepartments();
  const [tab, setTab] = useState('profile');
  const title = isNew ? t('orgui.user.create_title') : (user?.name ?? '');

  return (
    <Drawer
      open={target !== null}
      onClose={onClose}
      title={title}
      size={680}
      destroyOnHidden
      afterOpenChange={(open) => !open && setTab('profile')}
    >
      {isNew ? (
        departments.data ? (
          <UserEditor user={null} onDone={onClose} />
        ) : (
          <Skeleton active />
        )
      ) : isLoading || !user ? (
        <Skeleton active />
      ) : (
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            {
              key: 'profile',
              label: t('orgui.user.tab_profile'),
              children: <UserEditor key={user.version} user={user} onDone={onClose} />,
            },
            { key: 'history', label: t('orgui.user.tab_history'), children: <RecordHistory entity="user" id={user.id} /> },
          ]}
        />
      )}
    </Drawer>
  );
}

function UserEditor({ user, onDone }: { user: User | null; onDone: () => void }) {
  const t = useT();
  const can = useCan();
  const [form] = Form.useForm<UserFormValues>();
  const feedback = useFeedback();
  const { create, update } = useUserMutations();
  const readOnly = !can('org', user ? 'edit' : 'create');

  async function submit(v: UserFormValues) {
    const orNull = (s: string | undefined) => (s?.trim() ? s.trim() : null);
    try {
      if (!user) {
        const body: UserCreate = {
          username: v.username.trim(),
          name: v.name.trim(),
          email: orNull(v.email) ?? undefined,
          mobile: orNull(v.mobile) ?? undefined,
          departmentId: v.departmentId,
          positionId: v.positionId ?? undefined,
          supervisorId: v.supervisorId ?? undefined,
          isAdmin: v.isAdmin,
          password: v.password ?? '',
        };
        await create.mutateAsync(body);
      } else {
        const next = {
          name: v.name.trim(),
          email: 'email' in v ? orNull(v.email) : undefined,
          mobile: 'mobile' in v ? orNull(v.mobile) : undefined,
          departmentId: v.departmentId,
          positionId: v.positionId ?? null,
          supervisorId: v.supervisorId ?? null,
          isAdmin: v.isAdmin,
        };
        // Send only what changed: the audit log then records exactly the user's edit.
        const changed = Object.fromEntries(
          Object.entries(next).filter(([k, val]) => val !== undefined && val !== ((user as Record<string, unknown>)[k] ?? null)),
        );
        if (Object.keys(changed).length) await update.mutateAsync({ id: user.id, version: user.version, ...changed });
      }
      feedback.success('common.saved');
      onDone();
    } catch (err) {
      feedback.failure(err, form);
    }
  }

  return (
    <>
      <UserForm form={form} user={user} onFinish={submit} readOnly={readOnly} />
      {!readOnly && (
        <Space style={{ marginTop: 8 }}>
          <Button type="primary" loading={create.isPending || update.isPending} onClick={() => form.submit()}>
            {t('common.save')}
          </Button>
          <Button onClick={onDone}>{t('common.cancel')}</Button>
        </Space>
      )}
    </>
  );
}
