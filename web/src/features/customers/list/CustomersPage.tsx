import { useEffect, useState } from 'react';
import { Button, Card, Flex, Segmented, Typography } from 'antd';
import { AppstoreOutlined, PlusOutlined, TableOutlined } from '@ant-design/icons';
import { ImportOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { ExportButton } from '@web/features/excel/ExportButton';
import { useT } from '@web/app/i18n';
import { useCan } from '@web/app/auth';
import { PageHeader } from '@web/app/PageHeader';
import type { CustomerKind, SavedView } from '../api';
import { useCustomerList } from '../hooks';
import { CustomerFormDrawer } from '../form/CustomerFormDrawer';
import { BulkActions } from './BulkActions';
import { ColumnChooser } from './ColumnChooser';
import { useColumnDefs } from './columns';
import { CustomerFilters } from './CustomerFilters';
import { CustomerKanban } from './CustomerKanban';
import { CustomerTable } from './CustomerTable';
import { SavedViews } from './SavedViews';
import { useChosenColumns } from './useChosenColumns';
import { useListState, type ListMode } from './useListState';

const VIEWS = ['all', 'mine', 'team', 'pool'] as const;

/** /customers and /partners: the list with views, filters, saved views, columns, bulk actions and a kanban by stage. */
export function CustomersPage({ kind }: { kind: CustomerKind }) {
  const t = useT();
  const can = useCan();
  const state = useListState(kind);
  const { list, mode, update } = state;
  const defs = useColumnDefs();
  const [columns, setColumns] = useChosenColumns(kind);
  const [selected, setSelected] = useState<string[]>([]);
  const page = useCustomerList(list, 50, mode === 'table');
  const customers = page.data?.pages.flatMap((p) => p.items) ?? [];
  const first = page.data?.pages[0];
  const listKey = JSON.stringify(list);
  // a new filter shows other rows: a selection of rows no longer shown would act blindly
  useEffect(() => setSelected([]), [listKey]);

  function applyView(view: SavedView | undefined) {
    if (!view) return update({ savedView: undefined });
    const c: Partial<SavedView['config']> = view.config ?? {};
    update({
      savedView: view.id,
      filters: c.filters ?? [],
      q: c.q,
      sort: c.sort?.field,
      order: c.sort?.order,
      category: undefined,
      stage: undefined,
      importance: undefined,
      ownerId: undefined,
      tag: undefined,
    });
    if (c.columns?.length) setColumns(c.columns);
  }

  const total = first?.total !== undefined ? `${first.total}${first.totalCapped ? '+' : ''}` : undefined;
  return (
    <>
      <PageHeader
        extra={
          can('customers', 'create') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => update({ edit: 'new' })}>
              {t(kind === 'partner' ? 'customersui.partner.create' : 'customersui.customer.create')}
            </Button>
          )
        }
      />
      <Card>
        <Flex justify="space-between" gap={8} wrap style={{ marginBottom: 12 }}>
          <Segmented
            value={list.view ?? 'all'}
            onChange={(v) => update({ view: v })}
            options={VIEWS.map((v) => ({ value: v, label: t(`customersui.view.${v}`) }))}
          />
          <Flex gap={8} wrap>
            {/* Excel (web/src/features/excel): the import wizard and an export of the list as shown */}
            {can('customers', 'import') && (
              <Link to="/customers/import?entity=customer">
                <Button icon={<ImportOutlined />}>{t('salesui.excel.import')}</Button>
              </Link>
            )}
            {can('customers', 'export') && <ExportButton entity="customer" query={list} columns={columns} />}
            <SavedViews list={list} columns={columns} selected={state.savedView} onApply={applyView} />
            {mode === 'table' ? <ColumnChooser defs={defs} value={columns} onChange={setColumns} /> : null}
            <Segmented<ListMode>
              value={mode}
              onChange={(m) => update({ mode: m === 'table' ? undefined : m })}
              options={[
                { value: 'table', icon: <TableOutlined />, label: t('customersui.mode.table') },
                { value: 'kanban', icon: <AppstoreOutlined />, label: t('customersui.mode.kanban') },
              ]}
            />
          </Flex>
        </Flex>
        <CustomerFilters value={list} onChange={update} hideStage={mode === 'kanban'} />
        {mode === 'kanban' ? (
          <CustomerKanban list={list} />
        ) : (
          <>
            <BulkActions ids={selected} onDone={() => setSelected([])} />
            <CustomerTable
              customers={customers}
              loading={page.isLoading}
              defs={defs}
              columns={columns}
              sort={list.sort}
              order={list.order}
              onSort={(sort, order) => update({ sort, order })}
              selected={selected}
              onSelect={setSelected}
              selectable={can('customers', 'edit') || can('customers', 'delete') || can('customers', 'transfer')}
            />
            <Flex justify="space-between" align="center" style={{ marginTop: 12 }}>
              <Typography.Text type="secondary" data-testid="customer-total">
                {total !== undefined
                  ? t('customersui.list.shown_of_total', { shown: customers.length, total })
                  : t('customersui.list.shown', { shown: customers.length })}
              </Typography.Text>
              {page.hasNextPage && (
                <Button onClick={() => void page.fetchNextPage()} loading={page.isFetchingNextPage}>
                  {t('common.loadMore')}
                </Button>
              )}
            </Flex>
          </>
        )}
      </Card>
      <CustomerFormDrawer target={state.edit} kind={kind} onClose={() => update({ edit: undefined })} />
    </>
  );
}
