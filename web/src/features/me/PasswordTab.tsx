import { App as AntApp, Typography } from 'antd';
import { useT } from '@web/app/i18n';
import { ChangePasswordForm } from '@web/features/auth/ChangePasswordForm';

/** Change my password (other sessions end on the server). */
export function PasswordTab() {
  const t = useT();
  const { message } = AntApp.useApp();
  return (
    <div style={{ maxWidth: 440 }}>
      <Typography.Paragraph type="secondary">{t('me.password.intro')}</Typography.Paragraph>
      <ChangePasswordForm onDone={() => void message.success(t('me.password.done'))} />
    </div>
  );
}
