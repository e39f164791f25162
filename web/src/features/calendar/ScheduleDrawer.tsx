import { App, Button, Col, DatePicker, Drawer, Flex, Form, Input, Popconfirm, Row, Select, Switch, Tag, Typography } from 'antd';
import { CheckOutlined, DeleteOutlined, UndoOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useT } from '@web/app/i18n';
import { useCan } from '@web/app/auth';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import type { CreateScheduleBody } from '@common/schemas/followups';
import { useScheduleMutations, type Schedule } from './api';
import { CustomerPicker } from '@web/features/customers/shared/CustomerPicker';

/** What the drawer edits: an existing schedule, or a new one starting at `start`. */
export type ScheduleTarget = { schedule: Schedule } | { start: Dayjs; allDay?: boolean; customer?: { id: string; name: string } } | null;

type Values = {
  title: string;
  allDay: boolean;
  start: Dayjs;
  end?: Dayjs | null;
  remindMinutes: number | 'none';
  customerId?: string | null;
  notes?: string;
};

const REMIND_OPTIONS = [0, 5, 15, 30, 60, 120, 1440];

/** Create or edit a schedule: title, time (or all day), reminder, customer, notes; mark done, delete. */
export function ScheduleDrawer({ target, onClose }: { target: ScheduleTarget; onClose: () => void }) {
  const t = useT();
  const schedule = target && 'schedule' in target ? target.schedule : null;
  return (
    <Drawer
      open={target !== null}
      onClose={onClose}
      title={schedule ? t('salesui.calendar.edit') : t('salesui.calendar.new')}
      size={560}
      destroyOnHidden
    >
      {target && <ScheduleForm key={schedule ? `${schedule.id}:${schedule.version}` : 'new'} target={target} onDone={onClose} />}
    </Drawer>
  );
}

