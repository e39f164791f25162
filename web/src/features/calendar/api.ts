import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { del, get, patch, post, qs } from '@web/app/api';
import type { CreateScheduleBody, Schedule, UpdateScheduleBody } from '@common/schemas/followups';
import dayjs, { type Dayjs } from 'dayjs';

export type { Schedule };

export type CalendarMode = 'day' | 'week' | 'month';
export type CalendarWho = 'mine' | 'team';

/** Every schedule query key starts with this; the customer pages' schedule tabs refresh with it too. */
export const SCHEDULES_KEY = ['schedules'] as const;

/** The time span a calendar mode shows around `date`: a day, a week, or the month grid's six weeks. */
export function rangeOf(mode: CalendarMode, date: Dayjs): { from: Dayjs; to: Dayjs } {
  if (mode === 'day') return { from: date.startOf('day'), to: date.startOf('day').add(1, 'day') };
  if (mode === 'week') {
    const from = date.startOf('week');
    return { from, to: from.add(7, 'day') };
  }
  const from = date.startOf('month').startOf('week');
  return { from, to: from.add(42, 'day') };
}

/** GET /schedules?from&to: the schedules of mine / my team / one user overlapping the range. */
export function useCalendar(from: Dayjs, to: Dayjs, who: CalendarWho, userId?: string) {
  const params = { from: from.toISOString(), to: to.toISOString(), view: userId ? undefined : who, userId };
  return useQuery({
    queryKey: [...SCHEDULES_KEY, 'calendar', params],
    queryFn: () => get<{ items: Schedule[] }>(`/schedules${qs(params)}`).then((r) => r.items),
    placeholderData: keepPreviousData,
  });
}

export function useSchedule(id: string | undefined) {
  return useQuery({
    queryKey: [...SCHEDULES_KEY, 'one', id ?? ''],
    queryFn: () => get<Schedule>(`/schedules/${id}`),
    enabled: Boolean(id),
  });
}

/** Writes on schedules; each refreshes the calendar and the customers' schedule tabs. */
export function useScheduleMutations() {
  const qc = useQueryClient();
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: SCHEDULES_KEY });
    void qc.invalidateQueries({ queryKey: ['customers'] });
    void qc.invalidateQueries({ queryKey: ['leads'] });
  };
  return {
    create: useMutation({ mutationFn: (body: CreateScheduleBody) => post<Schedule>('/schedules', body), onSuccess: refresh }),
    update: useMutation({
      mutationFn: ({ id, ...body }: UpdateScheduleBody & { id: string }) => patch<Schedule>(`/schedules/${id}`, body),
      onSuccess: refresh,
    }),
    done: useMutation({
      mutationFn: ({ id, done, version }: { id: string; done: boolean; version?: number }) =>
        post<Schedule>(`/schedules/${id}/done`, { done, version }),
      onSuccess: refresh,
    }),
    remove: useMutation({
      mutationFn: ({ id, version }: { id: string; version: number }) => del<void>(`/schedules/${id}${qs({ version })}`),
      onSuccess: refresh,
    }),
  };
}

/** Whether a schedule shows on `day` (it starts that day, or spans it). */
export function onDay(s: Schedule, day: Dayjs): boolean {
  const start = dayjs(s.startAt);
  const end = s.endAt ? dayjs(s.endAt) : start;
  return !start.isAfter(day.endOf('day')) && !end.isBefore(day.startOf('day')) && !(end.isSame(day.startOf('day')) && !start.isSame(end));
}
