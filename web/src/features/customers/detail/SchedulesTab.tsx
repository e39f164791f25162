import { Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { useT } from '@web/app/i18n';
import { formatDate, formatDateTime } from '@web/app/format';
import type { Schedule } from '../api';
import { useSchedules } from '../hooks';

/** 日程: the customer's schedules, newest first, with their done state. */
export function SchedulesTab({ customerId }: { customerId: string }) {
  const t = useT();
  const schedules = useSchedules(customerId);
  const columns: TableColumnsType<Schedule> = [
    {
      title: t('customersui.schedule.start'),
      key: 'start',
      width: 160,
      render: (_, s) => (s.allDay ? formatDate(s.startAt) : formatDateTime(s.startAt)),
    },
    { title: t('customersui.schedule.title'), dataIndex: 'title', ellipsis: true },
    { title: t('customersui.schedule.contact'), dataIndex: 'contactName', width: 110, render: (v: string | null) => v || '—' },
    { title: t('customersui.schedule.owner'), dataIndex: 'ownerName', width: 110, render: (v: string | null) => v || '—' },
    {
      title: t('customersui.schedule.status'),
      key: 'done',
      width: 90,
      render: (_, s) => (s.done ? <Tag color="green">{t('customersui.schedule.done')}</Tag> : <Tag>{t('customersui.schedule.open')}</Tag>),
    },
  ];
  return (
    <Table<Schedule>
      rowKey="id"
      size="middle"
      loading={schedules.isLoading}
      dataSource={schedules.data ?? []}
      columns={columns}
      pagination={false}
      expandable={{
        rowExpandable: (s) => Boolean(s.notes),
        expandedRowRender: (s) => <div style={{ whiteSpace: 'pre-wrap' }}>{s.notes}</div>,
      }}
    />
  );
}
