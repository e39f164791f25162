/** Mail sending, group sending, system mail, invitations and password resets. */
export default {
  'error.mail_send_failed': 'Sending failed: {detail}',
  'error.system_mail_not_configured': 'The system mail account is not set up; ask an administrator',
  'error.link_invalid': 'This link is invalid or has expired; ask for a new one',

  'mailsend.with_reply': '{words} (the server said: {reply})',
  'mailsend.rejected': 'The server refused these recipients: {list}',
  'mailsend.batch.interrupted': 'Sending was interrupted; it may or may not have left, so it was not sent again',
  'mailsend.batch.account_gone': 'The sending mail account was deleted',
  'mailsend.stuck':
    'Sending did not finish within {minutes} minutes (the service stopped midway); it may or may not have left. Check with the recipient and use Edit and resend if needed',

  'mailsend.test.subject': 'Xietong CRM system mail test',
  'mailsend.test.body': 'Hello {name}, this is a test mail: the system mail account works.',

  'mailsend.link.hello': 'Hello {name},',
  'mailsend.link.ignore': 'If you did not ask for this, ignore this mail. The link works only once.',
  'mailsend.invite.subject': '{company} invites you to Xietong CRM',
  'mailsend.invite.intro': '{inviter} invites you to the Xietong CRM of {company}. Your username is {username}.',
  'mailsend.invite.action': 'Open this link within {hours} hours to set your password:',
  'mailsend.reset.subject': 'Reset your Xietong CRM password',
  'mailsend.reset.intro': 'We received a request to reset the password of the username {username}.',
  'mailsend.reset.action': 'Open this link within {hours} hours to set a new password:',

  'mailsend.notice.open': 'Open in Xietong CRM',
  'mailsend.notice.footer': 'This is a notice from Xietong CRM; please do not reply.',

  'audit.entity.mail_draft': 'Mail draft',
  'audit.entity.mail_batch': 'Group mail',
  'audit.entity.system_mail': 'System mail',
  'audit.action.send': 'Send',
  'audit.action.send_failed': 'Sending failed',
  'audit.action.invite': 'Invite',
  'audit.action.password_reset_request': 'Password reset request',
  'audit.action.password_set': 'Password set by link',
} as Record<string, string>;
