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
