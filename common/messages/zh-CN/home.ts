/** Home page. */
export default {
  'home.title': '工作台',
  'home.welcome': '{name}，{greeting}！',
  'home.greeting.morning': '早上好',
  'home.greeting.noon': '中午好',
  'home.greeting.afternoon': '下午好',
  'home.greeting.evening': '晚上好',
  'home.company': '欢迎使用{company}的协同 CRM',
  'home.today': '今天是 {date}',
  'home.shortcuts': '快捷入口',
  'home.shortcut.notifications': '通知中心',
  'home.shortcut.settings': '个人设置',
  'home.unread': '{count} 条未读通知',
  'home.noUnread': '没有未读通知',
} as const;
