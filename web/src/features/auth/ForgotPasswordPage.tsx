import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { Alert, Button, Form, Input, Result } from 'antd';
import { MailOutlined } from '@ant-design/icons';
import { RESET_HOURS } from '@common/schemas/mail';
import { post } from '@web/app/api';
import { useT } from '@web/app/i18n';
import { AuthFrame } from './AuthFrame';

/**
 * /forgot-password (public): asks for the account's e-mail address and mails a reset link. The
 * answer is the same whether the address is known or not (the server never tells).
 */
export function ForgotPasswordPage() {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    document.title = `${t('mailui.forgot.title')} - ${t('shell.brand')}`;
  }, [t]);

  async function submit(v: { email: string }) {
    setBusy(true);
    setError(null);
    try {
      await post('/auth/forgot-password', { email: v.email.trim() });
      setSentTo(v.email.trim());
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthFrame title={t('mailui.forgot.title')} subTitle={sentTo ? undefined : t('mailui.forgot.subtitle')} width={420}>
      {sentTo ? (
        <Result
          status="success"
          title={t('mailui.forgot.sent_title')}
          subTitle={t('mailui.forgot.sent_body', { email: sentTo, hours: RESET_HOURS })}
          extra={<Link to="/login">{t('mailui.forgot.back')}</Link>}
          style={{ padding: 0 }}
        />
      ) : (
        <Form layout="vertical" size="large" requiredMark={false} onFinish={(v: { email: string }) => void submit(v)}>
          {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} /> : null}
          <Form.Item
            name="email"
            rules={[
              { required: true, whitespace: true, message: t('auth.required', { field: t('mailui.forgot.email') }) },
              { type: 'email', message: t('mailui.accounts.bad_address') },
            ]}
          >
            <Input prefix={<MailOutlined />} placeholder={t('mailui.forgot.email')} autoComplete="email" autoFocus />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t('mailui.forgot.submit')}
          </Button>
          <div style={{ textAlign: 'center', marginTop: 16 }}>
            <Link to="/login">{t('mailui.forgot.back')}</Link>
          </div>
        </Form>
      )}
    </AuthFrame>
  );
}
