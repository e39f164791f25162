/** Notification centre: top-bar bell and the full page. */
export default {
  'notifications.title': 'Notifications',
  'notifications.bell': 'Notifications',
  'notifications.all': 'All',
  'notifications.unread': 'Unread',
  'notifications.markRead': 'Mark as read',
  'notifications.markAllRead': 'Mark all read',
  'notifications.allMarked': 'All notifications marked as read',
  'notifications.viewAll': 'View all notifications',
  'notifications.empty': 'No notifications',
  'notifications.emptyUnread': 'No unread notifications',
  'notifications.open': 'Open',
  'notifications.unreadCount': '{count} unread',
  'notifications.unavailable': 'Notifications cannot be loaded right now',
} as const;
