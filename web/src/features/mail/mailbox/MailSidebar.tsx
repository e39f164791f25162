import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { App, Badge, Button, Card, Flex, Menu, Select, Tooltip, Typography } from 'antd';
import {
  DeleteOutlined,
  EditOutlined,
  FileTextOutlined,
  InboxOutlined,
  SendOutlined,
  SyncOutlined,
  WarningFilled,
} from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import type { MailFetchResult } from '@common/schemas/mail';
import { post } from '@web/app/api';
import { useT } from '@web/app/i18n';
import { mailKeys, useMailAccounts, useUnreadCount, type MailAccount, type MailFolder } from '../api';

type Props = {
  folder: MailFolder;
  accountId: string | undefined;
  onFolder: (folder: MailFolder) => void;
  onAccount: (accountId: string | undefined) => void;
  onCompose: () => void;
};

const FOLDER_ICONS: Record<MailFolder, ReactNode> = {
  inbox: <InboxOutlined />,
  sent: <SendOutlined />,
  drafts: <FileTextOutlined />,
  trash: <DeleteOutlined />,
};

/** The mailbox's left column: 写邮件, 收取邮件, the account chooser and the folders. */
export function MailSidebar({ folder, accountId, onFolder, onAccount, onCompose }: Props) {
  const t = useT();
  const accounts = useMailAccounts();
  const unread = useUnreadCount();
  const list = accounts.data ?? [];
  const inboxUnread = accountId ? (unread.data?.byAccount[accountId] ?? 0) : (unread.data?.count ?? 0);

  return (
    <Card size="small" styles={{ body: { padding: 12 } }} style={{ width: 210, flex: 'none' }}>
      <Flex vertical gap={8}>
        <Button type="primary" icon={<EditOutlined />} block onClick={onCompose} disabled={!list.length}>
          {t('mailui.compose.new')}
        </Button>
        <FetchButton accounts={accountId ? list.filter((a) => a.id === accountId) : list.filter((a) => a.enabled)} />
        <Select
          aria-label={t('mailui.account.choose')}
          value={accountId ?? ''}
          onChange={(v: string) => onAccount(v || undefined)}
          options={[
            { value: '', label: t('mailui.account.all') },
            ...list.map((a) => ({ value: a.id, label: <AccountLabel account={a} /> })),
          ]}
          style={{ width: '100%' }}
          popupMatchSelectWidth={false}
        />
        {list.some((a) => a.lastError && (!accountId || a.id === accountId)) ? (
          <Typography.Text type="danger" style={{ fontSize: 12 }}>
            <WarningFilled /> <Link to="/mail/accounts">{t('mailui.account.has_error')}</Link>
          </Typography.Text>
        ) : null}
        <Menu
          mode="inline"
          selectedKeys={[folder]}
          onClick={({ key }) => onFolder(key as MailFolder)}
          style={{ borderInlineEnd: 'none' }}
          items={(['inbox', 'sent', 'drafts', 'trash'] as const).map((f) => ({
            key: f,
            icon: FOLDER_ICONS[f],
            label: (
              <Flex justify="space-between" align="center" data-testid={`mail-folder-${f}`}>
                <span>{t(`mailui.folder.${f}`)}</span>
                {f === 'inbox' && inboxUnread > 0 ? <Badge count={inboxUnread} size="small" overflowCount={999} /> : null}
              </Flex>
            ),
          }))}
        />
        {!accounts.isLoading && !list.length ? (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('mailui.account.none')} <Link to="/mail/accounts">{t('mailui.account.add_link')}</Link>
          </Typography.Text>
        ) : null}
      </Flex>
    </Card>
  );
}

function AccountLabel({ account: a }: { account: MailAccount }) {
  const t = useT();
  return (
    <Flex gap={6} align="center">
      <span>{a.name}</span>
      {a.lastError ? (
        <Tooltip title={t('mailui.account.last_error', { error: a.lastError })}>
          <WarningFilled style={{ color: '#faad14' }} aria-label={t('mailui.account.has_error')} />
        </Tooltip>
      ) : null}
    </Flex>
  );
}

/** 收取邮件: receives now on each chosen account in turn and says what came in. */
function FetchButton({ accounts }: { accounts: MailAccount[] }) {
  const t = useT();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [busy, setBusy] = useState(false);

  async function run() {
    setBusy(true);
    let fetched = 0;
    const failures: string[] = [];
    for (const a of accounts) {
      try {
        const r = await post<MailFetchResult>(`/mail/accounts/${encodeURIComponent(a.id)}/fetch`);
        fetched += r.fetched;
      } catch (e) {
        failures.push(`${a.name}：${e instanceof Error ? e.message : String(e)}`);
      }
    }
    setBusy(false);
    void qc.invalidateQueries({ queryKey: mailKeys.lists });
    void qc.invalidateQueries({ queryKey: mailKeys.unread });
    void qc.invalidateQueries({ queryKey: mailKeys.accounts });
    if (failures.length) void message.error({ content: failures.join('\n'), duration: 8 });
    if (failures.length < accounts.length) void message.success(t('mailui.fetch.done', { count: fetched }));
  }

  return (
    <Button icon={<SyncOutlined />} block onClick={() => void run()} loading={busy} disabled={!accounts.length}>
      {busy ? t('mailui.fetch.running') : t('mailui.fetch.button')}
    </Button>
  );
}
