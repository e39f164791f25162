/** Mail sending, group sending, system mail, invitations and password resets. */
export default {
  'error.mail_send_failed': '邮件发送失败：{detail}',
  'error.system_mail_not_configured': '系统邮箱尚未设置，请联系管理员',
  'error.link_invalid': '链接无效或已过期，请重新申请',
} as Record<string, string>;
