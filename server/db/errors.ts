/** Database errors that mean something to a service, recognised on both dialects. */

/**
 * True for a unique / primary-key violation: better-sqlite3's SQLITE_CONSTRAINT_UNIQUE /
 * _PRIMARYKEY, PostgreSQL's SQLSTATE 23505 (on Postgres the transaction is aborted by it).
 */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}
