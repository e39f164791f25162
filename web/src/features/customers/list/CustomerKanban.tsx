import { useState, type DragEvent } from 'react';
import { Link } from 'react-router';
import { App, Badge, Button, Card, Empty, Flex, Spin, Tag, Typography, theme } from 'antd';
import { useT } from '@web/app/i18n';
import { formatDate } from '@web/app/format';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import type { Customer } from '../api';
import { useCustomerList, useCustomerSettings, useSettingLabel, type ListParams } from '../hooks';
import { useCustomerMutations } from '../useCustomerMutations';

const DRAG_TYPE = 'application/x-xt-customer';
/** the column of customers without a stage */
const NONE = '';

type Dragged = { id: string; version: number; from: string };

/** Kanban by lifecycle stage: one column per stage, each loading its own pages; drag a card to change the stage. */
export function CustomerKanban({ list }: { list: ListParams }) {
  const t = useT();
  const { data: settings } = useCustomerSettings();
  const stages = [
    ...(settings?.stages ?? []).map((s) => ({ key: s.key, label: s.label })),
    { key: NONE, label: t('customersui.kanban.no_stage') },
  ];
  return (
    <Flex gap={12} style={{ overflowX: 'auto', paddingBottom: 8 }} data-testid="customer-kanban">
      {stages.map((s) => (
        <KanbanColumn key={s.key} stage={s.key} label={s.label} list={list} />
      ))}
    </Flex>
  );
}

function KanbanColumn({ stage, label, list }: { stage: string; label: string; list: ListParams }) {
  const t = useT();
  const { token } = theme.useToken();
  const { message } = App.useApp();
  const feedback = useFeedback();
  const { update } = useCustomerMutations();
  const [over, setOver] = useState(false);
  const params: ListParams =
    stage === NONE
      ? { ...list, stage: undefined, filters: [...(list.filters ?? []), { field: 'stage', op: 'empty' }] }
      : { ...list, stage };
  const page = useCustomerList(params, 20);
  const items = page.data?.pages.flatMap((p) => p.items) ?? [];
  const first = page.data?.pages[0];

  function onDrop(e: DragEvent) {
    e.preventDefault();
    setOver(false);
    let dragged: Dragged;
    try {
      dragged = JSON.parse(e.dataTransfer.getData(DRAG_TYPE)) as Dragged;
    } catch {
      return;
    }
    if (!dragged?.id || dragged.from === stage) return;
    update.mutateAsync({ id: dragged.id, version: dragged.version, stage: stage || null }).then(
      () => void message.success(t('customersui.kanban.moved', { stage: label })),
      (err: unknown) => feedback.failure(err),
    );
  }

  return (
    <Flex
      vertical
      gap={8}
      data-stage={stage || 'none'}
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes(DRAG_TYPE)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'move';
        if (!over) setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      style={{
        flex: '0 0 260px',
        minHeight: 400,
        padding: 8,
        borderRadius: token.borderRadiusLG,
        background: over ? token.colorPrimaryBg : token.colorFillQuaternary,
        outline: over ? `2px dashed ${token.colorPrimary}` : undefined,
      }}
    >
      <Flex justify="space-between" align="center" style={{ padding: '4px 4px 0' }}>
        <Typography.Text strong>{label}</Typography.Text>
        <Badge
          count={first?.total !== undefined ? `${first.total}${first.totalCapped ? '+' : ''}` : items.length}
          showZero
          color={token.colorTextQuaternary}
        />
      </Flex>
      {page.isLoading ? <Spin style={{ marginTop: 24 }} /> : null}
      {!page.isLoading && !items.length ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('customersui.kanban.empty')} /> : null}
      {items.map((c) => (
        <KanbanCard key={c.id} customer={c} stage={stage} />
      ))}
      {page.hasNextPage ? (
        <Button type="link" loading={page.isFetchingNextPage} onClick={() => void page.fetchNextPage()}>
          {t('common.loadMore')}
        </Button>
      ) : null}
    </Flex>
  );
}

function KanbanCard({ customer: c, stage }: { customer: Customer; stage: string }) {
  const t = useT();
  const label = useSettingLabel();
  return (
    <Card
      size="small"
      draggable={c.canEdit}
      onDragStart={(e) => {
        e.dataTransfer.setData(DRAG_TYPE, JSON.stringify({ id: c.id, version: c.version, from: stage } satisfies Dragged));
        e.dataTransfer.effectAllowed = 'move';
      }}
      style={{ cursor: c.canEdit ? 'grab' : 'default' }}
      data-customer-id={c.id}
    >
      <Flex vertical gap={4}>
        <Link to={`/customers/${c.id}`} draggable={false}>
          {c.name}
        </Link>
        <Flex gap={4} wrap>
          {c.importance ? <Tag>{label('importances', c.importance)}</Tag> : null}
          {c.inPool ? <Tag color="orange">{t('customer.owner.pool')}</Tag> : null}
        </Flex>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {c.inPool ? '' : `${c.ownerName ?? ''} · `}
          {t('customersui.kanban.last_contact', { date: formatDate(c.lastContactAt) })}
        </Typography.Text>
      </Flex>
    </Card>
  );
}
