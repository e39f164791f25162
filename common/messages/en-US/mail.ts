/** Mail accounts, fetching, storage. */
export default {
  'error.mail_auth_failed': 'Mail sign-in failed: wrong user name or password (authorisation code)',
  'error.mail_connect_failed': 'Cannot reach the mail server: {detail}',
  'error.mail_tls_untrusted': 'The certificate of the mail server is not trusted',
  'error.mail_timeout': 'The mail server did not answer in time',
  'error.mail_service_disabled': 'POP3/IMAP/SMTP is not enabled for this mailbox; turn it on in the mailbox settings',
  'error.mail_fetch_running': 'This account is fetching mail right now; try again shortly',
  'error.mail_no_recipient': 'Add at least one recipient',
} as Record<string, string>;
