import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Button, Card, Table, Tabs, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useInfiniteQuery } from '@tanstack/react-query';
import { get, qs } from '@web/app/api';
import { useT } from '@web/app/i18n';
import { useMe } from '@web/app/auth';
import { formatDateTime } from '@web/app/format';
import { PageHeader } from '@web/app/PageHeader';
import { LoadMore } from '@web/features/system/shared/LoadMore';
import type { CustomerReport, ReportStatus } from '@common/schemas/reports';
import { ResolveModal } from './ResolveModal';

type Tab = 'open' | 'resolved' | 'mine';
const STATUS_COLORS: Record<ReportStatus, string> = {
  open: 'orange',
  merged: 'purple',
  recategorised: 'blue',
  reassigned: 'cyan',
  dismissed: 'default',
};

function useReports(tab: Tab) {
  return useInfiniteQuery({
    queryKey: ['customerReports', tab],
    queryFn: ({ pageParam }) =>
      get<{ items: CustomerReport[]; nextCursor: string | null }>(
        tab === 'mine'
          ? `/customer-reports/mine${qs({ cursor: pageParam })}`
          : `/customer-reports${qs({ status: tab, cursor: pageParam })}`,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** /customers/reports (客户举报): admins work the open queue and see what was settled; everyone sees their own reports. */
export function ReportsPage() {
  const t = useT();
  const { capabilities } = useMe();
  const admin = capabilities.isAdmin;
  const [params, setParams] = useSearchParams();
  const tabs: Tab[] = admin ? ['open', 'resolved', 'mine'] : ['mine'];
  const tab = tabs.includes(params.get('tab') as Tab) ? (params.get('tab') as Tab) : tabs[0];
  const list = useReports(tab);
  const reports = list.data?.pages.flatMap((p) => p.items) ?? [];
  const [resolving, setResolving] = useState<CustomerReport | null>(null);

  const customer = (id: string, name: string | null, deleted = false) =>
    name ? deleted ? <Typography.Text delete>{name}</Typography.Text> : <Link to={`/customers/${id}`}>{name}</Link> : '—';
  const columns: TableColumnsType<CustomerReport> = [
    { title: t('reports.createdAt'), dataIndex: 'createdAt', width: 150, render: formatDateTime },
    { title: t('customer.entity'), key: 'customer', render: (_, r) => customer(r.customerId, r.customerName, r.customerDeleted) },
    { title: t('reports.kind'), dataIndex: 'kind', width: 100, render: (k: string) => t(`reports.kind.${k}`) },
    {
      title: t('reports.target'),
      key: 'target',
      render: (_, r) =>
        r.targetCustomerId ? (
          <>
            {customer(r.targetCustomerId, r.targetCustomerName)}
            {r.targetOwnerName ? <Typography.Text type="secondary">（{r.targetOwnerName}）</Typography.Text> : null}
          </>
        ) : (
          '—'
        ),
    },
    {
      title: t('customer.field.ownerName'),
      dataIndex: 'customerOwnerName',
      width: 100,
      render: (v: string | null) => v || t('customer.owner.pool'),
    },
    { title: t('reports.note'), dataIndex: 'note', ellipsis: true },
    ...(tab !== 'mine' ? [{ title: t('reports.reporter'), dataIndex: 'reporterName', width: 100 }] : []),
    {
      title: t('reports.status'),
      dataIndex: 'status',
      width: 100,
      render: (s: ReportStatus) => <Tag color={STATUS_COLORS[s]}>{t(`reports.status.${s}`)}</Tag>,
    },
    ...(tab === 'open'
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 90,
            render: (_: unknown, r: CustomerReport) => (
              <Button size="small" type="primary" onClick={() => setResolving(r)}>
                {t('salesui.reports.resolve')}
              </Button>
            ),
          },
        ]
      : [
          {
            title: t('reports.resolutionNote'),
            key: 'resolution',
            ellipsis: true,
            render: (_: unknown, r: CustomerReport) =>
              r.resolvedAt
                ? `${r.resolvedByName ?? ''} ${formatDateTime(r.resolvedAt)}${r.resolutionNote ? `：${r.resolutionNote}` : ''}`
                : '—',
          },
        ]),
  ];

  return (
    <>
      <PageHeader />
      <Card>
        {tabs.length > 1 && (
          <Tabs
            activeKey={tab}
            onChange={(k) => setParams({ tab: k }, { replace: true })}
            items={tabs.map((k) => ({
              key: k,
              label: t(k === 'mine' ? 'reports.mine' : k === 'open' ? 'reports.queue' : 'salesui.reports.resolved_tab'),
            }))}
          />
        )}
        <Table<CustomerReport>
          rowKey="id"
          size="middle"
          loading={list.isLoading}
          dataSource={reports}
          columns={columns}
          pagination={false}
          scroll={{ x: 1000 }}
          locale={{ emptyText: t('salesui.reports.empty') }}
          data-testid="reports-table"
        />
        <LoadMore
          hasMore={Boolean(list.hasNextPage)}
          loading={list.isFetchingNextPage}
          onMore={() => void list.fetchNextPage()}
          shown={reports.length}
        />
      </Card>
      <ResolveModal report={resolving} onClose={() => setResolving(null)} />
    </>
  );
}
