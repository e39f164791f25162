import { useState } from 'react';
import { Button, Flex, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useCan } from '@web/app/auth';
import { ScheduleDrawer, type ScheduleTarget } from '@web/features/calendar/ScheduleDrawer';
import { useT } from '@web/app/i18n';
import { formatDate, formatDateTime } from '@web/app/format';
import type { CustomerDetail, Schedule } from '../api';
import { useSchedules } from '../hooks';

/** 日程: the customer's schedules, newest first, with their done state; a new one is linked to the customer. */
export function SchedulesTab({ customer }: { customer: CustomerDetail }) {
  const t = useT();
  const can = useCan();
  const [target, setTarget] = useState<ScheduleTarget>(null);
  const schedules = useSchedules(customer.id);
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
    <Flex vertical gap={12}>
      {can('followups', 'create') && !customer.inPool ? (
        <Flex justify="end">
          <Button
            icon={<PlusOutlined />}
            onClick={() => setTarget({ start: dayjs().add(1, 'hour').startOf('hour'), customer: { id: customer.id, name: customer.name } })}
          >
            {t('customersui.schedule.add')}
          </Button>
        </Flex>
      ) : null}
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
      <ScheduleDrawer target={target} onClose={() => setTarget(null)} />
    </Flex>
  );
}
