/** Public pool (公海), owner changes, transfer (移交) and bulk actions on customers. */
export default {
  'pool.handover.customers': '客户',
  'pool.reason.create': '新建',
  'pool.reason.claim': '领取',
  'pool.reason.release': '放入公海',
  'pool.reason.assign': '分配',
  'pool.reason.transfer': '移交',
  'pool.reason.recycle': '自动回收',
  'pool.reason.handover': '离职交接',
  'pool.reason.merge': '合并',
  'pool.reason.convert': '线索转换',
  'pool.rule.no_contact': '超过 {days} 天未联系',
  'pool.rule.no_deal': '超过 {days} 天未成交',
  'pool.notice.rule': '回收规则：{rule}',
  'pool.notice.warning': '客户“{name}”将于 {date} 退回公海，请及时跟进',
  'pool.notice.recycled': '客户“{name}”已退回公海',
  'validation.in_pool': '{field}：该客户在公海中，请用分配或领取',
} as const;
