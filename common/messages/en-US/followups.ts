/** Follow-ups, schedules and the visit cycle: server notices and shared labels. */
export default {
  'followups.entity': 'Follow-up',
  'followups.type.phone': 'Phone',
  'followups.type.visit': 'Visit',
  'followups.type.wechat': 'WeChat',
  'followups.type.mail': 'Mail',
  'followups.type.other': 'Other',
  'followups.overdue.title': '{count} of your customers are overdue for a visit',
  'followups.overdue.body':
    '{count} customers have gone longer than their visit cycle without contact. Please plan a follow-up or a schedule.',
  'schedules.entity': 'Schedule',
  'schedules.handover': 'Open schedules',
  'schedules.reminder.title': 'Reminder: {title}',
  'schedules.reminder.body': 'Starts at {at}',
  // field errors of this area (the problem details name the field)
  'validation.customer_or_lead': '{field}: choose one customer or one lead (not both)',
  'validation.in_future': '{field}: cannot be later than now',
  'validation.end_before_start': '{field}: the end cannot be before the start',
} as const;
