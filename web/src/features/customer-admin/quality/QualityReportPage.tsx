import { useSearchParams } from 'react-router';
import { Card, DatePicker, Flex, Table, Tag, TreeSelect, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { get, qs } from '@web/app/api';
import { useT } from '@web/app/i18n';
import { useCan } from '@web/app/auth';
import { PageHeader } from '@web/app/PageHeader';
import { LoadError } from '@web/app/StatusPages';
import { useDepartments } from '@web/features/org/shared/hooks';
import { treeSelectData } from '@web/features/org/shared/tree';
import type { QualityReport, QualityReportRow } from '@common/schemas/reports';

const COUNTS = ['duplicateAttempts', 'incompleteSaves', 'overdueVisits', 'owned', 'incompleteNow', 'issues'] as const;

/** /customers/quality (数据质量): per salesperson, duplicates attempted, incomplete saves, overdue visits, incomplete records, for a period and department. */
export function QualityReportPage() {
  const t = useT();
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const query = {
    from: params.get('from') || undefined,
    to: params.get('to') || undefined,
    departmentId: params.get('departmentId') || undefined,
  };
  const report = useQuery({
    queryKey: ['customers', 'quality', query],
    queryFn: () => get<QualityReport>(`/customers/quality-report${qs(query)}`),
    placeholderData: keepPreviousData,
  });
  const departments = useDepartments();
  const mayPickDepartment = can('org', 'view');
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

  const columns: TableColumnsType<QualityReportRow> = [
    {
      title: t('quality.user'),
      dataIndex: 'userName',
      fixed: 'left',
      render: (name: string, r) => (
        <>
          {name} {r.inactive && <Tag>{t('quality.inactive')}</Tag>}
        </>
      ),
    },
    { title: t('quality.department'), dataIndex: 'departmentName', render: (v: string | null) => v || '—' },
    ...COUNTS.map((k) => ({
      title: t(`quality.${k}`),
      dataIndex: k,
      width: 120,
      align: 'right' as const,
      sorter: (a: QualityReportRow, b: QualityReportRow) => a[k] - b[k],
      render: (n: number) =>
        k === 'issues' && n > 0 ? (
          <Typography.Text type="danger" strong>
            {n}
          </Typography.Text>
        ) : (
          n
        ),
    })),
  ];
  const data = report.data;

  return (
    <>
      <PageHeader subTitle={data ? t('salesui.quality.period', { from: data.from, to: data.to }) : undefined} />
      <Card>
        <Flex gap={8} wrap style={{ marginBottom: 12 }}>
          <DatePicker.RangePicker
            allowClear={false}
            value={data ? [dayjs(data.from), dayjs(data.to)] : null}
            onChange={(v) => update({ from: v?.[0]?.format('YYYY-MM-DD'), to: v?.[1]?.format('YYYY-MM-DD') })}
            presets={[
              { label: t('salesui.quality.this_month'), value: [dayjs().startOf('month'), dayjs()] },
              {
                label: t('salesui.quality.last_month'),
                value: [dayjs().subtract(1, 'month').startOf('month'), dayjs().subtract(1, 'month').endOf('month')],
              },
              { label: t('salesui.quality.this_year'), value: [dayjs().startOf('year'), dayjs()] },
            ]}
            aria-label={t('quality.period')}
          />
          {mayPickDepartment && (
            <TreeSelect
              allowClear
              value={query.departmentId}
              onChange={(v?: string) => update({ departmentId: v })}
              treeData={treeSelectData(departments.data ?? [])}
              treeDefaultExpandAll
              placeholder={t('quality.department')}
              style={{ width: 220 }}
            />
          )}
        </Flex>
        {report.isError ? (
          <LoadError onRetry={() => void report.refetch()} />
        ) : (
          <Table<QualityReportRow>
            rowKey="userId"
            size="middle"
            loading={report.isFetching}
            dataSource={data?.items ?? []}
            columns={columns}
            pagination={false}
            scroll={{ x: 900 }}
            data-testid="quality-table"
            summary={() =>
              data ? (
                <Table.Summary fixed>
                  <Table.Summary.Row>
                    <Table.Summary.Cell index={0} colSpan={2}>
                      <Typography.Text strong>{t('quality.totals')}</Typography.Text>
                    </Table.Summary.Cell>
                    {COUNTS.map((k, i) => (
                      <Table.Summary.Cell key={k} index={i + 2} align="right">
                        <Typography.Text strong>{data.totals[k]}</Typography.Text>
                      </Table.Summary.Cell>
                    ))}
                  </Table.Summary.Row>
                </Table.Summary>
              ) : null
            }
          />
        )}
      </Card>
    </>
  );
}
