import { useEffect, useState } from 'react';
import { Alert, Checkbox, Empty, Form, Modal, Skeleton, Table, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { get } from '@web/app/api';
import { useT } from '@web/app/i18n';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import { labelOr } from '@web/features/system/shared/format';
import { orgKeys } from '../shared/hooks';
import { UserPicker } from '../shared/UserPicker';
import type { HandoverCount, User } from '../shared/types';
import { useUserMutations } from './useUserMutations';

type Values = { toUserId: string; entities: string[] };
type Moved = { entity: string; moved: number }[];

/** Hand a (departing) user's records over to another user, per record type, in one go. */
export function HandoverModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const feedback = useFeedback();
  const { handover } = useUserMutations();
  const [moved, setMoved] = useState<Moved | null>(null);

  const counts = useQuery({
    queryKey: orgKeys.handover(user?.id ?? ''),
    queryFn: () => get<{ items: HandoverCount[] }>(`/users/${user?.id}/handover`).then((r) => r.items),
    enabled: Boolean(user),
  });
  const items = counts.data ?? [];
  const labels = new Map(items.map((i) => [i.entity, labelOr(t, i.labelKey, i.entity)]));
  const total = items.reduce((n, i) => n + i.count, 0);

  useEffect(() => {
    if (!user) setMoved(null);
  }, [user]);

  async function submit(values: Values) {
    if (!user) return;
    try {
      const res = await handover.mutateAsync({ id: user.id, toUserId: values.toUserId, entities: values.entities });
      setMoved(res.items);
      feedback.success('orgui.handover.done', { count: res.items.reduce((n, i) => n + i.moved, 0) });
    } catch (err) {
      feedback.failure(err, form);
    }
  }

  const done = moved !== null;
  // nothing to hand over (or already done): the only button left closes the dialog
  const closeOnly = done || (!counts.isLoading && total === 0);
  return (
    <Modal
      open={Boolean(user)}
      title={t('orgui.handover.title', { name: user?.name ?? '' })}
      okText={closeOnly ? t('common.close') : t('orgui.handover.submit')}
      cancelText={t('common.cancel')}
      cancelButtonProps={{ style: closeOnly ? { display: 'none' } : undefined }}
      okButtonProps={{ disabled: counts.isLoading }}
      confirmLoading={handover.isPending}
      onOk={() => (closeOnly ? onClose() : form.submit())}
      onCancel={onClose}
      destroyOnHidden
    >
      {counts.isLoading ? (
        <Skeleton active />
      ) : done ? (
        <Table
          size="small"
          rowKey="entity"
          pagination={false}
          dataSource={moved}
          columns={[
            { title: t('orgui.handover.entity'), dataIndex: 'entity', render: (e: string) => labels.get(e) ?? e },
            { title: t('orgui.handover.moved'), dataIndex: 'moved', align: 'right' },
          ]}
        />
      ) : total === 0 ? (
        <Empty description={t('orgui.handover.nothing')} />
      ) : (
        <Form
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={{ entities: items.filter((i) => i.count > 0).map((i) => i.entity) }}
        >
          <Typography.Paragraph type="secondary">{t('orgui.handover.hint')}</Typography.Paragraph>
          <Form.Item name="toUserId" label={t('orgui.handover.to')} rules={[{ required: true, message: t('admin.required') }]}>
            <UserPicker excludeIds={user ? [user.id] : []} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            name="entities"
            label={t('orgui.handover.entities')}
            rules={[{ required: true, type: 'array', min: 1, message: t('orgui.handover.choose_one') }]}
          >
            <Checkbox.Group
              style={{ display: 'flex', flexDirection: 'column', gap: 6 }}
              options={items.map((i) => ({
                value: i.entity,
                disabled: i.count === 0,
                label: t('orgui.handover.entity_count', { label: labels.get(i.entity) ?? i.entity, count: i.count }),
              }))}
            />
          </Form.Item>
        </Form>
      )}
      {counts.isError && <Alert type="error" showIcon title={counts.error.message} />}
    </Modal>
  );
}
