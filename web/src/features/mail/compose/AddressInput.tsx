import { useEffect, useMemo, useState } from 'react';
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

const formatTyped = (a: MailAddress) => (a.name ? `${a.name} <${a.address}>` : a.address);

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

/** Recipients as tags: contact suggestions while typing, free addresses checked (a bad one is refused with a message); separators , ; split pasted lists. */
export function AddressInput({ value = [], onChange, id, placeholder, 'aria-label': ariaLabel }: Props) {
  const t = useT();
  const { message } = App.useApp();
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const suggestions = useContactSuggestions(text);
  const byAddress = useMemo(() => new Map((suggestions.data ?? []).map((o) => [o.value, o])), [suggestions.data]);

  const selected = value.map((a) => ({ value: a.address, label: a.name ? `${a.name} <${a.address}>` : a.address }));
  // what is typed, when it is an address itself, comes first; then the contacts it matches
  const typed = parseAddress(text);
  const options = [
    ...(typed && !byAddress.has(typed.address) ? [{ value: typed.address, label: <span>{formatTyped(typed)}</span> }] : []),
    ...(suggestions.data ?? []).map((o) => ({
      value: o.value,
      label: (
        <span>
          {o.label}{' '}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {o.customer}
          </Typography.Text>
        </span>
      ),
    })),
  ];

  /** Adds addresses (chosen or typed); a typed one that is none is refused with a message. */
  function add(entries: string[]) {
    const out = [...value];
    let refused = false;
    for (const entry of entries) {
      const suggested = byAddress.get(entry.trim().toLowerCase());
      const parsed = suggested ? { name: suggested.name, address: suggested.value } : parseAddress(entry);
      if (!parsed) {
        refused = true;
        void message.warning(t('mailui.compose.bad_address', { address: entry.trim() }));
        continue;
      }
      if (!out.some((a) => a.address === parsed.address)) out.push(parsed);
    }
    // a refused address stays in the box to be corrected
    if (!refused) setText('');
    if (out.length !== value.length) onChange?.(out);
  }

  // several addresses pasted or typed with separators: each complete one is added at once
  function search(v: string) {
    const parts = v.split(/[,;，；]/);
    if (parts.length > 1) {
      const rest = parts.pop() ?? '';
      add(parts.filter((x) => x.trim()));
      setText(rest);
    } else setText(v);
  }

  return (
    <Select
      id={id}
      mode="multiple"
      labelInValue
      aria-label={ariaLabel}
      value={selected}
      // removals (tag closed, Backspace) come here; additions go through onSelect
      onChange={(next: { value: string }[]) => {
        if (next.length < value.length) onChange?.(value.filter((a) => next.some((n) => n.value === a.address)));
      }}
      onSelect={(v: { value: string }) => add([typed && v.value === typed.address ? text : v.value])}
      onInputKeyDown={(e) => {
        // Enter with nothing to choose from: take the text as it is (or say why not)
        if (e.key === 'Enter' && text.trim() && !options.length) {
          e.preventDefault();
          add([text]);
        }
      }}
      // an address typed but not confirmed with Enter is not lost when the field is left
      onBlur={() => text.trim() && add([text])}
      showSearch={{ filterOption: false, onSearch: search, searchValue: text, autoClearSearchValue: false }}
      placeholder={placeholder}
      notFoundContent={null}
      suffixIcon={null}
      open={open && !!text.trim() && options.length > 0}
      onOpenChange={setOpen}
      options={options}
      tagRender={({ label, closable, onClose }) => (
        <Tag closable={closable} onClose={onClose} style={{ marginInlineEnd: 4 }}>
          {label}
        </Tag>
      )}
      style={{ width: '100%' }}
    />
  );
}
