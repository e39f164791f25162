import { Alert, Empty, Flex, Skeleton, Tag, Timeline, Typography } from 'antd';
import { useT } from '@web/app/i18n';
import { formatTime } from '@web/features/system/shared/format';
import { LoadMore } from '@web/features/system/shared/LoadMore';
import { useRecordHistory } from './api';
import { ChangesTable } from './ChangesTable';
import { actionLabel } from './labels';
import { formatDetail } from './useValueFormatter';

/**
 * One record's change history (GET /audit/:entity/:id), newest first: who did what and when,
 * with the changed fields. For any record page: `<RecordHistory entity="user" id={user.id} />`.
 */
export function RecordHistory({ entity, id }: { entity: string; id: string }) {
  const t = useT();
  const history = useRecordHistory(entity, id);
  const entries = history.data?.pages.flatMap((p) => p.items) ?? [];

  if (history.isLoading) return <Skeleton active />;
  if (history.isError) return <Alert type="error" showIcon title={history.error.message} />;
  if (!entries.length) return <Empty description={t('audit.history_empty')} />;

  return (
    <>
      <Timeline
        items={entries.map((e) => ({
          key: e.id,
          color: e.action === 'delete' || e.action === 'login_failed' ? 'red' : e.action === 'create' ? 'green' : 'blue',
          content: (
            <Flex vertical gap={6}>
              <Flex gap={8} align="center" wrap>
                <Typography.Text type="secondary">{formatTime(e.at)}</Typography.Text>
                <Typography.Text strong>{e.actorName ?? t('audit.system_actor')}</Typography.Text>
                <Tag>{actionLabel(t, e.action)}</Tag>
                {e.detail && <Typography.Text type="secondary">{formatDetail(t, e.detail)}</Typography.Text>}
              </Flex>
              {e.changes && <ChangesTable changes={e.changes} entity={e.entity} />}
            </Flex>
          ),
        }))}
      />
      <LoadMore
        hasMore={Boolean(history.hasNextPage)}
        loading={history.isFetchingNextPage}
        onMore={() => void history.fetchNextPage()}
        shown={entries.length}
      />
    </>
  );
}
