/** Approval flows, positions and forms API: flow validation errors, pseudo-field labels. */

/** flow definition errors (common/approvals/validate-flow.ts and the server's reference checks) */
const invalid: Record<string, string> = {
  no_approvers: '审批点“{name}”没有设置审批人',
  empty_branch: '分支“{name}”没有任何设置了审批人的审批点',
  unreachable: '分支“{name}”永远不会被执行：排在条件为“其他情况”或“全部”的分支“{after}”之后',
  duplicate_condition: '分支“{name}”的条件与前面的分支重复，永远不会被执行',
  multiple_otherwise: '只能有一个“其他情况”分支（“{name}”多余）',
  never_true: '条件“{label}”自相矛盾，永远不会成立',
  duplicate_id: '节点编号 {id} 重复',
  unknown_field: '该类单据没有字段“{key}”',
  condition_operator: '字段“{label}”不支持该比较方式',
  condition_value: '字段“{label}”的条件值无效',
  chain_unbounded: '逐级上级审批需要设置层数或截止职位',
  remind_too_late: '审批点“{name}”的提醒时间必须早于时限（{hours} 小时）',
  user_not_found: '所选人员不存在或已离职',
  position_not_found: '所选职位不存在',
  approval_position_not_found: '所选审批职位不存在',
  department_not_found: '所选部门不存在',
};

export default {
  ...Object.fromEntries(Object.entries(invalid).map(([k, v]) => [`approvalsapi.invalid.${k}`, v])),
  // the same texts for the 400 approval_flow_invalid answer (errors[].field names the path)
  ...Object.fromEntries(Object.entries(invalid).map(([k, v]) => [`validation.${k}`, v])),
  'error.approval_position_in_use': '该审批职位正被启用中的审批流程使用（{flows}），不能删除',
  'error.approval_form_disabled': '该审批表单已停用',
  'audit.entity.approval_flow': '审批流程',
  'audit.entity.approval_position': '审批职位',
  'audit.entity.approval_form': '审批表单',
  'audit.entity.approval_form_entry': '审批单',
  'approvalsapi.field.submitter_department': '提交人部门',
  'approvalsapi.field.submitter_position': '提交人职位',
  'approvalsapi.field.submitter_id': '提交人',
} as Record<string, string>;
