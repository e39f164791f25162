/** Mail accounts, fetching, storage. */
export default {
  'error.mail_auth_failed': '邮箱登录失败：用户名或密码（授权码）错误',
  'error.mail_connect_failed': '无法连接邮件服务器：{detail}',
  'error.mail_tls_untrusted': '邮件服务器的证书不受信任',
  'error.mail_timeout': '连接邮件服务器超时',
  'error.mail_service_disabled': '邮箱未开启 POP3/IMAP/SMTP 服务，请在邮箱设置中开启',
  'error.mail_fetch_running': '该邮箱正在收取邮件，请稍后',
  'error.mail_no_recipient': '请至少填写一个收件人',
} as Record<string, string>;
