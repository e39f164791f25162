/** Approval centre pages. */
export default {
  'approvalscentre.title': '审批中心',
  'approvalscentre.submit.title': '发起审批',
  'approvalscentre.detail.title': '审批详情',
} as Record<string, string>;
