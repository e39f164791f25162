/** Approval engine: errors, notifications, history words. */
export default {
  'error.approval_no_flow': 'No approval flow is set up for this kind of document; ask an administrator',
  'error.approval_flow_invalid': 'The approval flow has errors; fix them and save again',
  'error.approval_in_progress': 'This document is already in approval',
  'error.approval_not_pending': 'This approval has ended or was returned',
  'error.approval_already_decided': 'Someone else has already decided this step',
  'error.approval_not_allowed': 'You cannot do this on this approval',
  'error.approval_document_locked': 'The document is in approval and locked',
  'error.approval_no_approver': 'No approver found for step "{point}"',
} as Record<string, string>;
