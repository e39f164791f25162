import { useEffect, useState, type ReactNode } from 'react';
import { Flex, Select, Tag, Typography } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Contact } from '@common/schemas/contacts';
import { get, qs } from '@web/app/api';
import { useT } from '@web/app/i18n';
import { CustomerPicker } from '@web/features/customers/shared/CustomerPicker';

export type Picked = { id: string; label: string };

/** Customers chosen one by one with the shared customer picker; each of their contacts with an e-mail receives the mail. */
export function CustomersField({ value = [], onChange }: { value?: Picked[]; onChange?: (v: Picked[]) => void }) {
  const t = useT();
  const qc = useQueryClient();
  const [pickerKey, setPickerKey] = useState(0);
  // the picker answers with the id; the name it showed is among the results it cached
  const nameOf = (id: string) =>
    qc
      .getQueriesData<{ id: string; name: string }[]>({ queryKey: ['customers', 'picker'] })
      .flatMap(([, rows]) => rows ?? [])
      .find((c) => c.id === id)?.name ?? id;
  return (
    <Flex vertical gap={6}>
      <CustomerPicker
        key={pickerKey}
        value={null}
        onChange={(id) => {
          if (!id || value.some((c) => c.id === id)) return;
          onChange?.([...value, { id, label: nameOf(id) }]);
          // an empty picker again for the next customer
          setPickerKey((k) => k + 1);
        }}
      />
      {value.length ? (
        <Flex gap={4} wrap>
          {value.map((c) => (
            <Tag key={c.id} closable onClose={() => onChange?.(value.filter((x) => x.id !== c.id))} data-testid="batch-customer">
              {c.label}
            </Tag>
          ))}
        </Flex>
      ) : (
        <Typography.Text type="secondary">{t('mailui.batches.no_customers')}</Typography.Text>
      )}
    </Flex>
  );
}

/** Contacts with an e-mail address, searched by name, phone or address. */
export function ContactsField({ value = [], onChange }: { value?: Picked[]; onChange?: (v: Picked[]) => void }) {
  const t = useT();
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(search.trim()), 250);
    return () => clearTimeout(timer);
  }, [search]);
  const found = useQuery({
    queryKey: ['mail', 'batch-contacts', q],
    enabled: q.length > 0,
    retry: false,
    queryFn: async () => (await get<{ items: Contact[] }>(`/contacts${qs({ q, limit: 20 })}`)).items.filter((c) => c.email),
  });
  return (
    <Select
      mode="multiple"
      labelInValue
      value={value.map((c) => ({ value: c.id, label: c.label }))}
      onChange={(v: { value: string; label: ReactNode }[]) =>
        onChange?.(
          v.map((x) => {
            const c = found.data?.find((k) => k.id === x.value);
            return { id: x.value, label: c ? `${c.name} <${c.email}>` : (value.find((k) => k.id === x.value)?.label ?? x.value) };
          }),
        )
      }
      showSearch={{ filterOption: false, onSearch: setSearch, searchValue: search }}
      loading={found.isFetching}
      placeholder={t('mailui.batches.contacts_placeholder')}
      notFoundContent={q ? t('mailui.batches.contacts_none') : null}
      options={(found.data ?? []).map((c) => ({ value: c.id, label: `${c.name} <${c.email}> · ${c.customerName}` }))}
      style={{ width: '100%' }}
    />
  );
}
