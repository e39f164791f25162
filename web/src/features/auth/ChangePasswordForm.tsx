import { useState } from 'react';
import { Alert, Button, Form, Input } from 'antd';
import { useT } from '@web/app/i18n';
import { isStrongPassword, showServerErrors } from '@web/app/forms';
import { useChangePassword } from '@web/features/me/api';

type Values = { currentPassword: string; newPassword: string; confirm: string };

/** Current + new + confirm password; used by the forced change page and personal settings. */
export function ChangePasswordForm({ onDone, block = false }: { onDone: () => void; block?: boolean }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const change = useChangePassword();

  const submit = (v: Values) => {
    setError(null);
    change.mutate(
      { currentPassword: v.currentPassword, newPassword: v.newPassword },
      {
        onSuccess: () => {
          form.resetFields();
          onDone();
        },
        onError: (e) => setError(showServerErrors(form, e, ['currentPassword', 'newPassword'])),
      },
    );
  };

  return (
    <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} disabled={change.isPending}>
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} /> : null}
      <Form.Item
        name="currentPassword"
        label={t('auth.changePassword.current')}
        rules={[{ required: true, message: t('auth.required', { field: t('auth.changePassword.current') }) }]}
      >
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label={t('auth.changePassword.new')}
        extra={t('auth.password.hint')}
        rules={[
          { required: true, message: t('auth.required', { field: t('auth.changePassword.new') }) },
          {
            validator: (_, v: string | undefined) =>
              !v || isStrongPassword(v) ? Promise.resolve() : Promise.reject(new Error(t('auth.password.weak'))),
          },
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('auth.password.confirm')}
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('auth.required', { field: t('auth.password.confirm') }) },
          ({ getFieldValue }) => ({
            validator: (_, v: string | undefined) =>
              !v || v === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('auth.password.mismatch'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={change.isPending} block={block}>
        {t('auth.changePassword.submit')}
      </Button>
    </Form>
  );
}
