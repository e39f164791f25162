/** Mail accounts, fetching, storage. */
export default {
  'error.mail_auth_failed': '邮箱登录失败：用户名或密码（授权码）错误',
  'error.mail_connect_failed': '无法连接邮件服务器：{detail}',
  'error.mail_tls_untrusted': '邮件服务器的证书不受信任',
  'error.mail_timeout': '连接邮件服务器超时',
  'error.mail_service_disabled': '邮箱未开启 POP3/IMAP/SMTP 服务，请在邮箱设置中开启',
  'error.mail_fetch_running': '该邮箱正在收取邮件，请稍后',
  'error.mail_no_recipient': '请至少填写一个收件人',
  // test connection: each side in plain words
  'mail.test.incoming_ok': '收信服务器（{protocol}）登录成功',
  'mail.test.smtp_ok': '发信服务器（SMTP）登录成功',
  'mail.test.tls_untrusted_hint': '服务器使用自签名或不受信任的证书；如确认是自己的服务器，可勾选“允许自签名证书”',
  // a fetch run that failed for a reason other than the mail server's answer
  'mail.fetch.failed': '收取邮件失败：{detail}',
  // notifications of new mail (in the owner's language)
  'mail.notify.one': '{sender}：{subject}',
  'mail.notify.many': '收到 {count} 封新邮件',
  'mail.notify.many_body': '邮箱 {account}',
  'mail.no_subject': '（无主题）',
  'mail.unknown_sender': '（未知发件人）',
} as Record<string, string>;
