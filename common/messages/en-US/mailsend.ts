/** Mail sending, group sending, system mail, invitations and password resets. */
export default {
  'error.mail_send_failed': 'Sending failed: {detail}',
  'error.system_mail_not_configured': 'The system mail account is not set up; ask an administrator',
  'error.link_invalid': 'This link is invalid or has expired; ask for a new one',
} as Record<string, string>;
