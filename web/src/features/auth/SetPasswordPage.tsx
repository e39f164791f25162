import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Alert, Button, Form, Input, Result, Skeleton } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { ApiError, get, post } from '@web/app/api';
import { isStrongPassword } from '@web/app/forms';
import { useT } from '@web/app/i18n';
import { AuthFrame } from './AuthFrame';

type LinkInfo = { kind: 'invite' | 'reset'; username: string; expiresAt: string };
type Values = { password: string; confirm: string };

/**
 * /set-password?token=… (public): the page an invitation or a password-reset mail links to. Shows
 * whose password is set, takes the new one twice; a used or expired link says so.
 */
export function SetPasswordPage() {
  const t = useT();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const link = useQuery({
    queryKey: ['auth', 'link', token],
    enabled: token.length >= 20,
    retry: false,
    queryFn: () => get<LinkInfo>(`/auth/links/${encodeURIComponent(token)}`),
  });
  const invite = link.data?.kind === 'invite';
  const title = invite ? t('mailui.setPassword.invite_title') : t('mailui.setPassword.title');

  useEffect(() => {
    document.title = `${title} - ${t('shell.brand')}`;
  }, [t, title]);

  async function submit(v: Values) {
    setBusy(true);
    setError(null);
    try {
      const r = await post<{ ok: boolean; username: string }>('/auth/set-password', { token, password: v.password });
      setDone(r.username);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  let body;
  if (done) {
    body = (
      <Result
        status="success"
        title={t('mailui.setPassword.done')}
        subTitle={t('mailui.setPassword.done_body', { username: done })}
        // a fresh page: any session in this browser was ended with the change
        extra={
          <Button type="primary" onClick={() => window.location.replace('/login')}>
            {t('mailui.setPassword.to_login')}
          </Button>
        }
        style={{ padding: 0 }}
      />
    );
  } else if (token.length < 20 || link.isError) {
    body = (
      <Result
        status="warning"
        title={t('mailui.setPassword.invalid')}
        // the server's words only when they say more than the title (not for a plain link_invalid)
        subTitle={link.error instanceof ApiError && link.error.problem.code !== 'link_invalid' ? link.error.message : undefined}
        extra={<Link to="/forgot-password">{t('mailui.setPassword.ask_again')}</Link>}
        style={{ padding: 0 }}
      />
    );
  } else if (!link.data) {
    body = <Skeleton active />;
  } else {
    body = (
      <Form<Values> layout="vertical" requiredMark={false} onFinish={(v) => void submit(v)}>
        {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} /> : null}
        <Alert type="info" title={t('mailui.setPassword.for_user', { username: link.data.username })} style={{ marginBottom: 16 }} />
        <Form.Item
          name="password"
          label={t('mailui.setPassword.new')}
          extra={t('auth.password.hint')}
          rules={[
            { required: true, message: t('auth.required', { field: t('mailui.setPassword.new') }) },
            {
              validator: (_, v: string | undefined) =>
                !v || isStrongPassword(v) ? Promise.resolve() : Promise.reject(new Error(t('auth.password.weak'))),
            },
          ]}
        >
          <Input.Password autoComplete="new-password" autoFocus />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('auth.password.confirm')}
          dependencies={['password']}
          rules={[
            { required: true, message: t('auth.required', { field: t('auth.password.confirm') }) },
            ({ getFieldValue }) => ({
              validator: (_, v: string | undefined) =>
                !v || v === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error(t('auth.password.mismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy}>
          {t('mailui.setPassword.submit')}
        </Button>
      </Form>
    );
  }

  return (
    <AuthFrame title={title} width={420}>
      {body}
    </AuthFrame>
  );
}
