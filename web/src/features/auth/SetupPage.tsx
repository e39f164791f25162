import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Col, Divider, Form, Input, Row, Select } from 'antd';
import { ApiError, get, post } from '@web/app/api';
import { ME_QUERY_KEY, SETUP_QUERY_KEY, type MeResponse } from '@web/app/auth';
import { isStrongPassword, showServerErrors } from '@web/app/forms';
import { useT } from '@web/app/i18n';
import { AuthFrame } from './AuthFrame';

type Values = {
  companyName: string;
  timezone: string;
  admin: { name: string; username: string; password: string };
  confirm: string;
};

const DEFAULT_TZ = 'Asia/Shanghai';
const FIELDS = ['companyName', 'timezone', 'admin.name', 'admin.username', 'admin.password'];

/** Every IANA zone the browser knows, labelled with its current UTC offset. */
function timeZoneOptions() {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [DEFAULT_TZ];
  if (!zones.includes(DEFAULT_TZ)) zones.unshift(DEFAULT_TZ);
  const now = new Date();
  return zones.map((tz) => {
    let offset = '';
    try {
      offset =
        new Intl.DateTimeFormat('en-US', {
          timeZone: tz,
          timeZoneName: 'longOffset',
        })
          .formatToParts(now)
          .find((p) => p.type === 'timeZoneName')
          ?.value.replace('GMT', 'UTC') ?? '';
    } catch {
      // an old browser without longOffset: the name alone is enough
    }
    return {
      value: tz,
      label: offset ? `${tz} (${offset === 'UTC' ? 'UTC+00:00' : offset})` : tz,
    };
  });
}

/** /setup: first start only — the company and the first administrator. */
export function SetupPage() {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = AntApp.useApp();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const zones = useMemo(timeZoneOptions, []);
  const required = (label: string) => ({
    required: true,
    whitespace: true,
    message: t('auth.required', { field: label }),
  });

  useEffect(() => {
    document.title = `${t('auth.setup.title')} - ${t('shell.brand')}`;
  }, [t]);

  const submit = async (v: Values) => {
    setError(null);
    setBusy(true);
    try {
      await post('/setup', {
        companyName: v.companyName.trim(),
        timezone: v.timezone,
        admin: {
          name: v.admin.name.trim(),
          username: v.admin.username.trim().toLowerCase(),
          password: v.admin.password,
        },
      });
      // the server signed the new admin in
      await queryClient.fetchQuery({
        queryKey: ME_QUERY_KEY,
        queryFn: () => get<MeResponse>('/me'),
        staleTime: 0,
      });
      queryClient.setQueryData(SETUP_QUERY_KEY, { needed: false });
      void message.success(t('auth.setup.done'));
      await navigate('/', { replace: true });
    } catch (e) {
      if (e instanceof ApiError && e.problem.code === 'already_set_up') {
        queryClient.setQueryData(SETUP_QUERY_KEY, { needed: false });
        await navigate('/login', { replace: true });
        return;
      }
      setError(showServerErrors(form, e, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthFrame title={t('auth.setup.title')} subTitle={t('auth.setup.subtitle')} width={560}>
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ timezone: DEFAULT_TZ }}
        onFinish={(v) => void submit(v)}
        requiredMark={false}
        disabled={busy}
      >
        {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} /> : null}
        <Divider titlePlacement="start" plain style={{ marginTop: 0 }}>
          {t('auth.setup.company')}
        </Divider>
        <Form.Item name="companyName" label={t('auth.setup.companyName')} rules={[required(t('auth.setup.companyName')), { max: 100 }]}>
          <Input placeholder={t('auth.setup.companyName.placeholder')} autoFocus maxLength={100} />
        </Form.Item>
        <Form.Item name="timezone" label={t('auth.setup.timezone')} rules={[{ required: true }]}>
          <Select showSearch={{ optionFilterProp: 'label' }} options={zones} />
        </Form.Item>
        <Divider titlePlacement="start" plain>
          {t('auth.setup.admin')}
        </Divider>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item
              name={['admin', 'name']}
              label={t('auth.setup.adminName')}
              rules={[required(t('auth.setup.adminName')), { max: 50 }]}
            >
              <Input maxLength={50} autoComplete="name" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name={['admin', 'username']}
              label={t('auth.username')}
              extra={t('auth.username.hint')}
              rules={[
                required(t('auth.username')),
                {
                  pattern: /^[A-Za-z0-9._@-]{2,64}$/,
                  message: t('auth.username.hint'),
                },
              ]}
            >
              <Input autoComplete="username" maxLength={64} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name={['admin', 'password']}
              label={t('auth.password')}
              extra={t('auth.password.hint')}
              rules={[
                required(t('auth.password')),
                {
                  validator: (_, p: string | undefined) =>
                    !p || isStrongPassword(p) ? Promise.resolve() : Promise.reject(new Error(t('auth.password.weak'))),
                },
              ]}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="confirm"
              label={t('auth.password.confirm')}
              dependencies={[['admin', 'password']]}
              rules={[
                required(t('auth.password.confirm')),
                ({ getFieldValue }) => ({
                  validator: (_, v: string | undefined) =>
                    !v || v === getFieldValue(['admin', 'password'])
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('auth.password.mismatch'))),
                }),
              ]}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
          </Col>
        </Row>
        <Button type="primary" htmlType="submit" block size="large" loading={busy}>
          {t('auth.setup.submit')}
        </Button>
      </Form>
    </AuthFrame>
  );
}
