import { useEffect, useMemo, useState } from 'react';
import { Select } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { get, qs } from '@web/app/api';
import { useT } from '@web/app/i18n';
import type { UserOption } from './types';

type Props = {
  /** set by Form.Item so the field's label points at this input */
  id?: string;
  value?: string | null;
  onChange?: (value: string | null) => void;
  /** name to show for the current value before any search ran (e.g. the record's headName) */
  currentName?: string | null;
  /** users that may not be chosen (e.g. the user being handed over) */
  excludeIds?: string[];
  placeholder?: string;
  disabled?: boolean;
  style?: React.CSSProperties;
  allowClear?: boolean;
  /** offer disabled and departed users too (filters on past activity) */
  includeInactive?: boolean;
};

/** Searchable picker of active users (GET /users/options?q), for heads, supervisors, filters. */
export function UserPicker({
  id,
  value,
  onChange,
  currentName,
  excludeIds,
  placeholder,
  disabled,
  style,
  allowClear = true,
  includeInactive,
}: Props) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  // Debounced so typing a name does not send one request per keystroke.
  useEffect(() => {
    const timer = setTimeout(() => setQ(search.trim()), 250);
    return () => clearTimeout(timer);
  }, [search]);

  const { data, isFetching } = useQuery({
    queryKey: ['org', 'userOptions', q, includeInactive],
    queryFn: () => get<{ items: UserOption[] }>(`/users/options${qs({ q, all: includeInactive })}`).then((r) => r.items),
    enabled: open,
    staleTime: 30_000,
  });

  const options = useMemo(() => {
    const list = (data ?? [])
      .filter((u) => !excludeIds?.includes(u.id))
      .map((u) => ({ value: u.id, label: u.departmentName ? `${u.name}（${u.departmentName}）` : u.name }));
    if (value && !list.some((o) => o.value === value)) list.unshift({ value, label: currentName ?? value });
    return list;
  }, [data, value, currentName, excludeIds]);

  return (
    <Select
      id={id}
      value={value ?? undefined}
      onChange={(v?: string) => onChange?.(v ?? null)}
      options={options}
      showSearch={{ filterOption: false, onSearch: setSearch, searchValue: search }}
      onOpenChange={setOpen}
      loading={isFetching}
      allowClear={allowClear}
      disabled={disabled}
      placeholder={placeholder ?? t('orgui.user_picker.placeholder')}
      notFoundContent={isFetching ? t('shell.loading') : t('orgui.user_picker.none')}
      style={{ minWidth: 180, ...style }}
    />
  );
}
