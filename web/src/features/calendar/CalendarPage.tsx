import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { Button, Card, Flex, Segmented, Space, Spin, Typography } from 'antd';
import { LeftOutlined, PlusOutlined, RightOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useT } from '@web/app/i18n';
import { useCan } from '@web/app/auth';
import { PageHeader } from '@web/app/PageHeader';
import { UserPicker } from '@web/features/org/shared/UserPicker';
import { rangeOf, useCalendar, type CalendarMode, type CalendarWho } from './api';
import { MonthView } from './MonthView';
import { ScheduleDrawer, type ScheduleTarget } from './ScheduleDrawer';
import { TimeGrid } from './TimeGrid';

const MODES: CalendarMode[] = ['day', 'week', 'month'];

/** /calendar (日程): day / week / month of my schedules, my team's (by scope) or one user's; add, edit, mark done. */
export function CalendarPage() {
  const t = useT();
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const mode: CalendarMode = (MODES as string[]).includes(params.get('mode') ?? '') ? (params.get('mode') as CalendarMode) : 'month';
  const parsed = dayjs(params.get('date') ?? '', 'YYYY-MM-DD', true);
  const date = parsed.isValid() ? parsed : dayjs().startOf('day');
  const who: CalendarWho = params.get('view') === 'team' ? 'team' : 'mine';
  const userId = who === 'team' ? params.get('userId') || undefined : undefined;
  const { from, to } = rangeOf(mode, date);
  const calendar = useCalendar(from, to, who, userId);
  const schedules = calendar.data ?? [];
  const [target, setTarget] = useState<ScheduleTarget>(null);

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
  const go = (d: Dayjs) => update({ date: d.format('YYYY-MM-DD') });
  const step = (n: number) => go(date.add(n, mode));

  const title =
    mode === 'day'
      ? date.format(t('salesui.calendar.day_format'))
      : mode === 'week'
        ? `${from.format('YYYY-MM-DD')} ~ ${to.subtract(1, 'day').format('MM-DD')}`
        : date.format(t('salesui.calendar.month_format'));
  const create = (start: Dayjs, allDay?: boolean) => {
    if (can('followups', 'create')) setTarget({ start, allDay });
  };

  return (
    <>
      <PageHeader
        extra={
          can('followups', 'create') && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => create(date.isSame(dayjs(), 'day') ? dayjs().add(1, 'hour').startOf('hour') : date.hour(9))}
            >
              {t('salesui.calendar.new')}
            </Button>
          )
        }
      />
      <Card>
        <Flex justify="space-between" align="center" gap={8} wrap style={{ marginBottom: 12 }}>
          <Space wrap>
            <Button icon={<LeftOutlined />} onClick={() => step(-1)} aria-label={t('salesui.calendar.prev')} />
            <Button onClick={() => go(dayjs())}>{t('salesui.calendar.today')}</Button>
            <Button icon={<RightOutlined />} onClick={() => step(1)} aria-label={t('salesui.calendar.next')} />
            <Typography.Title level={5} style={{ margin: 0 }} data-testid="calendar-title">
              {title}
            </Typography.Title>
            {calendar.isFetching && <Spin size="small" />}
          </Space>
          <Space wrap>
            <Segmented<CalendarWho>
              value={who}
              onChange={(v) => update({ view: v === 'team' ? 'team' : undefined, userId: undefined })}
              options={[
                { value: 'mine', label: t('salesui.calendar.mine') },
                { value: 'team', label: t('salesui.calendar.team') },
              ]}
            />
            {who === 'team' && (
              <UserPicker
                value={userId}
                onChange={(v) => update({ userId: v ?? undefined })}
                placeholder={t('salesui.calendar.all_members')}
              />
            )}
            <Segmented<CalendarMode>
              value={mode}
              onChange={(m) => update({ mode: m === 'month' ? undefined : m })}
              options={MODES.map((m) => ({ value: m, label: t(`salesui.calendar.mode.${m}`) }))}
            />
          </Space>
        </Flex>
        {mode === 'month' ? (
          <MonthView date={date} schedules={schedules} onCreate={create} onOpen={(s) => setTarget({ schedule: s })} />
        ) : (
          <TimeGrid
            days={Array.from({ length: mode === 'day' ? 1 : 7 }, (_, i) => from.add(i, 'day'))}
            schedules={schedules}
            onCreate={create}
            onOpen={(s) => setTarget({ schedule: s })}
          />
        )}
      </Card>
      <ScheduleDrawer target={target} onClose={() => setTarget(null)} />
    </>
  );
}
