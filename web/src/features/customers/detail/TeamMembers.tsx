import { useState } from 'react';
import { App, Button, Empty, Flex, Select, Space, Tag, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useT } from '@web/app/i18n';
import { UserPicker } from '@web/features/org/shared/UserPicker';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import type { CustomerDetail, TeamMember } from '../api';
import { useCustomerMutations } from '../useCustomerMutations';

type Row = { userId: string | null; name?: string; access: 'read' | 'write' };

/** Team members (团队成员) of a customer with read or write access; those who may edit the customer edit the list. */
export function TeamMembers({ customer: c }: { customer: CustomerDetail }) {
  const t = useT();
  const { message } = App.useApp();
  const feedback = useFeedback();
  const { setTeam } = useCustomerMutations();
  const team: TeamMember[] = c.team ?? [];
  const [rows, setRows] = useState<Row[] | null>(null);

  async function save() {
    if (!rows) return;
    const members = rows
      .filter((r): r is Row & { userId: string } => Boolean(r.userId))
      .map((r) => ({ userId: r.userId, access: r.access }));
    try {
      await setTeam.mutateAsync({ id: c.id, members });
      void message.success(t('common.saved'));
      setRows(null);
    } catch (e) {
      feedback.failure(e);
    }
  }

  if (!rows) {
    return (
      <Flex vertical gap={8} data-testid="customer-team">
        {team.length ? (
          <Space wrap>
            {team.map((m) => (
              <Tag key={m.userId} color={m.access === 'write' ? 'blue' : 'default'}>
                {m.name}（{t(`customer.team.${m.access}`)}）
              </Tag>
            ))}
          </Space>
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('customersui.team.empty')} />
        )}
        {c.canEdit && (
          <div>
            <Button
              icon={<EditOutlined />}
              onClick={() => setRows(team.map((m) => ({ userId: m.userId, name: m.name, access: m.access })))}
            >
              {t('customersui.team.edit')}
            </Button>
          </div>
        )}
      </Flex>
    );
  }

  const set = (i: number, patch: Partial<Row>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <Flex vertical gap={8} style={{ maxWidth: 520 }}>
      <Typography.Text type="secondary">{t('customersui.team.hint')}</Typography.Text>
      {rows.map((r, i) => (
        <Flex key={i} gap={8}>
          <UserPicker
            value={r.userId}
            currentName={r.name}
            excludeIds={[...(c.ownerId ? [c.ownerId] : []), ...rows.filter((_, j) => j !== i).map((x) => x.userId ?? '')]}
            onChange={(userId) => set(i, { userId })}
            style={{ flex: 1 }}
          />
          <Select
            value={r.access}
            onChange={(access: Row['access']) => set(i, { access })}
            style={{ width: 110 }}
            options={[
              { value: 'read', label: t('customer.team.read') },
              { value: 'write', label: t('customer.team.write') },
            ]}
          />
          <Button
            type="text"
            icon={<DeleteOutlined />}
            aria-label={t('common.delete')}
            onClick={() => setRows(rows.filter((_, j) => j !== i))}
          />
        </Flex>
      ))}
      <Button type="dashed" icon={<PlusOutlined />} onClick={() => setRows([...rows, { userId: null, access: 'read' }])}>
        {t('customersui.team.add')}
      </Button>
      <Space>
        <Button type="primary" loading={setTeam.isPending} onClick={() => void save()}>
          {t('common.save')}
        </Button>
        <Button onClick={() => setRows(null)}>{t('common.cancel')}</Button>
      </Space>
    </Flex>
  );
}
