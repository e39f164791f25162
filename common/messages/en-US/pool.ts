/** Public pool, owner changes, transfer and bulk actions on customers. */
export default {
  'pool.handover.customers': 'Customers',
  'pool.reason.create': 'Created',
  'pool.reason.claim': 'Claimed',
  'pool.reason.release': 'Released to the pool',
  'pool.reason.assign': 'Assigned',
  'pool.reason.transfer': 'Transferred',
  'pool.reason.recycle': 'Recycled',
  'pool.reason.handover': 'Handover',
  'pool.reason.merge': 'Merged',
  'pool.reason.convert': 'Converted from a lead',
  'pool.rule.no_contact': 'no contact for more than {days} days',
  'pool.rule.no_deal': 'no deal for more than {days} days',
  'pool.notice.rule': 'Recycle rule: {rule}',
  'pool.notice.warning': 'Customer "{name}" returns to the public pool on {date}: follow up to keep it',
  'pool.notice.recycled': 'Customer "{name}" has returned to the public pool',
  'validation.in_pool': '{field}: this customer is in the public pool; assign or claim it instead',
} as const;
