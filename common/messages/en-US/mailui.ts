/** Mail pages. */
export default {
  'mailui.title': 'Mail',
  'mailui.accounts.title': 'Mail accounts',
  'mailui.batches.title': 'Group mail',
  'mailui.system.title': 'System mail',
} as Record<string, string>;
