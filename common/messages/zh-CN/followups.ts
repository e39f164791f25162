/** 跟单 (follow-ups), 日程 (schedules) and 拜访周期 (visit cycle): server notices and shared labels. */
export default {
  'followups.entity': '跟单',
  'followups.type.phone': '电话',
  'followups.type.visit': '拜访',
  'followups.type.wechat': '微信',
  'followups.type.mail': '邮件',
  'followups.type.other': '其他',
  'followups.overdue.title': '你有 {count} 个客户超过拜访周期未联系',
  'followups.overdue.body': '共 {count} 个客户已超过拜访周期，请尽快安排跟单或日程。',
  'schedules.entity': '日程',
  'schedules.handover': '未完成的日程',
  'schedules.reminder.title': '日程提醒：{title}',
  'schedules.reminder.body': '开始时间：{at}',
  // field errors of this area (the problem details name the field)
  'validation.customer_or_lead': '{field}：请选择一个客户或一个潜在客户（二者只能选一个）',
  'validation.in_future': '{field}：不能晚于当前时间',
  'validation.end_before_start': '{field}：结束时间不能早于开始时间',
} as const;
