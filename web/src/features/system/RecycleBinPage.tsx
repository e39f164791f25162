import { useMemo } from 'react';
import { Button, Card, Popconfirm, Select, Space, Table, Tooltip, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import dayjs from 'dayjs';
import { del, post } from '@web/app/api';
import { useT } from '@web/app/i18n';
import { entityLabel } from '@web/features/audit/labels';
import { formatTime, labelOr } from './shared/format';
import { LoadMore } from './shared/LoadMore';
import { PageHeader } from '@web/app/PageHeader';
import { useFeedback } from './shared/useFeedback';
import { systemKeys, useRecycleBin, type RecycleItem } from './api';

/** Record types the platform itself deletes softly; business modules' types appear once listed. */
const PLATFORM_RECYCLABLES = ['department', 'position'];

/** /system/recycle-bin: soft-deleted records of every module; restore one or purge it now. */
export function RecycleBinPage() {
  const t = useT();
  const feedback = useFeedback();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const entity = params.get('entity') ?? undefined;
  const bin = useRecycleBin(entity);
  const items = bin.data?.pages.flatMap((p) => p.items) ?? [];
  const refresh = () => qc.invalidateQueries({ queryKey: systemKeys.recycle });
  const restore = useMutation({ mutationFn: (id: string) => post(`/recycle-bin/${id}/restore`), onSuccess: refresh });
  const purge = useMutation({ mutationFn: (id: string) => del(`/recycle-bin/${id}`), onSuccess: refresh });

  // Modules register their own record types (with a label key); offer those seen plus the platform's.
  const typeLabel = useMemo(() => {
    const keys = new Map(items.filter((i) => i.labelKey).map((i) => [i.entity, i.labelKey as string]));
    return (entity: string) => (keys.has(entity) ? labelOr(t, keys.get(entity)!, entity) : entityLabel(t, entity));
  }, [items, t]);
  const entityOptions = useMemo(
    () => [...new Set([...PLATFORM_RECYCLABLES, ...items.map((i) => i.entity)])].map((e) => ({ value: e, label: typeLabel(e) })),
    [items, typeLabel],
  );

  return (
    <>
      <PageHeader />
      <Card>
        <Space style={{ marginBottom: 16 }} wrap>
          <Select
            allowClear
            value={entity}
            onChange={(e?: string) => setParams(e ? { entity: e } : {}, { replace: true })}
            options={entityOptions}
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('system.recycle.entity')}
            style={{ width: 180 }}
          />
          <Typography.Text type="secondary">{t('system.recycle.hint')}</Typography.Text>
        </Space>
        <Table<RecycleItem>
          rowKey="id"
          size="middle"
          loading={bin.isLoading}
          dataSource={items}
          pagination={false}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: t('system.recycle.label'), dataIndex: 'label', render: (l: string) => <Typography.Text strong>{l}</Typography.Text> },
            { title: t('system.recycle.entity'), dataIndex: 'entity', width: 120, render: (e: string) => typeLabel(e) },
            { title: t('system.recycle.deleted_by'), dataIndex: 'deletedByName', width: 120, render: (n: string | null) => n ?? '—' },
            { title: t('system.recycle.deleted_at'), dataIndex: 'deletedAt', width: 170, render: formatTime },
            {
              title: t('system.recycle.purge_at'),
              dataIndex: 'purgeAt',
              width: 170,
              render: (at: string) => (
                <Tooltip title={formatTime(at)}>
                  <span>
                    {t('system.recycle.purge_in', {
                      date: dayjs(at).format('YYYY-MM-DD'),
                      days: Math.max(0, Math.ceil(dayjs(at).diff(dayjs(), 'day', true))),
                    })}
                  </span>
                </Tooltip>
              ),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              width: 160,
              fixed: 'right',
              render: (_, item) => (
                <Space size={0}>
                  <Button
                    type="link"
                    size="small"
                    loading={restore.isPending && restore.variables === item.id}
                    onClick={() =>
                      restore.mutate(item.id, {
                        onSuccess: () => feedback.success('system.recycle.restored', { label: item.label }),
                        onError: (e) => feedback.failure(e),
                      })
                    }
                  >
                    {t('system.recycle.restore')}
                  </Button>
                  <Popconfirm
                    title={t('system.recycle.purge_confirm', { label: item.label })}
                    description={t('system.recycle.purge_warning')}
                    okText={t('system.recycle.purge')}
                    okButtonProps={{ danger: true }}
                    cancelText={t('common.cancel')}
                    onConfirm={() =>
                      purge.mutateAsync(item.id).then(
                        () => feedback.success('system.recycle.purged', { label: item.label }),
                        (e: unknown) => feedback.failure(e),
                      )
                    }
                  >
                    <Button type="link" size="small" danger>
                      {t('system.recycle.purge')}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
            },
          ]}
        />
        <LoadMore
          hasMore={Boolean(bin.hasNextPage)}
          loading={bin.isFetchingNextPage}
          onMore={() => void bin.fetchNextPage()}
          shown={items.length}
        />
      </Card>
    </>
  );
}
