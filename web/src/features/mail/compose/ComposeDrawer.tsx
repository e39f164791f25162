import { useRef } from 'react';
import { Link } from 'react-router';
import { Alert, Drawer, Skeleton } from 'antd';
import { useT } from '@web/app/i18n';
import { useMailAccounts, useMessageForCompose } from '../api';
import { ComposeForm } from './ComposeForm';
import type { ComposeInit } from './quote';

type Props = {
  /** null: closed */
  init: ComposeInit | null;
  onClose: () => void;
  /** after a successful send */
  onSent?: () => void;
};

/**
 * 写邮件 in a drawer: new mail, a reply or forward (the original is read again with its remote
 * images, so the quote shows what the reader saw), or a saved draft. Closing asks whether to keep
 * the draft (see ComposeForm).
 */
export function ComposeDrawer({ init, onClose, onSent }: Props) {
  const t = useT();
  const accounts = useMailAccounts();
  const originalId = init?.reply?.original.id ?? init?.draftId ?? null;
  // a draft is reopened with images too: its quote is saved as it is shown
  const original = useMessageForCompose(originalId);
  // the form replaces this with its own "keep the draft?" question once it is shown
  const closer = useRef<() => void>(onClose);
  const title = init?.reply
    ? t(`mailui.compose.title_${init.reply.kind}`)
    : init?.draftId
      ? t('mailui.compose.title_draft')
      : t('mailui.compose.title_new');

  const ready = accounts.data && (!originalId || original.data);
  let content;
  if (accounts.isError || original.isError) {
    content = <Alert type="error" showIcon title={(accounts.error ?? original.error)?.message} />;
  } else if (!ready) {
    content = <Skeleton active />;
  } else if (!accounts.data.length) {
    content = (
      <Alert
        type="warning"
        showIcon
        title={t('mailui.compose.no_account')}
        description={<Link to="/mail/accounts">{t('mailui.account.add_link')}</Link>}
      />
    );
  } else if (init) {
    content = (
      <ComposeForm
        init={init}
        loaded={original.data}
        accounts={accounts.data}
        setCloser={(fn) => {
          closer.current = fn;
        }}
        onClose={onClose}
        onSent={() => {
          onSent?.();
          onClose();
        }}
      />
    );
  }

  return (
    <Drawer
      open={init !== null}
      onClose={() => closer.current()}
      title={title}
      size={880}
      destroyOnHidden
      maskClosable={false}
      afterOpenChange={(open) => {
        if (!open) closer.current = onClose;
      }}
      styles={{ body: { paddingTop: 12 } }}
    >
      {content}
    </Drawer>
  );
}
