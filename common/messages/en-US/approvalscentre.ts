/** Approval centre pages. */
export default {
  'approvalscentre.title': 'Approvals',
  'approvalscentre.submit.title': 'New request',
  'approvalscentre.detail.title': 'Approval',
} as Record<string, string>;
