/** Flow designer, approval positions and custom forms admin pages. */
export default {
  'approvalsdesigner.flows.title': 'Approval flows',
  'approvalsdesigner.designer.title': 'Flow designer',
  'approvalsdesigner.positions.title': 'Approval positions',
  'approvalsdesigner.forms.title': 'Approval forms',
} as Record<string, string>;
