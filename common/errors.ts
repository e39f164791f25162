/** Stable error codes with their HTTP status. Messages live in the catalog as `error.<code>`. */
export const ERRORS = {
  validation: 400,
  bad_json: 400,
  body_too_large: 413,
  unauthenticated: 401,
  invalid_credentials: 401,
  account_locked: 423,
  account_disabled: 403,
  password_change_required: 403,
  forbidden: 403,
  csrf: 403,
  admin_required: 403,
  not_found: 404,
  conflict: 409,
  stale_version: 409,
  already_set_up: 409,
  duplicate: 409,
  job_not_failed: 409,
  job_duplicate: 409,
  recycle_unavailable: 409,
  department_not_empty: 409,
  position_in_use: 409,
  last_admin: 409,
  exceeds_own_permissions: 403,
  customer_duplicate: 409,
  customer_incomplete: 422,
  customer_cap_reached: 409,
  customer_in_pool: 409,
  customer_not_in_pool: 409,
  file_too_large: 413,
  lead_converted: 409,
  contact_customer_deleted: 409,
  customer_report_open: 409,
  customer_report_resolved: 409,
  import_file_invalid: 400,
  transfer_state: 409,
  // approvals (server/modules/approvals)
  approval_no_flow: 422,
  approval_flow_invalid: 400,
  approval_in_progress: 409,
  approval_not_pending: 409,
  approval_already_decided: 409,
  approval_not_allowed: 403,
  approval_document_locked: 409,
  approval_position_in_use: 409,
  approval_form_disabled: 409,
  // mail (server/modules/mail)
  mail_auth_failed: 422,
  mail_connect_failed: 502,
  mail_tls_untrusted: 502,
  mail_timeout: 504,
  mail_service_disabled: 422,
  mail_send_failed: 502,
  mail_fetch_running: 409,
  mail_no_recipient: 400,
  system_mail_not_configured: 409,
  link_invalid: 400,
  rate_limited: 429,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERRORS;

export type FieldError = { field: string; code: string; message: string };

export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode | string;
  errors?: FieldError[];
};