function ScheduleForm({ target, onDone }: { target: NonNullable<ScheduleTarget>; onDone: () => void }) {
  const t = useT();
  const can = useCan();
  const { message } = App.useApp();
  const feedback = useFeedback();
  const [form] = Form.useForm<Values>();
  const { create, update, done, remove } = useScheduleMutations();
  const s = 'schedule' in target ? target.schedule : null;
  const allDay = Form.useWatch('allDay', form) ?? false;
  const editable = s ? s.canEdit : can('followups', 'create');

  const initial: Values = s
    ? {
        title: s.title,
        allDay: s.allDay,
        start: dayjs(s.startAt),
        end: s.endAt ? dayjs(s.endAt) : null,
        remindMinutes: s.remindMinutes ?? 'none',
        customerId: s.customerId,
        notes: s.notes ?? '',
      }
    : {
        title: '',
        allDay: 'start' in target ? Boolean(target.allDay) : false,
        start: 'start' in target ? target.start : dayjs(),
        end: null,
        remindMinutes: 15,
        customerId: 'customer' in target ? (target.customer?.id ?? null) : null,
      };

  async function submit(v: Values) {
    const start = v.allDay ? v.start.startOf('day') : v.start;
    const end = v.end ? (v.allDay ? v.end.endOf('day') : v.end) : null;
    const body: CreateScheduleBody = {
      title: v.title.trim(),
      allDay: v.allDay,
      startAt: start.toISOString(),
      endAt: end ? end.toISOString() : null,
      remindMinutes: v.remindMinutes === 'none' ? null : v.remindMinutes,
      notes: v.notes?.trim() || null,
    };
    // a lead's schedule keeps its lead: the customer is only set when chosen here
    if (!s?.leadId) body.customerId = v.customerId ?? null;
    try {
      if (s) await update.mutateAsync({ id: s.id, version: s.version, ...body });
      else await create.mutateAsync(body);
      void message.success(t('common.saved'));
      onDone();
    } catch (e) {
      feedback.failure(e, form);
    }
  }

  async function toggleDone() {
    if (!s) return;
    try {
      await done.mutateAsync({ id: s.id, done: !s.done, version: s.version });
      void message.success(t(s.done ? 'salesui.calendar.reopened' : 'salesui.calendar.marked_done'));
      onDone();
    } catch (e) {
      feedback.failure(e);
    }
  }

  async function onDelete() {
    if (!s) return;
    try {
      await remove.mutateAsync({ id: s.id, version: s.version });
      void message.success(t('salesui.calendar.deleted'));
      onDone();
    } catch (e) {
      feedback.failure(e);
    }
  }

  const timeFormat = allDay ? 'YYYY-MM-DD' : 'YYYY-MM-DD HH:mm';
  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={initial}
      onFinish={(v) => void submit(v)}
      disabled={!editable}
      data-testid="schedule-form"
    >
      {s && (
        <Flex gap={8} wrap style={{ marginBottom: 16 }}>
          {s.done ? <Tag color="green">{t('salesui.calendar.done')}</Tag> : <Tag>{t('salesui.calendar.open')}</Tag>}
          {s.ownerName && <Typography.Text type="secondary">{t('salesui.calendar.owner', { name: s.ownerName })}</Typography.Text>}
          {s.leadId && <Link to={`/leads/${s.leadId}`}>{s.leadName ?? s.leadId}</Link>}
        </Flex>
      )}
      <Form.Item
        name="title"
        label={t('salesui.calendar.title')}
        rules={[{ required: true, whitespace: true, message: t('admin.required') }, { max: 200 }]}
      >
        <Input autoFocus />
      </Form.Item>
      <Form.Item name="allDay" label={t('salesui.calendar.all_day')} valuePropName="checked">
        <Switch />
      </Form.Item>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="start" label={t('salesui.calendar.start')} rules={[{ required: true, message: t('admin.required') }]}>
            <DatePicker showTime={allDay ? false : { format: 'HH:mm', minuteStep: 5 }} format={timeFormat} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="end" label={t('salesui.calendar.end')}>
            <DatePicker showTime={allDay ? false : { format: 'HH:mm', minuteStep: 5 }} format={timeFormat} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="remindMinutes" label={t('salesui.calendar.remind')}>
        <Select
          options={[
            { value: 'none', label: t('salesui.calendar.remind.none') },
            ...[...new Set([...REMIND_OPTIONS, ...(s?.remindMinutes != null ? [s.remindMinutes] : [])])]
              .sort((a, b) => a - b)
              .map((m) => ({ value: m, label: remindLabel(t, m) })),
          ]}
        />
      </Form.Item>
      {!s?.leadId && (
        <Form.Item name="customerId" label={t('salesui.calendar.customer')}>
          <CustomerPicker currentName={s?.customerName ?? ('customer' in target ? target.customer?.name : null)} />
        </Form.Item>
      )}
      <Form.Item name="notes" label={t('salesui.calendar.notes')} rules={[{ max: 5000 }]}>
        <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} />
      </Form.Item>
      <Flex gap={8} wrap>
        {editable && (
          <Button type="primary" htmlType="submit" loading={create.isPending || update.isPending}>
            {t('common.save')}
          </Button>
        )}
        {s?.canEdit && (
          <Button
            icon={s.done ? <UndoOutlined /> : <CheckOutlined />}
            onClick={() => void toggleDone()}
            loading={done.isPending}
            disabled={false}
          >
            {t(s.done ? 'salesui.calendar.reopen' : 'salesui.calendar.mark_done')}
          </Button>
        )}
        {s?.canEdit && can('followups', 'delete') && (
          <Popconfirm
            title={t('salesui.calendar.delete_confirm')}
            onConfirm={() => void onDelete()}
            okText={t('common.delete')}
            cancelText={t('common.cancel')}
          >
            <Button danger icon={<DeleteOutlined />} disabled={false}>
              {t('common.delete')}
            </Button>
          </Popconfirm>
        )}
        <Button onClick={onDone} disabled={false}>
          {t('common.close')}
        </Button>
      </Flex>
    </Form>
  );
}

/** 提前 15 分钟 / 1 小时 / 1 天; 0 → at the start. */
export function remindLabel(t: (k: string, p?: Record<string, string | number>) => string, minutes: number): string {
  if (minutes === 0) return t('salesui.calendar.remind.at_start');
  if (minutes % 1440 === 0) return t('salesui.calendar.remind.days', { n: minutes / 1440 });
  if (minutes % 60 === 0) return t('salesui.calendar.remind.hours', { n: minutes / 60 });
  return t('salesui.calendar.remind.minutes', { n: minutes });
}
