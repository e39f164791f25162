import { Form, Input, Modal, Typography } from 'antd';
import { isStrongPassword } from '@web/app/forms';
import { useT } from '@web/app/i18n';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import type { User } from '../shared/types';
import { useUserMutations } from './useUserMutations';

type Values = { password: string; confirm: string };

/** An admin sets a new password; the user must change it at next login and their sessions end. */
export function ResetPasswordModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const feedback = useFeedback();
  const { resetPassword } = useUserMutations();

  async function submit(values: Values) {
    if (!user) return;
    try {
      await resetPassword.mutateAsync({ id: user.id, password: values.password });
      feedback.success('orgui.user.password_reset_ok', { name: user.name });
      onClose();
    } catch (err) {
      feedback.failure(err, form);
    }
  }

  return (
    <Modal
      open={Boolean(user)}
      title={t('orgui.user.reset_password_title', { name: user?.name ?? '' })}
      okText={t('orgui.user.reset_password')}
      cancelText={t('common.cancel')}
      confirmLoading={resetPassword.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('orgui.user.reset_password_hint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item
          name="password"
          label={t('orgui.user.new_password')}
          rules={[
            { required: true, message: t('admin.required') },
            {
              validator: (_, v?: string) =>
                !v || isStrongPassword(v) ? Promise.resolve() : Promise.reject(new Error(t('orgui.user.password_rule'))),
            },
          ]}
          extra={t('orgui.user.password_rule')}
        >
          <Input.Password autoComplete="new-password" autoFocus />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('orgui.user.confirm_password')}
          dependencies={['password']}
          rules={[
            { required: true, message: t('admin.required') },
            ({ getFieldValue }) => ({
              validator: (_, v) =>
                !v || v === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error(t('orgui.user.password_mismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
