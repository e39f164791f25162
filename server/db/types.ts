import type { Kysely, Transaction } from 'kysely';

/**
 * Database types. Conventions (both dialects): ids are text, timestamps are ISO-8601 UTC text,
 * flags are integers 0/1, JSON is stored as text. This keeps one set of queries for SQLite and Postgres.
 */
export interface SettingsTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface DepartmentsTable {
  id: string;
  name: string;
  parent_id: string | null;
  head_user_id: string | null;
  sort_order: number;
  disabled: number;
  version: number;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface PositionsTable {
  id: string;
  name: string;
  parent_id: string | null;
  description: string | null;
  /** JSON: PositionPermissions from common/permissions */
  permissions: string;
  version: number;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface UsersTable {
  id: string;
  username: string;
  name: string;
  email: string | null;
  mobile: string | null;
  department_id: string | null;
  position_id: string | null;
  supervisor_id: string | null;
  status: 'active' | 'disabled' | 'left';
  is_admin: number;
  password_hash: string | null;
  must_change_password: number;
  locale: string | null;
  locked_until: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  left_at: string | null;
}

export interface SessionsTable {
  /** sha256 of the cookie token */
  id: string;
  /** short public handle shown in "my sessions" */
  handle: string;
  user_id: string;
  remember: number;
  ip: string | null;
  user_agent: string | null;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface LoginFailuresTable {
  id: string;
  user_id: string;
  at: string;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
}

export interface AuditLogTable {
  id: string;
  at: string;
  actor_id: string | null;
  actor_name: string | null;
  ip: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  /** JSON: { field: [before, after] } */
  changes: string | null;
  detail: string | null;
}

export interface RecycleBinTable {
  id: string;
  entity: string;
  entity_id: string;
  label: string;
  deleted_by: string | null;
  deleted_at: string;
}

export interface JobsTable {
  id: string;
  name: string;
  payload: string;
  status: 'scheduled' | 'running' | 'done' | 'failed';
  run_at: string;
  attempts: number;
  max_attempts: number;
  dedupe_key: string | null;
  last_error: string | null;
  locked_by: string | null;
  locked_at: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface JobSchedulesTable {
  name: string;
  cron: string;
  next_run_at: string;
  last_run_at: string | null;
}

export interface NotificationsTable {
  id: string;
  user_id: string;
  type: string;
  title: string;
  body: string | null;
  link: string | null;
  data: string | null;
  read_at: string | null;
  created_at: string;
}

/** Keyword search index (server/db/search.ts): bigrams and single characters of normalised texts. */
export interface SearchGramsTable {
  entity: string;
  entity_id: string;
  gram: string;
}

/** Columns every business record carries (ids, optimistic locking, soft delete). */
interface RecordColumns {
  id: string;
  version: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/** 客户档案: a customer or partner (kind). owner_id null = in the public pool (公海). */
export interface CustomersTable extends RecordColumns {
  kind: 'customer' | 'partner';
  name: string;
  short_name: string | null;
  code: string | null;
  category: string | null;
  stage: string | null;
  importance: string | null;
  source: string | null;
  industry: string | null;
  /** most specific administrative division code (province 2, city 4, district 6 digits) */
  region_code: string | null;
  address: string | null;
  latitude: number | null;
  longitude: number | null;
  /** JSON string[] */
  phones: string;
  website: string | null;
  /** JSON string[] */
  tags: string;
  owner_id: string | null;
  owner_department_id: string | null;
  pooled_at: string | null;
  locked: number;
  last_contact_at: string | null;
  next_follow_up_at: string | null;
  last_deal_at: string | null;
  recycle_warned_at: string | null;
  notes: string | null;
  /** JSON: custom field values by key */
  custom: string;
}

/** Duplicate keys of live customers: 'n:<normalised name>' / 'p:<phone digits>'. */
export interface CustomerKeysTable {
  key: string;
  customer_id: string;
}

export interface CustomerTeamTable {
  customer_id: string;
  user_id: string;
  access: 'read' | 'write';
  added_at: string;
}

export interface CustomerOwnerHistoryTable {
  id: string;
  customer_id: string;
  from_user_id: string | null;
  to_user_id: string | null;
  /** create | claim | release | assign | transfer | recycle | handover | merge | convert */
  reason: string;
  note: string | null;
  actor_id: string | null;
  at: string;
}

export interface ContactsTable extends RecordColumns {
  customer_id: string;
  name: string;
  title: string | null;
  department: string | null;
  mobile: string | null;
  phone: string | null;
  email: string | null;
  wechat: string | null;
  birthday: string | null;
  hobbies: string | null;
  id_number: string | null;
  notes: string | null;
  is_primary: number;
  decision_maker: number;
  reports_to_id: string | null;
  custom: string;
}

export interface LeadsTable extends RecordColumns {
  name: string;
  company: string | null;
  title: string | null;
  mobile: string | null;
  phone: string | null;
  email: string | null;
  wechat: string | null;
  source: string | null;
  industry: string | null;
  region_code: string | null;
  address: string | null;
  /** new | following | converted | invalid */
  status: string;
  owner_id: string | null;
  owner_department_id: string | null;
  last_contact_at: string | null;
  next_follow_up_at: string | null;
  converted_customer_id: string | null;
  converted_contact_id: string | null;
  converted_at: string | null;
  notes: string | null;
  custom: string;
}

export interface ImportantDatesTable {
  id: string;
  customer_id: string;
  contact_id: string | null;
  title: string;
  /** YYYY-MM-DD */
  date: string;
  repeat: 'yearly' | 'once';
  remind_days: number;
  /** the occurrence (YYYY-MM-DD) last reminded, so each occurrence is reminded once */
  last_reminded_for: string | null;
  created_by: string | null;
  created_at: string;
  deleted_at: string | null;
}

export interface FollowUpsTable extends RecordColumns {
  customer_id: string | null;
  lead_id: string | null;
  contact_id: string | null;
  /** phone | visit | wechat | mail | other */
  type: string;
  content: string;
  at: string;
  next_step: string | null;
  next_at: string | null;
  owner_id: string;
  owner_department_id: string | null;
}

export interface SchedulesTable extends RecordColumns {
  owner_id: string;
  owner_department_id: string | null;
  customer_id: string | null;
  lead_id: string | null;
  contact_id: string | null;
  title: string;
  notes: string | null;
  start_at: string;
  end_at: string | null;
  all_day: number;
  remind_minutes: number | null;
  reminded_at: string | null;
  done: number;
  done_at: string | null;
}

export interface CustomerReportsTable {
  id: string;
  customer_id: string;
  /** duplicate | wrong_category | wrong_owner | other */
  kind: string;
  target_customer_id: string | null;
  note: string | null;
  /** open | merged | recategorised | reassigned | dismissed */
  status: string;
  reporter_id: string;
  created_at: string;
  resolved_by: string | null;
  resolved_at: string | null;
  resolution_note: string | null;
}

export interface CustomerQualityEventsTable {
  id: string;
  user_id: string;
  /** duplicate_attempt | incomplete_save | overdue_visit */
  kind: string;
  customer_id: string | null;
  detail: string | null;
  at: string;
}

/** 属性定义: a custom field of an entity ('customer', 'contact', 'lead', later modules' own). */
export interface CustomFieldsTable extends RecordColumns {
  entity: string;
  key: string;
  label: string;
  /** text | number | money | date | select | multiselect | user | boolean */
  type: string;
  /** JSON string[] (select options) */
  options: string;
  required: number;
  sort_order: number;
}

export interface SavedViewsTable extends RecordColumns {
  entity: string;
  name: string;
  owner_id: string;
  shared: number;
  /** JSON: { filters, columns, sort } */
  config: string;
}

export interface FilesTable {
  id: string;
  name: string;
  mime: string;
  size: number;
  sha256: string;
  entity: string | null;
  entity_id: string | null;
  owner_id: string | null;
  created_at: string;
  deleted_at: string | null;
}

export interface SequencesTable {
  name: string;
  value: number;
}

export interface DataTransfersTable {
  id: string;
  kind: 'import' | 'export';
  entity: string;
  user_id: string;
  /** preview | ready | running | done | failed */
  status: string;
  total: number;
  done: number;
  params: string;
  result: string | null;
  input_file_id: string | null;
  output_file_id: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
}

/** 流程管理 (server/modules/approvals): a flow of one document type; its chain is in approval_flow_versions. */
export interface ApprovalFlowsTable extends RecordColumns {
  type: string;
  name: string;
  description: string | null;
  priority: number;
  is_default: number;
  enabled: number;
  /** JSON ConditionGroup | null */
  entry: string | null;
  current_version_id: string | null;
}

export interface ApprovalFlowVersionsTable {
  id: string;
  flow_id: string;
  number: number;
  /** JSON FlowDefinition */
  definition: string;
  created_by: string | null;
  created_at: string;
}

export interface ApprovalPositionsTable extends RecordColumns {
  name: string;
  description: string | null;
}

export interface ApprovalPositionMembersTable {
  position_id: string;
  user_id: string;
  /** JSON string[]; [] = every department */
  department_ids: string;
}

export interface ApprovalFormsTable extends RecordColumns {
  name: string;
  description: string | null;
  icon: string | null;
  /** JSON FormField[] */
  fields: string;
  enabled: number;
  sort_order: number;
}

export interface ApprovalFormEntriesTable extends RecordColumns {
  form_id: string;
  submitter_id: string;
  /** JSON values by field key */
  field_values: string;
}

export interface ApprovalInstancesTable {
  id: string;
  type: string;
  document_id: string;
  title: string;
  flow_id: string;
  flow_version_id: string;
  submitter_id: string;
  submitter_department_id: string | null;
  /** pending | returned | approved | rejected | withdrawn */
  status: string;
  current_node_id: string | null;
  /** JSON: flow fields as submitted */
  fields: string;
  /** JSON engine state */
  state: string;
  version: number;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface ApprovalTasksTable {
  id: string;
  instance_id: string;
  node_id: string;
  round: number;
  seq: number;
  approver_id: string;
  /** waiting | pending | approved | rejected | transferred | cancelled */
  status: string;
  added_by: string | null;
  /** tasks sharing a group are alternatives: the first approval settles them all */
  group_id: string | null;
  due_at: string | null;
  /** when the reminder before the time limit is due */
  remind_at: string | null;
  reminded_at: string | null;
  escalated_at: string | null;
  acted_at: string | null;
  comment: string | null;
  created_at: string;
}

export interface ApprovalActionsTable {
  id: string;
  instance_id: string;
  task_id: string | null;
  node_id: string | null;
  actor_id: string | null;
  action: string;
  comment: string | null;
  /** JSON string[] file ids */
  attachments: string;
  /** JSON */
  detail: string | null;
  at: string;
}

export interface ApprovalCcTable {
  instance_id: string;
  user_id: string;
  read_at: string | null;
  created_at: string;
}

/** 移交申请: a customer transfer waiting for its approval. */
export interface CustomerTransferRequestsTable {
  id: string;
  submitter_id: string;
  to_user_id: string;
  note: string | null;
  status: string;
  instance_id: string | null;
  /** JSON TransferResult */
  result: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface CustomerTransferRequestItemsTable {
  request_id: string;
  customer_id: string;
  from_user_id: string | null;
}

/** 外部邮箱 (server/modules/mail): a user's POP3 / IMAP + SMTP account. */
export interface MailAccountsTable extends RecordColumns {
  user_id: string;
  name: string;
  address: string;
  display_name: string | null;
  incoming_protocol: 'pop3' | 'imap';
  incoming_host: string;
  incoming_port: number;
  incoming_security: 'tls' | 'starttls' | 'none';
  smtp_host: string;
  smtp_port: number;
  smtp_security: 'tls' | 'starttls' | 'none';
  username: string;
  /** encrypted (platform secrets) */
  password_enc: string;
  delete_after_fetch: number;
  mark_as_read: number;
  allow_self_signed: number;
  /** YYYY-MM-DD */
  fetch_since: string;
  fetch_interval_minutes: number;
  signature: string | null;
  is_default: number;
  enabled: number;
  last_fetch_at: string | null;
  next_fetch_at: string | null;
  last_error: string | null;
  last_error_code: string | null;
  last_error_at: string | null;
  failures: number;
  /** a running fetch holds the account until then (ISO); the holder's runner id */
  fetch_lease_until: string | null;
  fetch_lease_by: string | null;
}

export interface MailSyncStateTable {
  account_id: string;
  folder: string;
  uidvalidity: string | null;
  last_uid: number;
  updated_at: string;
}

export interface MailPop3SeenTable {
  account_id: string;
  uidl: string;
  message_id: string | null;
  fetched_at: string;
  deleted_at: string | null;
}

export interface MailMessagesTable extends RecordColumns {
  account_id: string;
  user_id: string;
  /** inbox | sent | drafts | trash */
  folder: string;
  previous_folder: string | null;
  dedupe_key: string;
  message_id: string | null;
  in_reply_to: string | null;
  references_header: string | null;
  subject: string;
  from_address: string | null;
  from_name: string | null;
  /** JSON { name, address }[] */
  to_addresses: string;
  cc_addresses: string;
  bcc_addresses: string;
  sent_at: string | null;
  received_at: string | null;
  text_body: string | null;
  html_body: string | null;
  snippet: string;
  size: number;
  has_attachments: number;
  seen: number;
  starred: number;
  raw_file_id: string | null;
  remote_folder: string | null;
  remote_uid: number | null;
  pop3_uidl: string | null;
  /** draft | sending | sent | failed */
  send_status: string | null;
  send_error: string | null;
  batch_id: string | null;
}

export interface MailAttachmentsTable {
  id: string;
  message_id: string;
  file_id: string;
  name: string;
  mime: string;
  size: number;
  content_id: string | null;
  inline: number;
}

export interface MailLinksTable {
  message_id: string;
  customer_id: string;
  contact_id: string | null;
  address: string;
  at: string;
}

export interface MailBatchesTable {
  id: string;
  user_id: string;
  account_id: string;
  subject: string;
  html: string;
  /** JSON file ids */
  attachments: string;
  batch_size: number;
  pause_seconds: number;
  /** queued | running | done | cancelled */
  status: string;
  total: number;
  sent: number;
  failed: number;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface MailBatchRecipientsTable {
  id: string;
  batch_id: string;
  seq: number;
  contact_id: string | null;
  customer_id: string | null;
  address: string;
  name: string | null;
  /** JSON merge values */
  merge: string;
  /** pending | sent | failed */
  status: string;
  error: string | null;
  message_id: string | null;
  sent_at: string | null;
}

/** One-time links mailed to a user: invitation or password reset (token stored hashed). */
export interface UserLinksTable {
  id: string;
  user_id: string;
  kind: 'invite' | 'reset';
  token_hash: string;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

export interface DB {
  settings: SettingsTable;
  departments: DepartmentsTable;
  positions: PositionsTable;
  users: UsersTable;
  sessions: SessionsTable;
  login_failures: LoginFailuresTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  recycle_bin: RecycleBinTable;
  jobs: JobsTable;
  job_schedules: JobSchedulesTable;
  notifications: NotificationsTable;
  search_grams: SearchGramsTable;
  customers: CustomersTable;
  customer_keys: CustomerKeysTable;
  customer_team: CustomerTeamTable;
  customer_owner_history: CustomerOwnerHistoryTable;
  contacts: ContactsTable;
  leads: LeadsTable;
  important_dates: ImportantDatesTable;
  follow_ups: FollowUpsTable;
  schedules: SchedulesTable;
  customer_reports: CustomerReportsTable;
  customer_quality_events: CustomerQualityEventsTable;
  custom_fields: CustomFieldsTable;
  saved_views: SavedViewsTable;
  files: FilesTable;
  sequences: SequencesTable;
  data_transfers: DataTransfersTable;
  approval_flows: ApprovalFlowsTable;
  approval_flow_versions: ApprovalFlowVersionsTable;
  approval_positions: ApprovalPositionsTable;
  approval_position_members: ApprovalPositionMembersTable;
  approval_forms: ApprovalFormsTable;
  approval_form_entries: ApprovalFormEntriesTable;
  approval_instances: ApprovalInstancesTable;
  approval_tasks: ApprovalTasksTable;
  approval_actions: ApprovalActionsTable;
  approval_cc: ApprovalCcTable;
  customer_transfer_requests: CustomerTransferRequestsTable;
  customer_transfer_request_items: CustomerTransferRequestItemsTable;
  mail_accounts: MailAccountsTable;
  mail_sync_state: MailSyncStateTable;
  mail_pop3_seen: MailPop3SeenTable;
  mail_messages: MailMessagesTable;
  mail_attachments: MailAttachmentsTable;
  mail_links: MailLinksTable;
  mail_batches: MailBatchesTable;
  mail_batch_recipients: MailBatchRecipientsTable;
  user_links: UserLinksTable;
}

export type Db = Kysely<DB>;
export type Tx = Transaction<DB>;
/** Either the root handle or an open transaction: service functions accept both. */
export type DbOrTx = Kysely<DB> | Transaction<DB>;
export type Dialect = 'sqlite' | 'postgres';
