import { useEffect, useState } from 'react';
import { Checkbox, Flex, Input, Select } from 'antd';
import { useT } from '@web/app/i18n';
import { UserPicker } from '@web/features/org/shared/UserPicker';
import type { ListParams } from '../hooks';
import { useCustomerSettings } from '../hooks';
import type { ListUpdate } from './useListState';
import { AdvancedFilter } from './AdvancedFilter';

type Props = { value: ListParams; onChange: (patch: ListUpdate) => void; hideStage?: boolean };

/** Keyword search, the common filters (category, stage, importance, owner, tag, overdue) and the advanced filter. */
export function CustomerFilters({ value, onChange, hideStage }: Props) {
  const t = useT();
  const { data: settings } = useCustomerSettings();
  const [q, setQ] = useState(value.q ?? '');
  const [tag, setTag] = useState(value.tag ?? '');
  useEffect(() => setQ(value.q ?? ''), [value.q]);
  useEffect(() => setTag(value.tag ?? ''), [value.tag]);

  const listSelect = (field: 'category' | 'stage' | 'importance', list: 'categories' | 'stages' | 'importances') => (
    <Select
      allowClear
      style={{ width: 130 }}
      placeholder={t(`customer.field.${field}`)}
      aria-label={t(`customer.field.${field}`)}
      value={value[field]}
      onChange={(v?: string) => onChange({ [field]: v })}
      options={(settings?.[list] ?? []).map((o) => ({ value: o.key, label: o.label }))}
    />
  );

  return (
    <Flex gap={8} wrap align="center" style={{ marginBottom: 12 }}>
      <Input.Search
        allowClear
        style={{ width: 260 }}
        placeholder={t('customersui.filter.search')}
        aria-label={t('customersui.filter.search')}
        value={q}
        onChange={(e) => {
          setQ(e.target.value);
          if (!e.target.value) onChange({ q: undefined });
        }}
        onSearch={(v) => onChange({ q: v.trim() || undefined })}
      />
      {listSelect('category', 'categories')}
      {hideStage ? null : listSelect('stage', 'stages')}
      {listSelect('importance', 'importances')}
      {value.view === 'pool' ? null : (
        <UserPicker
          style={{ width: 160 }}
          placeholder={t('customer.field.ownerName')}
          value={value.ownerId}
          onChange={(v) => onChange({ ownerId: v ?? undefined })}
        />
      )}
      <Input
        allowClear
        style={{ width: 120 }}
        placeholder={t('customer.field.tags')}
        aria-label={t('customer.field.tags')}
        value={tag}
        onChange={(e) => {
          setTag(e.target.value);
          if (!e.target.value) onChange({ tag: undefined });
        }}
        onPressEnter={() => onChange({ tag: tag.trim() || undefined })}
        onBlur={() => tag.trim() !== (value.tag ?? '') && onChange({ tag: tag.trim() || undefined })}
      />
      <Checkbox checked={Boolean(value.overdue)} onChange={(e) => onChange({ overdue: e.target.checked })}>
        {t('customersui.filter.overdue')}
      </Checkbox>
      <AdvancedFilter value={value.filters ?? []} onChange={(filters) => onChange({ filters })} />
    </Flex>
  );
}
