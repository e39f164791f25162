import { lazy, Suspense, useState } from 'react';
import { Button } from 'antd';
import { MailOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import type { MailAddress } from '@common/schemas/mail';
import { useT } from '@web/app/i18n';
import { useContacts } from '@web/features/customers/hooks';
import { MAIL_KEY } from '../api';
import type { ComposeInit } from '../compose/quote';

// the compose drawer (and its editor) load only when a mail is written
const ComposeDrawer = lazy(() => import('../compose/ComposeDrawer').then((m) => ({ default: m.ComposeDrawer })));

/** 写邮件 on a customer's page: compose addressed to the customer's contacts that have an e-mail address. */
export function WriteMailButton({ customerId }: { customerId: string }) {
  const t = useT();
  const qc = useQueryClient();
  const contacts = useContacts(customerId);
  const [init, setInit] = useState<ComposeInit | null>(null);

  function open() {
    const seen = new Set<string>();
    const to: MailAddress[] = [];
    for (const c of contacts.data ?? []) {
      const address = c.email?.trim().toLowerCase();
      if (!address || seen.has(address)) continue;
      seen.add(address);
      to.push({ name: c.name, address });
    }
    setInit({ to });
  }

  return (
    <>
      <Button icon={<MailOutlined />} onClick={open} loading={contacts.isLoading} data-testid="write-mail">
        {t('mailui.compose.new')}
      </Button>
      {init ? (
        <Suspense fallback={null}>
          <ComposeDrawer
            init={init}
            onClose={() => setInit(null)}
            onSent={() => void qc.invalidateQueries({ queryKey: [...MAIL_KEY, 'customer', customerId] })}
          />
        </Suspense>
      ) : null}
    </>
  );
}
