import { useEffect, useMemo, useRef, useState } from 'react';
import { Select } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { get, qs } from '@web/app/api';
import { useT } from '@web/app/i18n';
import type { UserOption } from '@common/schemas/org';

type Props = {
  id?: string;
  value?: string[];
  onChange?: (value: string[]) => void;
  /** users that may not be chosen (e.g. whoever acts) */
  excludeIds?: string[];
  /** names of the initial values (ids → names), before any search ran */
  knownNames?: Record<string, string>;
  placeholder?: string;
  maxCount?: number;
};

/** Searchable picker of several active users (GET /users/options?q): 抄送, 加签. */
export function UsersPicker({ id, value, onChange, excludeIds, knownNames, placeholder, maxCount }: Props) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  // names of users picked from earlier searches, so a chosen tag keeps its name when the options change
  const names = useRef<Record<string, string>>({ ...knownNames });
  useEffect(() => {
    const timer = setTimeout(() => setQ(search.trim()), 250);
    return () => clearTimeout(timer);
  }, [search]);

  const { data, isFetching } = useQuery({
    queryKey: ['org', 'userOptions', q, false],
    queryFn: () => get<{ items: UserOption[] }>(`/users/options${qs({ q })}`).then((r) => r.items),
    enabled: open,
    staleTime: 30_000,
  });

  const options = useMemo(() => {
    const list = (data ?? [])
      .filter((u) => !excludeIds?.includes(u.id))
      .map((u) => ({ value: u.id, label: u.departmentName ? `${u.name}（${u.departmentName}）` : u.name }));
    for (const o of list) names.current[o.value] = o.label;
    for (const v of value ?? []) if (!list.some((o) => o.value === v)) list.unshift({ value: v, label: names.current[v] ?? v });
    return list;
  }, [data, value, excludeIds]);

  return (
    <Select
      id={id}
      mode="multiple"
      value={value ?? []}
      onChange={(v: string[]) => onChange?.(v)}
      options={options}
      maxCount={maxCount}
      showSearch={{ filterOption: false, onSearch: setSearch, searchValue: search }}
      onOpenChange={setOpen}
      loading={isFetching}
      allowClear
      placeholder={placeholder ?? t('orgui.user_picker.placeholder')}
      notFoundContent={isFetching ? t('shell.loading') : t('orgui.user_picker.none')}
      style={{ width: '100%' }}
    />
  );
}
