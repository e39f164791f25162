import { Card, Table, Tabs, Typography } from 'antd';
import { useSearchParams } from 'react-router';
import { useT } from '@web/app/i18n';
import { formatTime } from './shared/format';
import { PageHeader } from '@web/app/PageHeader';
import { JOB_STATUSES, useSchedules, type JobStatus, type Schedule } from './api';
import { JobsTable } from './JobsTable';

const TABS = [...JOB_STATUSES, 'schedules'] as const;
type Tab = (typeof TABS)[number];

/** /system/jobs: the job queue by status (the tab is in the URL) and the recurring schedules. */
export function JobsPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const raw = params.get('tab');
  const tab: Tab = (TABS as readonly string[]).includes(raw ?? '') ? (raw as Tab) : 'scheduled';

  return (
    <>
      <PageHeader />
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(k) => setParams({ tab: k }, { replace: true })}
          destroyOnHidden
          items={TABS.map((k) => ({
            key: k,
            label: t(`system.jobs.tab.${k}`),
            children: k === 'schedules' ? <SchedulesTable /> : <JobsTable status={k as JobStatus} />,
          }))}
        />
      </Card>
    </>
  );
}

function SchedulesTable() {
  const t = useT();
  const { data, isLoading } = useSchedules();
  return (
    <Table<Schedule>
      rowKey="name"
      size="middle"
      loading={isLoading}
      dataSource={data}
      pagination={false}
      columns={[
        { title: t('system.job.name'), dataIndex: 'name', render: (n: string) => <Typography.Text code>{n}</Typography.Text> },
        { title: t('system.schedule.cron'), dataIndex: 'cron', render: (c: string) => <Typography.Text code>{c}</Typography.Text> },
        { title: t('system.schedule.next_run'), dataIndex: 'nextRunAt', render: formatTime },
        { title: t('system.schedule.last_run'), dataIndex: 'lastRunAt', render: formatTime },
      ]}
    />
  );
}
