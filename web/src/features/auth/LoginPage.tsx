import { useEffect, useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Checkbox, Flex, Form, Input } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { get, post } from '@web/app/api';
import { ME_QUERY_KEY, safeNext, useMeQuery, type MeResponse } from '@web/app/auth';
import { showServerErrors } from '@web/app/forms';
import { useLocale, useT } from '@web/app/i18n';
import { AuthFrame } from './AuthFrame';

type Values = { username: string; password: string; remember: boolean };

/** /login?next=…: username or email, password, remember me. */
export function LoginPage() {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const me = useMeQuery();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const { locale } = useLocale();
  useEffect(() => {
    document.title = `${t('auth.login.title')} - ${t('shell.brand')}`;
  }, [t]);
  // the server wrote the error in the previous language
  useEffect(() => setError(null), [locale]);

  // already signed in (another tab, or the back button): go on
  if (me.data && !busy) return <Navigate to={me.data.user.mustChangePassword ? '/change-password' : next} replace />;

  const submit = async (v: Values) => {
    setError(null);
    setBusy(true);
    try {
      await post('/auth/login', { username: v.username.trim(), password: v.password, remember: v.remember });
      const fresh = await queryClient.fetchQuery({ queryKey: ME_QUERY_KEY, queryFn: () => get<MeResponse>('/me'), staleTime: 0 });
      await navigate(fresh.user.mustChangePassword ? `/change-password?next=${encodeURIComponent(next)}` : next, { replace: true });
    } catch (e) {
      setError(showServerErrors(form, e, ['username', 'password']));
      form.setFieldValue('password', '');
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthFrame title={t('auth.login.title')} subTitle={t('auth.login.subtitle')} width={380}>
      <Form<Values>
        form={form}
        layout="vertical"
        size="large"
        initialValues={{ remember: false }}
        onFinish={(v) => void submit(v)}
        requiredMark={false}
        onValuesChange={() => error && setError(null)}
      >
        {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" /> : null}
        <Form.Item
          name="username"
          rules={[{ required: true, whitespace: true, message: t('auth.required', { field: t('auth.login.username') }) }]}
        >
          <Input prefix={<UserOutlined />} placeholder={t('auth.login.username')} autoComplete="username" autoFocus />
        </Form.Item>
        <Form.Item name="password" rules={[{ required: true, message: t('auth.required', { field: t('auth.login.password') }) }]}>
          <Input.Password prefix={<LockOutlined />} placeholder={t('auth.login.password')} autoComplete="current-password" />
        </Form.Item>
        <Flex justify="space-between" align="baseline">
          <Form.Item name="remember" valuePropName="checked">
            <Checkbox>{t('auth.login.remember')}</Checkbox>
          </Form.Item>
          <Link to="/forgot-password">{t('mailui.forgot.link')}</Link>
        </Flex>
        <Button type="primary" htmlType="submit" block loading={busy}>
          {t('auth.login.submit')}
        </Button>
      </Form>
    </AuthFrame>
  );
}
