/** Approval flows, positions and forms API: flow validation errors, pseudo-field labels. */

/** flow definition errors (common/approvals/validate-flow.ts and the server's reference checks) */
const invalid: Record<string, string> = {
  no_approvers: 'Approval point "{name}" has no approvers',
  empty_branch: 'Branch "{name}" has no approval point with approvers',
  unreachable: 'Branch "{name}" can never run: it comes after branch "{after}", which takes every document',
  duplicate_condition: 'Branch "{name}" repeats the condition of an earlier branch and can never run',
  multiple_otherwise: 'Only one "otherwise" branch is allowed ("{name}" is one too many)',
  never_true: 'The condition on "{label}" contradicts itself and can never hold',
  duplicate_id: 'Node id {id} is used twice',
  unknown_field: 'This document type has no field "{key}"',
  condition_operator: 'Field "{label}" does not support this comparison',
  condition_value: 'Invalid condition value for field "{label}"',
  chain_unbounded: 'A supervisor chain needs a number of levels or a position to stop at',
  remind_too_late: 'The reminder of approval point "{name}" must come before its time limit ({hours} hours)',
  user_not_found: 'The selected user does not exist or has left',
  position_not_found: 'The selected position does not exist',
  approval_position_not_found: 'The selected approval position does not exist',
  department_not_found: 'The selected department does not exist',
};

export default {
  ...Object.fromEntries(Object.entries(invalid).map(([k, v]) => [`approvalsapi.invalid.${k}`, v])),
  // the same texts for the 400 approval_flow_invalid answer (errors[].field names the path)
  ...Object.fromEntries(Object.entries(invalid).map(([k, v]) => [`validation.${k}`, v])),
  'error.approval_position_in_use': 'This approval position is used by enabled approval flows ({flows}) and cannot be deleted',
  'error.approval_form_disabled': 'This approval form is disabled',
  'audit.entity.approval_flow': 'Approval flow',
  'audit.entity.approval_position': 'Approval position',
  'audit.entity.approval_form': 'Approval form',
  'audit.entity.approval_form_entry': 'Approval form entry',
  'approvalsapi.field.submitter_department': "Submitter's department",
  'approvalsapi.field.submitter_position': "Submitter's position",
  'approvalsapi.field.submitter_id': 'Submitter',
} as Record<string, string>;
