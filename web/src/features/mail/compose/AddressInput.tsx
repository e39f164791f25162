import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { App, Select, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import type { MailAddress } from '@common/schemas/mail';
import type { Contact } from '@common/schemas/contacts';
import { get, qs } from '@web/app/api';
import { useT } from '@web/app/i18n';

const EMAIL = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]+$/;

/** "张三 <zs@example.com>", "<zs@example.com>" or "zs@example.com" → an address; null when it is none. */
export function parseAddress(input: string): MailAddress | null {
  const s = input.trim().replace(/^["']|["']$/g, '');
  const m = /^(.*?)\s*<([^<>]+)>$/.exec(s);
  const address = (m ? m[2] : s).trim().toLowerCase();
  if (!EMAIL.test(address)) return null;
  const name = m ? m[1].trim().replace(/^["']|["']$/g, '') : '';
  return { name: name || null, address };
}

type Option = { value: string; label: string; name: string; customer: string };

/** Contacts with an e-mail address matching the typed text (those the user may see). */
function useContactSuggestions(text: string) {
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(text.trim()), 250);
    return () => clearTimeout(timer);
  }, [text]);
  return useQuery({
    queryKey: ['mail', 'contact-suggestions', q],
    enabled: q.length > 0,
    retry: false,
    staleTime: 60_000,
    queryFn: async () => {
      const page = await get<{ items: Contact[] }>(`/contacts${qs({ q, limit: 20 })}`);
      return page.items
        .filter((c) => c.email)
        .map<Option>((c) => ({
          value: c.email!.toLowerCase(),
          label: `${c.name} <${c.email}>`,
          name: c.name,
          customer: c.customerName,
        }));
    },
  });
}

type Props = {
  value?: MailAddress[];
  onChange?: (v: MailAddress[]) => void;
  id?: string;
  placeholder?: string;
  'aria-label'?: string;
};

/** Recipients as tags: contact suggestions while typing, free addresses checked (a bad one is refused with a message). */
export function AddressInput({ value = [], onChange, id, placeholder, 'aria-label': ariaLabel }: Props) {
  const t = useT();
  const { message } = App.useApp();
  const [text, setText] = useState('');
  const suggestions = useContactSuggestions(text);
  const byAddress = useMemo(() => new Map((suggestions.data ?? []).map((o) => [o.value, o])), [suggestions.data]);

  const selected = value.map((a) => ({ value: a.address, label: a.name ? `${a.name} <${a.address}>` : a.address }));

  function change(next: { value: string; label?: ReactNode }[]) {
    const out: MailAddress[] = [];
    const seen = new Set<string>();
    for (const v of next) {
      const known = value.find((a) => a.address === v.value);
      const suggested = byAddress.get(v.value);
      const parsed = known ?? (suggested ? { name: suggested.name, address: suggested.value } : parseAddress(v.value));
      if (!parsed) {
        void message.warning(t('mailui.compose.bad_address', { address: v.value }));
        continue;
      }
      if (seen.has(parsed.address)) continue;
      seen.add(parsed.address);
      out.push(parsed);
    }
    setText('');
    onChange?.(out);
  }

  return (
    <Select
      id={id}
      mode="tags"
      labelInValue
      aria-label={ariaLabel}
      value={selected}
      onChange={change}
      // an address typed but not confirmed with Enter is not lost when the field is left
      onBlur={() => text.trim() && change([...selected, { value: text.trim() }])}
      showSearch={{ filterOption: false, onSearch: setText, searchValue: text }}
      tokenSeparators={[',', ';', '，', '；']}
      placeholder={placeholder}
      notFoundContent={null}
      suffixIcon={null}
      open={text.trim() ? undefined : false}
      options={(suggestions.data ?? []).map((o) => ({
        value: o.value,
        label: (
          <span>
            {o.label}{' '}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {o.customer}
            </Typography.Text>
          </span>
        ),
      }))}
      tagRender={({ label, closable, onClose }) => (
        <Tag closable={closable} onClose={onClose} style={{ marginInlineEnd: 4 }}>
          {label}
        </Tag>
      )}
      style={{ width: '100%' }}
    />
  );
}
