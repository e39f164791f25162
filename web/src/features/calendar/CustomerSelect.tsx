import { useEffect, useMemo, useState } from 'react';
import { Select } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { get, qs } from '@web/app/api';
import { useT } from '@web/app/i18n';
import type { Customer } from '@common/schemas/customers';

type Props = { id?: string; value?: string | null; onChange?: (id: string | null) => void; currentName?: string | null };

/** Searchable picker of the customers the user can see (GET /customers?q=); shows the current customer's name. */
export function CustomerSelect({ id, value, onChange, currentName }: Props) {
  const t = useT();
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(search.trim()), 250);
    return () => clearTimeout(timer);
  }, [search]);
  const { data, isFetching } = useQuery({
    queryKey: ['customers', 'picker', q],
    queryFn: () => get<{ items: Customer[] }>(`/customers${qs({ q, limit: 20 })}`).then((r) => r.items),
    enabled: q.length > 0,
  });
  const options = useMemo(() => {
    const list = (data ?? []).map((c) => ({ value: c.id, label: c.code ? `${c.name}（${c.code}）` : c.name }));
    if (value && !list.some((o) => o.value === value)) list.unshift({ value, label: currentName ?? value });
    return list;
  }, [data, value, currentName]);
  return (
    <Select
      id={id}
      value={value ?? undefined}
      onChange={(v?: string) => onChange?.(v ?? null)}
      showSearch={{ filterOption: false, onSearch: setSearch, searchValue: search }}
      loading={isFetching}
      allowClear
      placeholder={t('salesui.calendar.customer_placeholder')}
      notFoundContent={q ? t('salesui.calendar.no_customer') : null}
      options={options}
      style={{ width: '100%' }}
    />
  );
}
