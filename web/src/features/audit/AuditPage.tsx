import { Card } from 'antd';
import { useSearchParams } from 'react-router';
import { LoadMore } from '@web/features/system/shared/LoadMore';
import { PageHeader } from '@web/app/PageHeader';
import { useAuditLog, type AuditFilters as Filters } from './api';
import { AuditFilters } from './AuditFilters';
import { AuditTable } from './AuditTable';

const KEYS = ['actorId', 'entity', 'entityId', 'action', 'from', 'to'] as const;

/** /system/audit: search the audit log; the filters live in the URL so a search can be shared. */
export function AuditPage() {
  const [params, setParams] = useSearchParams();
  const filters: Filters = Object.fromEntries(KEYS.map((k) => [k, params.get(k) || undefined]));
  const log = useAuditLog(filters);
  const entries = log.data?.pages.flatMap((p) => p.items) ?? [];

  const onChange = (next: Filters) => {
    const out = new URLSearchParams();
    for (const k of KEYS) if (next[k]) out.set(k, next[k]);
    setParams(out, { replace: true });
  };

  return (
    <>
      <PageHeader />
      <Card>
        <AuditFilters value={filters} onChange={onChange} />
        <AuditTable entries={entries} loading={log.isLoading} />
        <LoadMore
          hasMore={Boolean(log.hasNextPage)}
          loading={log.isFetchingNextPage}
          onMore={() => void log.fetchNextPage()}
          shown={entries.length}
        />
      </Card>
    </>
  );
}
