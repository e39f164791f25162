import type { Selectable } from 'kysely';
import type { MailAccount } from '@common/schemas/mail';
import type { DbOrTx, MailAccountsTable } from '@server/db/types';

/** Mail account rows: the owner's own accounts, the due list of the fetch job, the fetch lease. */

export type AccountRow = Selectable<MailAccountsTable> & { id: string };

/** The API shape: never the password (nor its sealed form), nor the lease. */
export function presentAccount(r: AccountRow): MailAccount {
  return {
    id: r.id,
    name: r.name,
    address: r.address,
    displayName: r.display_name,
    incoming: { protocol: r.incoming_protocol, host: r.incoming_host, port: r.incoming_port, security: r.incoming_security },
    smtp: { host: r.smtp_host, port: r.smtp_port, security: r.smtp_security },
    username: r.username,
    deleteAfterFetch: r.delete_after_fetch === 1,
    markAsRead: r.mark_as_read === 1,
    fetchSince: r.fetch_since,
    allowSelfSignedCertificate: r.allow_self_signed === 1,
    fetchIntervalMinutes: r.fetch_interval_minutes,
    signature: r.signature,
    isDefault: r.is_default === 1,
    enabled: r.enabled === 1,
    lastFetchAt: r.last_fetch_at,
    nextFetchAt: r.next_fetch_at,
    lastError: r.last_error,
    lastErrorCode: r.last_error_code,
    lastErrorAt: r.last_error_at,
    version: r.version,
  };
}

/** A live account of `userId`, or undefined (someone else's answers the same as a missing one). */
export async function ownAccount(db: DbOrTx, userId: string, id: string): Promise<AccountRow | undefined> {
  return db
    .selectFrom('mail_accounts')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** A live account by id (the fetch job, which acts for the owner). */
export async function accountById(db: DbOrTx, id: string): Promise<AccountRow | undefined> {
  return db.selectFrom('mail_accounts').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
}

/** The user's live accounts, default first, then in creation order. */
export async function listOwnAccounts(db: DbOrTx, userId: string): Promise<AccountRow[]> {
  return db
    .selectFrom('mail_accounts')
    .selectAll()
    .where('user_id', '=', userId)
    .where('deleted_at', 'is', null)
    .orderBy('is_default', 'desc')
    .orderBy('id')
    .execute();
}

/** Clears the default flag on the user's other accounts (one default per user). */
export async function clearOtherDefaults(db: DbOrTx, userId: string, keepId: string, now: string): Promise<void> {
  await db
    .updateTable('mail_accounts')
    .set((eb) => ({ is_default: 0, version: eb('version', '+', 1), updated_at: now }))
    .where('user_id', '=', userId)
    .where('id', '<>', keepId)
    .where('is_default', '=', 1)
    .where('deleted_at', 'is', null)
    .execute();
}

/** Makes the user's oldest live account the default when none is (after the default one was deleted). */
export async function ensureDefault(db: DbOrTx, userId: string, now: string): Promise<void> {
  const rows = await db
    .selectFrom('mail_accounts')
    .select(['id', 'is_default'])
    .where('user_id', '=', userId)
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .execute();
  if (!rows.length || rows.some((r) => r.is_default === 1)) return;
  await db
    .updateTable('mail_accounts')
    .set((eb) => ({ is_default: 1, version: eb('version', '+', 1), updated_at: now }))
    .where('id', '=', rows[0].id)
    .execute();
}

/** Enabled live accounts of active users whose next fetch is due, most overdue first. */
export async function dueAccounts(db: DbOrTx, now: string, limit: number): Promise<{ id: string }[]> {
  return (
    db
      .selectFrom('mail_accounts')
      .select('id')
      .where('enabled', '=', 1)
      .where('deleted_at', 'is', null)
      // a user who left (or was disabled) stops receiving
      .where('user_id', 'in', (eb) => eb.selectFrom('users').select('users.id').where('users.status', '=', 'active'))
      .where((eb) => eb.or([eb('next_fetch_at', 'is', null), eb('next_fetch_at', '<=', now)]))
      .where((eb) => eb.or([eb('fetch_lease_until', 'is', null), eb('fetch_lease_until', '<', now)]))
      .orderBy('next_fetch_at')
      .limit(limit)
      .execute()
  );
}

/**
 * Takes the account's fetch lease until `until` for `runner` when nobody holds it (or the holder's
 * lease lapsed: a killed run). One conditional update, so of two instances exactly one wins.
 */
export async function claimLease(db: DbOrTx, id: string, runner: string, now: string, until: string): Promise<boolean> {
  const r = await db
    .updateTable('mail_accounts')
    .set({ fetch_lease_until: until, fetch_lease_by: runner })
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .where((eb) => eb.or([eb('fetch_lease_until', 'is', null), eb('fetch_lease_until', '<', now)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Extends a lease this runner still holds; false when it was lost (lapsed and taken by another run). */
export async function renewLease(db: DbOrTx, id: string, runner: string, until: string): Promise<boolean> {
  const r = await db
    .updateTable('mail_accounts')
    .set({ fetch_lease_until: until })
    .where('id', '=', id)
    .where('fetch_lease_by', '=', runner)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Ends a run: records its outcome (success clears the error; ok null: stopped part-way, nothing recorded) and lets go of the lease. */
export async function finishRun(
  db: DbOrTx,
  id: string,
  runner: string,
  outcome:
    | { ok: true; at: string; next: string }
    | { ok: false; at: string; next: string; code: string; message: string; failures: number }
    | { ok: null; next: string },
): Promise<void> {
  const common = { fetch_lease_until: null, fetch_lease_by: null, next_fetch_at: outcome.next };
  await db
    .updateTable('mail_accounts')
    .set(
      outcome.ok === null
        ? common
        : outcome.ok
          ? { ...common, last_fetch_at: outcome.at, failures: 0, last_error: null, last_error_code: null, last_error_at: null }
          : {
              ...common,
              failures: outcome.failures,
              last_error: outcome.message,
              last_error_code: outcome.code,
              last_error_at: outcome.at,
            },
    )
    .where('id', '=', id)
    .where('fetch_lease_by', '=', runner)
    .execute();
}
