/** Home page. */
export default {
  'home.title': 'Workbench',
  'home.welcome': '{greeting}, {name}!',
  'home.greeting.morning': 'Good morning',
  'home.greeting.noon': 'Good day',
  'home.greeting.afternoon': 'Good afternoon',
  'home.greeting.evening': 'Good evening',
  'home.company': 'Welcome to {company} on Xietong CRM',
  'home.today': 'Today is {date}',
  'home.shortcuts': 'Shortcuts',
  'home.shortcut.notifications': 'Notifications',
  'home.shortcut.settings': 'Personal settings',
  'home.unread': '{count} unread notifications',
  'home.noUnread': 'No unread notifications',
} as const;
