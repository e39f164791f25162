/** Notification centre: top-bar bell and the full page. */
export default {
  'notifications.title': '通知中心',
  'notifications.bell': '通知',
  'notifications.all': '全部',
  'notifications.unread': '未读',
  'notifications.markRead': '标为已读',
  'notifications.markAllRead': '全部已读',
  'notifications.allMarked': '已全部标为已读',
  'notifications.viewAll': '查看全部通知',
  'notifications.empty': '暂无通知',
  'notifications.emptyUnread': '没有未读通知',
  'notifications.open': '查看',
  'notifications.unreadCount': '{count} 条未读',
  'notifications.unavailable': '通知暂时无法加载',
} as const;
