import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { Card, Drawer, Empty, Flex, Grid } from 'antd';
import { MAIL_FOLDERS } from '@common/schemas/mail';
import { useT } from '@web/app/i18n';
import { useMailLive, type MailFolder, type MailListItem, type MailMessage } from './api';
import { MailSidebar } from './mailbox/MailSidebar';
import { MessageList } from './mailbox/MessageList';
import { MessageView, type ReplyKind } from './mailbox/MessageView';
import { useMessageActions } from './mailbox/useMessageActions';
import { ComposeDrawer } from './compose/ComposeDrawer';
import type { ComposeInit } from './compose/quote';

const isFolder = (v: string | null): v is MailFolder => !!v && (MAIL_FOLDERS as readonly string[]).includes(v);

/**
 * 邮件 (/mail): account and folders on the left, the folder's list in the middle, the read view on
 * the right (a drawer on narrow screens). The URL holds folder, account, search and the open
 * message (`/mail?id=…` is what notifications link to).
 */
export function MailPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const folder: MailFolder = isFolder(params.get('folder')) ? (params.get('folder') as MailFolder) : 'inbox';
  const accountId = params.get('account') || undefined;
  const q = params.get('q') || undefined;
  const openId = params.get('id');
  const [compose, setCompose] = useState<ComposeInit | null>(null);
  const wide = Grid.useBreakpoint().lg !== false;
  const actions = useMessageActions();
  useMailLive();

  const set = (change: Record<string, string | undefined>) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      for (const [k, v] of Object.entries(change)) {
        if (v) next.set(k, v);
        else next.delete(k);
      }
      return next;
    });

  function open(m: MailListItem) {
    // a draft opens in the editor
    if (m.folder === 'drafts') setCompose({ draftId: m.id });
    else set({ id: m.id });
  }

  const reply = (kind: ReplyKind, original: MailMessage) => setCompose({ reply: { kind, original } });
  const view = openId ? (
    <MessageView
      key={openId}
      id={openId}
      onReply={reply}
      onResend={(m) => setCompose({ draftId: m.id })}
      onClose={() => set({ id: undefined })}
    />
  ) : (
    <Empty description={t('mailui.read.none')} style={{ marginTop: 64 }} />
  );

  return (
    <Flex gap={12} align="flex-start" style={{ minHeight: 'calc(100vh - 160px)' }}>
      <MailSidebar
        folder={folder}
        accountId={accountId}
        onFolder={(f) => set({ folder: f === 'inbox' ? undefined : f, id: undefined, q: undefined })}
        onAccount={(a) => set({ account: a, id: undefined })}
        onCompose={() => setCompose({ accountId })}
      />
      <MessageList
        params={{ folder, accountId, q }}
        selectedId={openId}
        onSearch={(v) => set({ q: v || undefined })}
        onOpen={open}
        onStar={(m) => void actions.star(m.id, !m.starred)}
      />
      {wide ? (
        <Card size="small" style={{ flex: 1, minWidth: 0 }}>
          {view}
        </Card>
      ) : (
        <Drawer open={!!openId} onClose={() => set({ id: undefined })} size={720} destroyOnHidden>
          {openId ? view : null}
        </Drawer>
      )}
      <ComposeDrawer init={compose} onClose={() => setCompose(null)} />
    </Flex>
  );
}
