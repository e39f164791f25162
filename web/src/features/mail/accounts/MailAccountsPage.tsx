import { useState } from 'react';
import { App, Button, Card, Flex, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import type { MailFetchResult, MailTestResult } from '@common/schemas/mail';
import { del, post } from '@web/app/api';
import { PageHeader } from '@web/app/PageHeader';
import { useT } from '@web/app/i18n';
import { formatDateTime } from '@web/app/format';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import { mailKeys, useMailAccounts, useMailLive, type MailAccount } from '../api';
import { AccountDrawer } from './AccountDrawer';
import { TestResultView } from './TestResultView';

const enc = encodeURIComponent;

/** 邮箱账户 (/mail/accounts): the user's own accounts with their fetch status; add, edit, test, receive now, delete. */
export function MailAccountsPage() {
  const t = useT();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const feedback = useFeedback();
  const accounts = useMailAccounts();
  const [editing, setEditing] = useState<MailAccount | 'new' | null>(null);
  const [busy, setBusy] = useState<Record<string, 'fetch' | 'test' | undefined>>({});
  const [tested, setTested] = useState<{ account: MailAccount; result: MailTestResult } | null>(null);
  useMailLive();

  const mark = (id: string, what: 'fetch' | 'test' | undefined) => setBusy((b) => ({ ...b, [id]: what }));
  const refresh = () => qc.invalidateQueries({ queryKey: mailKeys.accounts });

  async function fetchNow(a: MailAccount) {
    mark(a.id, 'fetch');
    try {
      const r = await post<MailFetchResult>(`/mail/accounts/${enc(a.id)}/fetch`);
      void message.success(
        t('mailui.accounts.fetched', {
          fetched: r.fetched,
          skipped: r.skipped,
          deleted: r.deleted,
          seconds: (r.durationMs / 1000).toFixed(1),
        }),
      );
      void qc.invalidateQueries({ queryKey: mailKeys.lists });
      void qc.invalidateQueries({ queryKey: mailKeys.unread });
    } catch (e) {
      feedback.failure(e);
    } finally {
      mark(a.id, undefined);
      void refresh();
    }
  }

  async function test(a: MailAccount) {
    mark(a.id, 'test');
    try {
      setTested({ account: a, result: await post<MailTestResult>(`/mail/accounts/${enc(a.id)}/test`) });
    } catch (e) {
      feedback.failure(e);
    } finally {
      mark(a.id, undefined);
    }
  }

  async function remove(a: MailAccount) {
    try {
      await del(`/mail/accounts/${enc(a.id)}?version=${a.version}`);
      feedback.success('mailui.accounts.deleted', { name: a.name });
    } catch (e) {
      feedback.failure(e);
    } finally {
      void refresh();
    }
  }

  const columns: TableColumnsType<MailAccount> = [
    {
      title: t('mailui.accounts.name'),
      key: 'name',
      render: (_, a) => (
        <Flex vertical>
          <Space size={4} wrap>
            <Typography.Link onClick={() => setEditing(a)}>{a.name}</Typography.Link>
            {a.isDefault ? <Tag color="blue">{t('mailui.accounts.default_tag')}</Tag> : null}
            {!a.enabled ? <Tag>{t('mailui.accounts.disabled_tag')}</Tag> : null}
          </Space>
          <Typography.Text type="secondary">{a.address}</Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('mailui.accounts.servers'),
      key: 'servers',
      render: (_, a) => (
        <Flex vertical>
          <Typography.Text>
            {a.incoming.protocol.toUpperCase()} {a.incoming.host}:{a.incoming.port}
          </Typography.Text>
          <Typography.Text type="secondary">
            SMTP {a.smtp.host}:{a.smtp.port}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('mailui.accounts.status'),
      key: 'status',
      render: (_, a) => (
        <Flex vertical style={{ maxWidth: 360 }}>
          <Typography.Text>
            {t('mailui.accounts.last_fetch', { at: a.lastFetchAt ? formatDateTime(a.lastFetchAt) : t('common.never') })}
          </Typography.Text>
          {a.lastError ? (
            <Typography.Text type="danger" data-testid="account-error">
              {a.lastErrorAt ? `${formatDateTime(a.lastErrorAt)} ` : ''}
              {a.lastError}
            </Typography.Text>
          ) : a.enabled && a.nextFetchAt ? (
            <Typography.Text type="secondary">{t('mailui.accounts.next_fetch', { at: formatDateTime(a.nextFetchAt) })}</Typography.Text>
          ) : null}
        </Flex>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 300,
      render: (_, a) => (
        <Space size={0} wrap>
          <Button type="link" size="small" loading={busy[a.id] === 'fetch'} onClick={() => void fetchNow(a)} disabled={!!busy[a.id]}>
            {t('mailui.accounts.fetch_now')}
          </Button>
          <Button type="link" size="small" loading={busy[a.id] === 'test'} onClick={() => void test(a)} disabled={!!busy[a.id]}>
            {t('mailui.accounts.test')}
          </Button>
          <Button type="link" size="small" onClick={() => setEditing(a)}>
            {t('common.edit')}
          </Button>
          <Popconfirm
            title={t('mailui.accounts.delete_confirm', { name: a.name })}
            description={t('mailui.accounts.delete_hint')}
            okText={t('common.delete')}
            okButtonProps={{ danger: true }}
            cancelText={t('common.cancel')}
            onConfirm={() => void remove(a)}
          >
            <Button type="link" size="small" danger>
              {t('common.delete')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        subTitle={t('mailui.accounts.subtitle')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t('mailui.accounts.add')}
          </Button>
        }
      />
      <Card>
        <Table<MailAccount>
          rowKey="id"
          loading={accounts.isLoading}
          dataSource={accounts.data ?? []}
          columns={columns}
          pagination={false}
          locale={{ emptyText: t('mailui.accounts.empty') }}
        />
      </Card>
      <AccountDrawer target={editing} onClose={() => setEditing(null)} />
      <Modal
        open={tested !== null}
        title={tested ? t('mailui.accounts.test_of', { name: tested.account.name }) : ''}
        onCancel={() => setTested(null)}
        footer={<Button onClick={() => setTested(null)}>{t('common.close')}</Button>}
      >
        {tested ? <TestResultView result={tested.result} /> : null}
      </Modal>
    </>
  );
}
