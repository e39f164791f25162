import { useEffect } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { App as AntApp, Button, Flex } from 'antd';
import { safeNext, useLogout } from '@web/app/auth';
import { useT } from '@web/app/i18n';
import { AuthFrame } from './AuthFrame';
import { ChangePasswordForm } from './ChangePasswordForm';

/** /change-password: shown when an admin set the password and the user must choose their own. */
export function ChangePasswordPage() {
  const t = useT();
  const navigate = useNavigate();
  const logout = useLogout();
  const [params] = useSearchParams();
  const { message } = AntApp.useApp();

  useEffect(() => {
    document.title = `${t('auth.changePassword.title')} - ${t('shell.brand')}`;
  }, [t]);

  return (
    <AuthFrame title={t('auth.changePassword.title')} subTitle={t('auth.changePassword.subtitle')} width={420}>
      <ChangePasswordForm
        block
        onDone={() => {
          void message.success(t('auth.changePassword.done'));
          void navigate(safeNext(params.get('next')), { replace: true });
        }}
      />
      <Flex justify="center" style={{ marginTop: 12 }}>
        <Button type="link" onClick={() => void logout()}>
          {t('auth.logout')}
        </Button>
      </Flex>
    </AuthFrame>
  );
}
