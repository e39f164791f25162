/** Approval engine: errors, notifications, history words. */
export default {
  'error.approval_no_flow': '该类单据没有可用的审批流程，请联系管理员设置',
  'error.approval_flow_invalid': '审批流程有误，请按提示修改后再保存',
  'error.approval_in_progress': '该单据正在审批中，不能重复提交',
  'error.approval_not_pending': '该审批已结束或已退回，不能再处理',
  'error.approval_already_decided': '该审批点已由他人处理',
  'error.approval_not_allowed': '你不能对该审批执行此操作',
  'error.approval_document_locked': '单据正在审批中，已锁定，不能修改',
  'error.approval_no_approver': '审批点“{point}”找不到审批人',
} as Record<string, string>;
