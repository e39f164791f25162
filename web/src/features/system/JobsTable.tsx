import { Button, Table, Tag, Tooltip, Typography } from 'antd';
import { RedoOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { post } from '@web/app/api';
import { useT } from '@web/app/i18n';
import { formatTime } from './shared/format';
import { LoadMore } from './shared/LoadMore';
import { useFeedback } from './shared/useFeedback';
import { systemKeys, useJobs, type Job, type JobStatus } from './api';

/** Jobs of one status; a failed job can be retried (it goes back to the queue). */
export function JobsTable({ status }: { status: JobStatus }) {
  const t = useT();
  const feedback = useFeedback();
  const qc = useQueryClient();
  const jobs = useJobs(status);
  const items = jobs.data?.pages.flatMap((p) => p.items) ?? [];
  const retry = useMutation({
    mutationFn: (id: string) => post(`/jobs/${id}/retry`),
    onSuccess: () => qc.invalidateQueries({ queryKey: systemKeys.jobs }),
  });

  return (
    <>
      <Table<Job>
        rowKey="id"
        size="middle"
        loading={jobs.isLoading}
        dataSource={items}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('system.job.name'), dataIndex: 'name', render: (n: string) => <Typography.Text code>{n}</Typography.Text> },
          { title: t('system.job.run_at'), dataIndex: 'runAt', width: 170, render: formatTime },
          {
            title: t('system.job.attempts'),
            key: 'attempts',
            width: 90,
            align: 'right',
            render: (_, j) => (
              <Tag color={j.attempts >= j.maxAttempts && status === 'failed' ? 'red' : undefined}>
                {j.attempts}/{j.maxAttempts}
              </Tag>
            ),
          },
          { title: t('system.job.dedupe_key'), dataIndex: 'dedupeKey', width: 160, ellipsis: true, render: (k: string | null) => k ?? '—' },
          ...(status === 'failed' || status === 'scheduled'
            ? [
                {
                  title: t('system.job.last_error'),
                  dataIndex: 'lastError',
                  width: 280,
                  ellipsis: { showTitle: false },
                  render: (e: string | null) =>
                    e ? (
                      <Tooltip title={<pre style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{e}</pre>}>
                        <Typography.Text type="danger">{e}</Typography.Text>
                      </Tooltip>
                    ) : (
                      '—'
                    ),
                },
              ]
            : []),
          { title: t('system.job.created_at'), dataIndex: 'createdAt', width: 170, render: formatTime },
          ...(status === 'done' || status === 'failed'
            ? [{ title: t('system.job.finished_at'), dataIndex: 'finishedAt', width: 170, render: formatTime }]
            : []),
          ...(status === 'failed'
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 100,
                  fixed: 'right' as const,
                  render: (_: unknown, j: Job) => (
                    <Button
                      size="small"
                      icon={<RedoOutlined />}
                      loading={retry.isPending && retry.variables === j.id}
                      onClick={() =>
                        retry.mutate(j.id, {
                          onSuccess: () => feedback.success('system.job.retried', { name: j.name }),
                          onError: (e) => feedback.failure(e),
                        })
                      }
                    >
                      {t('system.job.retry')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <LoadMore
        hasMore={Boolean(jobs.hasNextPage)}
        loading={jobs.isFetchingNextPage}
        onMore={() => void jobs.fetchNextPage()}
        shown={items.length}
      />
    </>
  );
}
