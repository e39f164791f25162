/** Mail sending, group sending, system mail, invitations and password resets. */
export default {
  'error.mail_send_failed': '邮件发送失败：{detail}',
  'error.system_mail_not_configured': '系统邮箱尚未设置，请联系管理员',
  'error.link_invalid': '链接无效或已过期，请重新申请',

  'mailsend.with_reply': '{words}（服务器回复：{reply}）',
  'mailsend.rejected': '以下收件人被服务器拒收：{list}',
  'mailsend.batch.interrupted': '发送过程中断，无法确认是否已发出，未重发',
  'mailsend.batch.account_gone': '发件邮箱已删除',
  'mailsend.stuck': '发送超过 {minutes} 分钟没有完成（服务中途停止），无法确认是否已发出；请确认对方是否收到，需要时点“编辑后重发”',

  'mailsend.test.subject': '协同 CRM 系统邮箱测试',
  'mailsend.test.body': '{name}，您好：这是一封测试邮件，收到说明系统邮箱设置正确。',

  'mailsend.link.hello': '{name}，您好：',
  'mailsend.link.ignore': '如果这不是您本人的操作，请忽略此邮件，链接只能使用一次。',
  'mailsend.invite.subject': '{company}邀请您使用协同 CRM',
  'mailsend.invite.intro': '{inviter}邀请您加入{company}的协同 CRM，您的用户名是 {username}。',
  'mailsend.invite.action': '请在 {hours} 小时内打开下面的链接设置登录密码：',
  'mailsend.reset.subject': '重置协同 CRM 登录密码',
  'mailsend.reset.intro': '我们收到了为用户名 {username} 重置登录密码的请求。',
  'mailsend.reset.action': '请在 {hours} 小时内打开下面的链接设置新密码：',

  'mailsend.notice.open': '在协同 CRM 中查看',
  'mailsend.notice.footer': '这是协同 CRM 的系统通知，请勿直接回复。',

  'audit.entity.mail_draft': '邮件草稿',
  'audit.entity.mail_batch': '群发邮件',
  'audit.entity.system_mail': '系统邮箱',
  'audit.action.send': '发送',
  'audit.action.send_failed': '发送失败',
  'audit.action.invite': '邀请',
  'audit.action.password_reset_request': '申请重置密码',
  'audit.action.password_set': '通过链接设置密码',
} as Record<string, string>;
