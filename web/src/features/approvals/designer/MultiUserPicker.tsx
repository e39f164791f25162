import { useEffect, useMemo, useState } from 'react';
import { Select } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { get, qs } from '@web/app/api';
import { useT } from '@web/app/i18n';
import type { UserOption } from '@common/schemas/org';
import { useNames } from './flow/names';

type Props = {
  id?: string;
  value?: string[];
  onChange?: (value: string[]) => void;
  placeholder?: string;
  status?: 'error';
  style?: React.CSSProperties;
  'aria-label'?: string;
};

/** Searchable multi-select of active users (GET /users/options?q); chosen users keep their names. */
export function MultiUserPicker({ id, value, onChange, placeholder, status, style, 'aria-label': ariaLabel }: Props) {
  const t = useT();
  const names = useNames();
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  // names of users picked in this session, so a chosen tag keeps its label after the search changes
  const [picked, setPicked] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    const timer = setTimeout(() => setQ(search.trim()), 250);
    return () => clearTimeout(timer);
  }, [search]);

  const { data, isFetching } = useQuery({
    queryKey: ['org', 'userOptions', q, undefined],
    queryFn: () => get<{ items: UserOption[] }>(`/users/options${qs({ q })}`).then((r) => r.items),
    enabled: open,
    staleTime: 30_000,
  });

  const options = useMemo(() => {
    const list = (data ?? []).map((u) => ({ value: u.id, label: u.departmentName ? `${u.name}（${u.departmentName}）` : u.name }));
    for (const id of value ?? []) {
      if (!list.some((o) => o.value === id)) list.unshift({ value: id, label: picked.get(id) ?? names.users.get(id) ?? id });
    }
    return list;
  }, [data, value, picked, names.users]);

  return (
    <Select
      id={id}
      mode="multiple"
      aria-label={ariaLabel}
      value={value ?? []}
      onChange={(ids: string[], opts) => {
        const next = new Map(picked);
        for (const o of [opts].flat())
          if (o && 'value' in o && typeof o.label === 'string') next.set(String(o.value), o.label.replace(/（.*）$/, ''));
        setPicked(next);
        onChange?.(ids);
      }}
      options={options}
      showSearch={{ filterOption: false, onSearch: setSearch, searchValue: search }}
      onOpenChange={setOpen}
      loading={isFetching}
      status={status}
      placeholder={placeholder ?? t('orgui.user_picker.placeholder')}
      notFoundContent={isFetching ? t('shell.loading') : t('orgui.user_picker.none')}
      style={{ minWidth: 220, ...style }}
    />
  );
}
