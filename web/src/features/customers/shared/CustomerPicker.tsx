import { useEffect, useMemo, useState } from 'react';
import { Select } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { get, qs } from '@web/app/api';
import { useT } from '@web/app/i18n';
import type { CustomerPage } from '../api';

type Props = {
  id?: string;
  value?: string | null;
  onChange?: (id: string | null) => void;
  excludeId?: string;
  /** the name of the current value, shown before any search */
  currentName?: string | null;
};

/** Searchable picker of customers the user can see (GET /customers?q=); shows the current customer's name. */
export function CustomerPicker({ id, value, onChange, excludeId, currentName }: Props) {
  const t = useT();
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(search.trim()), 250);
    return () => clearTimeout(timer);
  }, [search]);
  const { data, isFetching } = useQuery({
    queryKey: ['customers', 'picker', q],
    queryFn: () => get<CustomerPage>(`/customers${qs({ q, limit: 20 })}`).then((r) => r.items),
    enabled: q.length > 0,
  });
  const options = useMemo(() => {
    const list = (data ?? [])
      .filter((c) => c.id !== excludeId)
      .map((c) => ({ value: c.id, label: c.code ? `${c.name}（${c.code}）` : c.name }));
    if (value && !list.some((o) => o.value === value)) list.unshift({ value, label: currentName ?? value });
    return list;
  }, [data, value, currentName, excludeId]);
  return (
    <Select
      id={id}
      value={value ?? undefined}
      onChange={(v?: string) => onChange?.(v ?? null)}
      showSearch={{ filterOption: false, onSearch: setSearch, searchValue: search }}
      loading={isFetching}
      allowClear
      placeholder={t('customersui.picker.placeholder')}
      notFoundContent={q ? t('customersui.picker.none') : null}
      options={options}
      style={{ width: '100%' }}
    />
  );
}
