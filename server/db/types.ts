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
}

export type Db = Kysely<DB>;
export type Tx = Transaction<DB>;
/** Either the root handle or an open transaction: service functions accept both. */
export type DbOrTx = Kysely<DB> | Transaction<DB>;
export type Dialect = 'sqlite' | 'postgres';
