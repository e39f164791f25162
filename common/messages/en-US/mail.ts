/** Mail accounts, fetching, storage. */
export default {
  'error.mail_auth_failed': 'Mail sign-in failed: wrong user name or password (authorisation code)',
  'error.mail_connect_failed': 'Cannot reach the mail server: {detail}',
  'error.mail_tls_untrusted': 'The certificate of the mail server is not trusted',
  'error.mail_timeout': 'The mail server did not answer in time',
  'error.mail_service_disabled': 'POP3/IMAP/SMTP is not enabled for this mailbox; turn it on in the mailbox settings',
  'error.mail_fetch_running': 'This account is fetching mail right now; try again shortly',
  'error.mail_no_recipient': 'Add at least one recipient',
  // test connection: each side in plain words
  'mail.test.incoming_ok': 'Signed in to the incoming server ({protocol})',
  'mail.test.smtp_ok': 'Signed in to the outgoing server (SMTP)',
  'mail.test.tls_untrusted_hint':
    'The server presents a self-signed or untrusted certificate; if it is your own server, tick "Allow self-signed certificate"',
  // a fetch run that failed for a reason other than the mail server's answer
  'mail.fetch.failed': 'Fetching mail failed: {detail}',
  // notifications of new mail (in the owner's language)
  'mail.notify.one': '{sender}: {subject}',
  'mail.notify.many': '{count} new mails',
  'mail.notify.many_body': 'Account {account}',
  'mail.no_subject': '(no subject)',
  'mail.unknown_sender': '(unknown sender)',
} as Record<string, string>;
