import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { get, qs } from '@web/app/api';
import type { CompanySettingsDto, JobItem, JobScheduleItem, JobStatus, RecycleItem } from '@common/schemas/platform';

export { JOB_STATUSES } from '@common/schemas/platform';
export type { JobStatus, RecycleItem };
export type Job = JobItem;
export type Schedule = JobScheduleItem;
export type CompanySettings = CompanySettingsDto;

type Page<T> = { items: T[]; nextCursor: string | null };

export const systemKeys = {
  jobs: ['system', 'jobs'] as const,
  schedules: ['system', 'schedules'] as const,
  recycle: ['system', 'recycle'] as const,
  company: ['system', 'company'] as const,
};

function useKeyset<T>(
  key: readonly unknown[],
  path: string,
  params: Record<string, string | undefined>,
  limit = 50,
  refetchInterval?: number,
) {
  return useInfiniteQuery({
    queryKey: [...key, params, limit],
    queryFn: ({ pageParam }) => get<Page<T>>(`${path}${qs({ ...params, cursor: pageParam, limit })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval,
  });
}

/** Jobs of one status; running and scheduled ones refresh every few seconds while the page is open. */
export const useJobs = (status: JobStatus) =>
  useKeyset<Job>(systemKeys.jobs, '/jobs', { status }, 50, status === 'running' || status === 'scheduled' ? 5000 : undefined);

export const useSchedules = () =>
  useQuery({ queryKey: systemKeys.schedules, queryFn: () => get<{ items: Schedule[] }>('/jobs/schedules').then((r) => r.items) });

export const useRecycleBin = (entity: string | undefined) => useKeyset<RecycleItem>(systemKeys.recycle, '/recycle-bin', { entity });

export const useCompanySettings = () =>
  useQuery({ queryKey: systemKeys.company, queryFn: () => get<CompanySettings>('/settings/company') });
