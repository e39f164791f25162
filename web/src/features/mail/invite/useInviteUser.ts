import { App } from 'antd';
import { INVITE_HOURS } from '@common/schemas/mail';
import { post } from '@web/app/api';
import { useT } from '@web/app/i18n';
import { useFeedback } from '@web/features/system/shared/useFeedback';

/**
 * 发送邀请邮件 on the users page: after a confirmation, mails the user a one-time link to set their
 * password (POST /users/:id/invite, valid 72 hours) through the system mail account.
 */
export function useInviteUser() {
  const t = useT();
  const { modal, message } = App.useApp();
  const feedback = useFeedback();
  return (user: { id: string; name: string; email?: string | null }) => {
    // (a position that hides users' e-mail gets no email key at all: then the server decides)
    if ('email' in user && !user.email) {
      void message.warning(t('mailui.invite.no_email', { name: user.name }));
      return;
    }
    void modal.confirm({
      title: t('mailui.invite.confirm', { name: user.name }),
      content: user.email
        ? t('mailui.invite.confirm_body', { email: user.email, hours: INVITE_HOURS })
        : t('mailui.invite.confirm_body_hidden', { hours: INVITE_HOURS }),
      okText: t('mailui.invite.send'),
      cancelText: t('common.cancel'),
      onOk: () =>
        post(`/users/${encodeURIComponent(user.id)}/invite`).then(
          () => void message.success(user.email ? t('mailui.invite.sent', { email: user.email }) : t('mailui.invite.sent_hidden')),
          (e: unknown) => feedback.failure(e),
        ),
    });
  };
}
