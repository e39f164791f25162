import { Link, useSearchParams } from 'react-router';
import { Badge, Card, Collapse, Empty, Flex, Skeleton, Table, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { get, qs } from '@web/app/api';
import { useT } from '@web/app/i18n';
import { formatDateTime } from '@web/app/format';
import { PageHeader } from '@web/app/PageHeader';
import { LoadError } from '@web/app/StatusPages';
import { UserPicker } from '@web/features/org/shared/UserPicker';
import type { OverdueCustomer, OverdueGroup } from '@common/schemas/followups';

/** /customers/overdue (超期未拜访): customers past their category's visit cycle, grouped by owner, the most overdue first. */
export function OverdueVisitsPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const ownerId = params.get('ownerId') || undefined;
  const overdue = useQuery({
    queryKey: ['customers', 'overdueVisits', ownerId],
    queryFn: () => get<{ items: OverdueGroup[] }>(`/customers/overdue-visits${qs({ ownerId })}`).then((r) => r.items),
  });
  const groups = overdue.data ?? [];
  const total = groups.reduce((n, g) => n + g.count, 0);

  return (
    <>
      <PageHeader subTitle={overdue.data ? t('salesui.overdue.total', { count: total, owners: groups.length }) : undefined} />
      <Card>
        <Flex gap={8} style={{ marginBottom: 12 }}>
          <UserPicker
            value={ownerId}
            onChange={(v) => setParams(v ? { ownerId: v } : {}, { replace: true })}
            placeholder={t('customer.field.ownerId')}
          />
        </Flex>
        {overdue.isLoading ? (
          <Skeleton active />
        ) : overdue.isError ? (
          <LoadError onRetry={() => void overdue.refetch()} />
        ) : !groups.length ? (
          <Empty description={t('salesui.overdue.none')} />
        ) : (
          <Collapse
            defaultActiveKey={groups.length <= 5 ? groups.map((g) => g.ownerId) : [groups[0].ownerId]}
            data-testid="overdue-groups"
            items={groups.map((g) => ({
              key: g.ownerId,
              label: (
                <Flex gap={8} align="center">
                  <Typography.Text strong>{g.ownerName ?? '—'}</Typography.Text>
                  <Badge count={g.count} overflowCount={9999} />
                </Flex>
              ),
              children: <OwnerTable group={g} />,
            }))}
          />
        )}
      </Card>
    </>
  );
}

function OwnerTable({ group }: { group: OverdueGroup }) {
  const t = useT();
  return (
    <>
      <Table<OverdueCustomer>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={group.customers}
        columns={[
          { title: t('customer.field.name'), dataIndex: 'name', render: (n: string, c) => <Link to={`/customers/${c.id}`}>{n}</Link> },
          {
            title: t('customer.field.lastContactAt'),
            dataIndex: 'lastContactAt',
            width: 170,
            render: (v: string | null) => (v ? formatDateTime(v) : t('common.never')),
          },
          {
            title: t('salesui.overdue.days'),
            dataIndex: 'daysOverdue',
            width: 120,
            align: 'right',
            render: (d: number) => <Typography.Text type="danger">{t('salesui.overdue.days_n', { n: d })}</Typography.Text>,
          },
        ]}
      />
      {group.count > group.customers.length && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          <Link to={`/customers?overdue=true&ownerId=${group.ownerId}`}>{t('salesui.overdue.see_all', { count: group.count })}</Link>
        </Typography.Paragraph>
      )}
    </>
  );
}
