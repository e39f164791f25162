/** Flow designer, approval positions and custom forms admin pages. */
export default {
  'approvalsdesigner.flows.title': '审批流程',
  'approvalsdesigner.designer.title': '流程设计',
  'approvalsdesigner.positions.title': '审批职位',
  'approvalsdesigner.forms.title': '审批表单',
} as Record<string, string>;
