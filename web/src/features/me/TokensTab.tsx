import { useState } from 'react';
import { Alert, App as AntApp, Button, DatePicker, Form, Input, Modal, Popconfirm, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useT } from '@web/app/i18n';
import { formatDate, formatDateTime } from '@web/app/format';
import { showServerErrors } from '@web/app/forms';
import { useApiTokens, useCreateApiToken, useRevokeApiToken, type ApiTokenItem, type CreatedApiToken } from './api';

type Values = { name: string; expiresAt?: Dayjs | null };

/** My API tokens: create (shown once), list, revoke. */
export function TokensTab() {
  const t = useT();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const tokens = useApiTokens();
  const create = useCreateApiToken();
  const revoke = useRevokeApiToken();

  const submit = (v: Values) => {
    setError(null);
    create.mutate(
      // the token works through the whole chosen day
      { name: v.name.trim(), ...(v.expiresAt ? { expiresAt: v.expiresAt.endOf('day').toISOString() } : {}) },
      {
        onSuccess: (tok) => {
          form.resetFields();
          setCreated(tok);
        },
        onError: (e) => setError(showServerErrors(form, e, ['name', 'expiresAt'])),
      },
    );
  };

  const columns: ColumnsType<ApiTokenItem> = [
    { title: t('me.tokens.name'), dataIndex: 'name' },
    { title: t('me.tokens.prefix'), dataIndex: 'prefix', width: 130, render: (p: string) => <Typography.Text code>{p}…</Typography.Text> },
    { title: t('me.tokens.createdAt'), dataIndex: 'createdAt', width: 160, render: formatDateTime },
    {
      title: t('me.tokens.lastUsedAt'),
      dataIndex: 'lastUsedAt',
      width: 160,
      render: (v: string | null) => (v ? formatDateTime(v) : t('common.never')),
    },
    {
      title: t('me.tokens.expiresAt'),
      dataIndex: 'expiresAt',
      width: 130,
      render: (v: string | null) => (v ? formatDate(v) : t('me.tokens.noExpiry')),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 90,
      render: (_, tok) => (
        <Popconfirm
          title={t('me.tokens.revokeConfirm')}
          onConfirm={() =>
            revoke.mutateAsync(tok.id).then(
              () => void message.success(t('me.tokens.revoked')),
              (e: Error) => void message.error(e.message),
            )
          }
        >
          <Button type="link" danger size="small">
            {t('me.tokens.revoke')}
          </Button>
        </Popconfirm>
      ),
    },
  ];

  return (
    <>
      <Typography.Paragraph type="secondary">{t('me.tokens.intro')}</Typography.Paragraph>
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} /> : null}
      <Form<Values> form={form} layout="inline" onFinish={submit} requiredMark={false} style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item
          name="name"
          label={t('me.tokens.name')}
          rules={[{ required: true, whitespace: true, message: t('auth.required', { field: t('me.tokens.name') }) }, { max: 100 }]}
        >
          <Input placeholder={t('me.tokens.name.placeholder')} maxLength={100} style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="expiresAt" label={t('me.tokens.expiresAt')}>
          <DatePicker placeholder={t('me.tokens.noExpiry')} disabledDate={(d) => d.isBefore(dayjs(), 'day')} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={create.isPending}>
          {t('me.tokens.create')}
        </Button>
      </Form>
      <Table<ApiTokenItem>
        rowKey="id"
        size="middle"
        loading={tokens.isPending}
        columns={columns}
        dataSource={tokens.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: t('me.tokens.empty') }}
      />
      <Modal
        open={created !== null}
        title={t('me.tokens.created.title')}
        onCancel={() => setCreated(null)}
        footer={
          <Button type="primary" onClick={() => setCreated(null)}>
            {t('common.close')}
          </Button>
        }
        mask={{ closable: false }}
      >
        <Alert type="warning" showIcon title={t('me.tokens.created.warning')} style={{ marginBottom: 16 }} />
        <Typography.Paragraph
          code
          copyable={{ text: created?.token ?? '', tooltips: [t('common.copy'), t('common.copied')] }}
          style={{ wordBreak: 'break-all', fontSize: 13 }}
          data-testid="created-token"
        >
          {created?.token}
        </Typography.Paragraph>
      </Modal>
    </>
  );
}
