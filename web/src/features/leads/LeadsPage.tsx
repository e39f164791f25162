import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Button, Card, Flex, Input, Select } from 'antd';
import { ImportOutlined, PlusOutlined, SwapOutlined } from '@ant-design/icons';
import { useT } from '@web/app/i18n';
import { useCan } from '@web/app/auth';
import { PageHeader } from '@web/app/PageHeader';
import { LoadMore } from '@web/features/system/shared/LoadMore';
import { UserPicker } from '@web/features/org/shared/UserPicker';
import { useCustomerSettings } from '@web/features/customers/hooks';
import { ExportButton } from '@web/features/excel/ExportButton';
import { LEAD_STATUSES, useLeadList, type LeadFilters, type LeadStatus } from './api';
import { LeadFormDrawer } from './LeadFormDrawer';
import { LeadsTable } from './LeadsTable';
import { LeadTransferModal } from './LeadTransferModal';

const EXPORT_COLUMNS = ['name', 'company', 'title', 'mobile', 'phone', 'email', 'source', 'status', 'ownerName', 'createdAt'];

/** /leads (潜在客户): keyword search, status / owner / source filters (in the URL), bulk transfer, form in a drawer (`?edit=`). */
export function LeadsPage() {
  const t = useT();
  const can = useCan();
  const settings = useCustomerSettings();
  const [params, setParams] = useSearchParams();
  const filters: LeadFilters = {
    q: params.get('q') || undefined,
    status: (params.get('status') as LeadStatus | null) || undefined,
    ownerId: params.get('ownerId') || undefined,
    source: params.get('source') || undefined,
  };
  const list = useLeadList(filters);
  const leads = list.data?.pages.flatMap((p) => p.items) ?? [];
  const [search, setSearch] = useState(filters.q ?? '');
  const [selected, setSelected] = useState<string[]>([]);
  const [transferring, setTransferring] = useState(false);
  const filterKey = JSON.stringify(filters);
  useEffect(() => setSelected([]), [filterKey]);

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

  return (
    <>
      <PageHeader
        extra={
          <>
            {can('leads', 'import') && (
              <Link to="/customers/import?entity=lead">
                <Button icon={<ImportOutlined />}>{t('salesui.excel.import')}</Button>
              </Link>
            )}
            {can('leads', 'export') && <ExportButton entity="lead" query={filters} columns={EXPORT_COLUMNS} />}
            {can('leads', 'create') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => update({ edit: 'new' })}>
                {t('leads.new')}
              </Button>
            )}
          </>
        }
      />
      <Card>
        <Flex gap={8} wrap style={{ marginBottom: 12 }}>
          <Input.Search
            allowClear
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onSearch={(v) => update({ q: v.trim() || undefined })}
            placeholder={t('leads.search')}
            style={{ width: 280 }}
            aria-label={t('leads.search')}
          />
          <Select
            allowClear
            value={filters.status}
            onChange={(v?: string) => update({ status: v })}
            placeholder={t('leads.field.status')}
            options={LEAD_STATUSES.map((s) => ({ value: s, label: t(`leads.status.${s}`) }))}
            style={{ width: 130 }}
          />
          <Select
            allowClear
            value={filters.source}
            onChange={(v?: string) => update({ source: v })}
            placeholder={t('leads.field.source')}
            options={(settings.data?.sources ?? []).map((o) => ({ value: o.key, label: o.label }))}
            style={{ width: 140 }}
          />
          <UserPicker
            value={filters.ownerId}
            onChange={(v) => update({ ownerId: v ?? undefined })}
            placeholder={t('leads.field.owner')}
            includeInactive
          />
          {can('leads', 'transfer') && (
            <Button icon={<SwapOutlined />} disabled={!selected.length} onClick={() => setTransferring(true)}>
              {selected.length ? t('salesui.leads.transfer_n', { count: selected.length }) : t('leads.transfer')}
            </Button>
          )}
        </Flex>
        <LeadsTable
          leads={leads}
          loading={list.isLoading}
          selected={selected}
          onSelect={can('leads', 'transfer') ? setSelected : undefined}
        />
        <LoadMore
          hasMore={Boolean(list.hasNextPage)}
          loading={list.isFetchingNextPage}
          onMore={() => void list.fetchNextPage()}
          shown={leads.length}
          total={list.data?.pages[0]?.total}
        />
      </Card>
      <LeadFormDrawer target={params.get('edit')} onClose={() => update({ edit: undefined })} />
      <LeadTransferModal ids={selected} open={transferring} onClose={() => setTransferring(false)} onDone={() => setSelected([])} />
    </>
  );
}
