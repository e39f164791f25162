/** Mail pages. */
export default {
  'mailui.title': '邮件',
  'mailui.accounts.title': '邮箱账户',
  'mailui.batches.title': '邮件群发',
  'mailui.system.title': '系统邮箱',
} as Record<string, string>;
