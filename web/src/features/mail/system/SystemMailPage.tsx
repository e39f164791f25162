import { useState } from 'react';
import { Alert, Button, Card, Checkbox, Col, Form, Input, InputNumber, Row, Select, Skeleton, Space, Switch } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { MailSecurity } from '@common/schemas/mail';
import { ApiError, get, post, put } from '@web/app/api';
import { PageHeader } from '@web/app/PageHeader';
import { useT } from '@web/app/i18n';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import { mailKeys, type SystemMailSettings } from '../api';
import { isStandardPort, standardPort } from '../accounts/accountForm';

type Values = Omit<SystemMailSettings, 'hasPassword' | 'fromName' | 'username'> & {
  fromName?: string;
  username?: string;
  password?: string;
};

/** 系统邮箱 (/system/mail, admins): the SMTP account that sends notices, invitations and password resets. */
export function SystemMailPage() {
  const settings = useQuery({ queryKey: mailKeys.system, queryFn: () => get<SystemMailSettings>('/system/mail') });
  return (
    <>
      <PageHeader />
      <Card style={{ maxWidth: 760 }}>
        {settings.isError ? (
          <Alert type="error" showIcon title={settings.error.message} />
        ) : settings.data ? (
          <SystemMailForm settings={settings.data} />
        ) : (
          <Skeleton active />
        )}
      </Card>
    </>
  );
}

function SystemMailForm({ settings }: { settings: SystemMailSettings }) {
  const t = useT();
  const qc = useQueryClient();
  const feedback = useFeedback();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [testing, setTesting] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [hasPassword, setHasPassword] = useState(settings.hasPassword);
  // changed since loaded or last saved (the test mail uses the stored settings)
  const [dirty, setDirty] = useState(false);

  const initial: Values = {
    enabled: settings.enabled,
    fromAddress: settings.fromAddress,
    fromName: settings.fromName ?? undefined,
    smtp: settings.smtp,
    username: settings.username ?? undefined,
    allowSelfSignedCertificate: settings.allowSelfSignedCertificate,
    // the address this page is open at is the best first guess
    publicUrl: settings.publicUrl || window.location.origin,
    notifyByMail: settings.notifyByMail,
  };

  async function save(v: Values): Promise<boolean> {
    setSaving(true);
    try {
      const saved = await put<SystemMailSettings>('/system/mail', {
        ...v,
        fromName: v.fromName?.trim() || null,
        username: v.username?.trim() || null,
        password: v.password || undefined,
      });
      qc.setQueryData(mailKeys.system, saved);
      setHasPassword(saved.hasPassword);
      form.setFieldsValue({ password: undefined });
      setDirty(false);
      feedback.success('common.saved');
      return true;
    } catch (e) {
      feedback.failure(e, form);
      return false;
    } finally {
      setSaving(false);
    }
  }

  // the test mail uses the stored settings: unsaved changes are saved first
  async function test() {
    setResult(null);
    if (dirty) {
      let v: Values;
      try {
        v = await form.validateFields();
      } catch {
        return;
      }
      if (!(await save(v))) return;
    }
    setTesting(true);
    try {
      const r = await post<{ to: string }>('/system/mail/test');
      setResult({ ok: true, text: t('mailui.system.test_sent', { to: r.to }) });
    } catch (e) {
      const noEmail = e instanceof ApiError && e.problem.errors?.some((x) => x.field === 'email');
      setResult({ ok: false, text: noEmail ? t('mailui.system.no_admin_email') : e instanceof Error ? e.message : String(e) });
    } finally {
      setTesting(false);
    }
  }

  const required = (label: string) => [{ required: true, whitespace: true, message: t('mailui.required', { field: label }) }];

  return (
    <Form<Values>
      form={form}
      layout="vertical"
      initialValues={initial}
      onFinish={(v) => void save(v)}
      requiredMark={false}
      onValuesChange={() => {
        setResult(null);
        setDirty(true);
      }}
    >
      <Form.Item name="enabled" valuePropName="checked" label={t('mailui.system.enabled')} extra={t('mailui.system.enabled_hint')}>
        <Switch />
      </Form.Item>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item
            name="fromAddress"
            label={t('mailui.system.from_address')}
            rules={[...required(t('mailui.system.from_address')), { type: 'email', message: t('mailui.accounts.bad_address') }]}
          >
            <Input placeholder="noreply@example.com" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="fromName" label={t('mailui.system.from_name')}>
            <Input maxLength={100} placeholder={t('mailui.system.from_name_placeholder')} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item
            name={['smtp', 'host']}
            label={t('mailui.accounts.host', { side: 'SMTP' })}
            rules={required(t('mailui.accounts.host', { side: 'SMTP' }))}
          >
            <Input placeholder="smtp.example.com" />
          </Form.Item>
        </Col>
        <Col span={5}>
          <Form.Item
            name={['smtp', 'port']}
            label={t('mailui.accounts.port')}
            rules={[{ required: true, message: t('mailui.required', { field: t('mailui.accounts.port') }) }]}
          >
            <InputNumber min={1} max={65535} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={7}>
          <Form.Item name={['smtp', 'security']} label={t('mailui.accounts.security')}>
            <Select
              options={(['tls', 'starttls', 'none'] as const).map((s) => ({ value: s, label: t(`mailui.security.${s}`) }))}
              onChange={(s: MailSecurity) => {
                if (isStandardPort(form.getFieldValue(['smtp', 'port']) as number))
                  form.setFieldValue(['smtp', 'port'], standardPort('smtp', s));
              }}
            />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="username" label={t('mailui.accounts.username')} extra={t('mailui.system.username_hint')}>
            <Input autoComplete="off" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="password" label={t('mailui.accounts.password')}>
            <Input.Password autoComplete="new-password" placeholder={hasPassword ? t('mailui.system.password_set') : undefined} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="allowSelfSignedCertificate" valuePropName="checked">
        <Checkbox>{t('mailui.accounts.self_signed')}</Checkbox>
      </Form.Item>
      <Form.Item
        name="publicUrl"
        label={t('mailui.system.public_url')}
        extra={t('mailui.system.public_url_hint')}
        rules={[...required(t('mailui.system.public_url')), { type: 'url', message: t('mailui.system.bad_url') }]}
      >
        <Input placeholder="https://crm.example.com" />
      </Form.Item>
      <Form.Item
        name="notifyByMail"
        valuePropName="checked"
        label={t('mailui.system.notify_by_mail')}
        extra={t('mailui.system.notify_by_mail_hint')}
      >
        <Switch />
      </Form.Item>
      {result ? (
        <Alert
          type={result.ok ? 'success' : 'error'}
          showIcon
          title={result.text}
          style={{ marginBottom: 16 }}
          data-testid="system-mail-test-result"
        />
      ) : null}
      <Space>
        <Button type="primary" htmlType="submit" loading={saving}>
          {t('common.save')}
        </Button>
        <Button loading={testing} onClick={() => void test()}>
          {t('mailui.system.test')}
        </Button>
      </Space>
    </Form>
  );
}
