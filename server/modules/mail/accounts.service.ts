import type { CreateMailAccountBody, MailAccount, MailTestResult, MailTestSide, UpdateMailAccountBody } from '@common/schemas/mail';
import { translate, type Locale } from '@common/messages/index';
import type { Db, MailAccountsTable } from '@server/db/types';
import { newId, nowIso } from '@server/db/ids';
import { updateVersioned } from '@server/db/versioned';
import type { Auth } from '@server/platform/access/types';
import { audit, type Actor } from '@server/platform/audit/audit.service';
import { AppError } from '@server/platform/http/errors';
import { withTx } from '@server/platform/org/caller';
import type { AppContext } from '@server/platform/http/context';
import { classifyMailError } from './protocol/errors';
import type { MailConnectOptions } from './protocol/errors';
import { Pop3Client } from './protocol/pop3-client';
import { openImap } from './protocol/imap';
import { smtpTransport } from './protocol/smtp';
import { clearOtherDefaults, ensureDefault, listOwnAccounts, ownAccount, presentAccount, type AccountRow } from './accounts.repository';

/**
 * 外部邮箱 accounts: each user's own POP3 / IMAP + SMTP accounts. The password (or 授权码) is sealed
 * with the platform secrets and never leaves the server: not in a response, a log line or the audit log.
 */

type Secrets = AppContext['secrets'];
type Ctx = { db: Db; secrets: Secrets };

/** How long a test connection may take per side. */
const TEST_TIMEOUT_MS = 15_000;

/** YYYY-MM-DD of `days` before `now` (UTC): a new account's default fetch start. */
export function daysAgo(days: number, now = new Date()): string {
  return new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);
}

/** What the audit log keeps of an account: its settings, never the password. */
function auditView(
  r: Pick<MailAccountsTable, 'name' | 'address' | 'incoming_protocol' | 'incoming_host' | 'incoming_port'> & Partial<MailAccountsTable>,
) {
  return {
    name: r.name,
    address: r.address,
    incoming: `${r.incoming_protocol} ${r.incoming_host}:${r.incoming_port} ${r.incoming_security ?? ''}`.trim(),
    smtp: r.smtp_host ? `${r.smtp_host}:${r.smtp_port} ${r.smtp_security}` : undefined,
    username: r.username,
    deleteAfterFetch: r.delete_after_fetch,
    markAsRead: r.mark_as_read,
    allowSelfSigned: r.allow_self_signed,
    fetchIntervalMinutes: r.fetch_interval_minutes,
    isDefault: r.is_default,
    enabled: r.enabled,
  };
}

/** The user's accounts (default first). */
export async function listAccounts(db: Db, auth: Auth): Promise<{ items: MailAccount[] }> {
  return { items: (await listOwnAccounts(db, auth.user.id)).map(presentAccount) };
}

/** One of the user's accounts; anyone else's answers 404. */
export async function getAccount(db: Db, auth: Auth, id: string): Promise<MailAccount> {
  const row = await ownAccount(db, auth.user.id, id);
  if (!row) throw new AppError('not_found');
  return presentAccount(row);
}

/**
 * Adds an account for the caller. The first account (or one marked default) becomes the only
 * default; fetchSince defaults to 30 days ago; the first fetch is due at once. Audited without the password.
 */
export async function createAccount(ctx: Ctx, auth: Auth, actor: Actor, body: CreateMailAccountBody): Promise<MailAccount> {
  return withTx(ctx.db, async (tx) => {
    const now = nowIso();
    const id = newId();
    const hasDefault = await tx
      .selectFrom('mail_accounts')
      .select('id')
      .where('user_id', '=', auth.user.id)
      .where('is_default', '=', 1)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    const isDefault = body.isDefault || !hasDefault;
    const row: AccountRow = {
      id,
      version: 1,
      created_by: auth.user.id,
      created_at: now,
      updated_at: now,
      deleted_at: null,
      user_id: auth.user.id,
      name: body.name,
      address: body.address,
      display_name: body.displayName ?? null,
      incoming_protocol: body.incoming.protocol,
      incoming_host: body.incoming.host,
      incoming_port: body.incoming.port,
      incoming_security: body.incoming.security,
      smtp_host: body.smtp.host,
      smtp_port: body.smtp.port,
      smtp_security: body.smtp.security,
      username: body.username,
      password_enc: ctx.secrets.encrypt(body.password),
      delete_after_fetch: body.deleteAfterFetch ? 1 : 0,
      mark_as_read: body.markAsRead ? 1 : 0,
      allow_self_signed: body.allowSelfSignedCertificate ? 1 : 0,
      fetch_since: body.fetchSince ?? daysAgo(30),
      fetch_interval_minutes: body.fetchIntervalMinutes,
      signature: body.signature ?? null,
      is_default: isDefault ? 1 : 0,
      enabled: body.enabled ? 1 : 0,
      last_fetch_at: null,
      next_fetch_at: body.enabled ? now : null,
      last_error: null,
      last_error_code: null,
      last_error_at: null,
      failures: 0,
      fetch_lease_until: null,
      fetch_lease_by: null,
    };
    await tx.insertInto('mail_accounts').values(row).execute();
    if (isDefault) await clearOtherDefaults(tx, auth.user.id, id, now);
    await audit(tx, actor, { action: 'create', entity: 'mail_account', entityId: id, after: auditView(row), detail: row.address });
    return presentAccount(row);
  });
}

/**
 * Changes one of the caller's accounts (stale version → 409). A new password is sealed again;
 * changed connection settings clear the last error and make a fetch due now. Audited without the password.
 */
export async function updateAccount(ctx: Ctx, auth: Auth, actor: Actor, id: string, body: UpdateMailAccountBody): Promise<MailAccount> {
  return withTx(ctx.db, async (tx) => {
    const before = await ownAccount(tx, auth.user.id, id);
    if (!before) throw new AppError('not_found');
    const now = nowIso();
    const patch: Partial<MailAccountsTable> = {};
    if (body.name !== undefined) patch.name = body.name;
    if (body.address !== undefined) patch.address = body.address;
    if (body.displayName !== undefined) patch.display_name = body.displayName ?? null;
    if (body.incoming) {
      patch.incoming_protocol = body.incoming.protocol;
      patch.incoming_host = body.incoming.host;
      patch.incoming_port = body.incoming.port;
      patch.incoming_security = body.incoming.security;
    }
    if (body.smtp) {
      patch.smtp_host = body.smtp.host;
      patch.smtp_port = body.smtp.port;
      patch.smtp_security = body.smtp.security;
    }
    if (body.username !== undefined) patch.username = body.username;
    if (body.password !== undefined) patch.password_enc = ctx.secrets.encrypt(body.password);
    if (body.deleteAfterFetch !== undefined) patch.delete_after_fetch = body.deleteAfterFetch ? 1 : 0;
    if (body.markAsRead !== undefined) patch.mark_as_read = body.markAsRead ? 1 : 0;
    if (body.allowSelfSignedCertificate !== undefined) patch.allow_self_signed = body.allowSelfSignedCertificate ? 1 : 0;
    if (body.fetchIntervalMinutes !== undefined) patch.fetch_interval_minutes = body.fetchIntervalMinutes;
    if (body.signature !== undefined) patch.signature = body.signature ?? null;
    if (body.enabled !== undefined) patch.enabled = body.enabled ? 1 : 0;
    // the default moves only by marking another one; unmarking the only default is ignored
    if (body.isDefault === true) patch.is_default = 1;
    const reconnect =
      body.password !== undefined ||
      body.username !== undefined ||
      body.incoming !== undefined ||
      body.allowSelfSignedCertificate !== undefined ||
      (body.enabled === true && before.enabled === 0);
    if (reconnect) Object.assign(patch, { last_error: null, last_error_code: null, last_error_at: null, failures: 0, next_fetch_at: now });
    if (!(await updateVersioned(tx, 'mail_accounts', id, body.version, patch, now))) throw new AppError('stale_version');
    if (patch.is_default === 1) await clearOtherDefaults(tx, auth.user.id, id, now);
    const after = (await ownAccount(tx, auth.user.id, id))!;
    await audit(tx, actor, {
      action: 'update',
      entity: 'mail_account',
      entityId: id,
      // the password's change is recorded (masked), never its value
      before: { ...auditView(before), ...(body.password !== undefined ? { password: 1 } : {}) },
      after: { ...auditView(after), ...(body.password !== undefined ? { password: 2 } : {}) },
      detail: after.address,
    });
    return presentAccount(after);
  });
}

/** Removes one of the caller's accounts (soft delete); its stored mail stays. Another account becomes the default. */
export async function deleteAccount(db: Db, auth: Auth, actor: Actor, id: string, version?: number): Promise<void> {
  await withTx(db, async (tx) => {
    const row = await ownAccount(tx, auth.user.id, id);
    if (!row) throw new AppError('not_found');
    const now = nowIso();
    const ok = await updateVersioned(
      tx,
      'mail_accounts',
      id,
      version ?? row.version,
      { deleted_at: now, is_default: 0, next_fetch_at: null },
      now,
    );
    if (!ok) throw new AppError('stale_version');
    await ensureDefault(tx, auth.user.id, now);
    await audit(tx, actor, {
      action: 'delete',
      entity: 'mail_account',
      entityId: id,
      before: auditView(row),
      after: null,
      detail: row.address,
    });
  });
}

// ---------------------------------------------------------------- connections

export type IncomingOptions = MailConnectOptions & { protocol: 'pop3' | 'imap' };

/** Connection settings of both sides, from a stored row (password unsealed) or an unsaved body. */
export function connectionOf(
  src: AccountRow | CreateMailAccountBody,
  secrets: Secrets,
  timeoutMs?: number,
): { incoming: IncomingOptions; smtp: MailConnectOptions } {
  if ('password_enc' in src) {
    const password = secrets.decrypt(src.password_enc);
    const common = { username: src.username, password, allowSelfSigned: src.allow_self_signed === 1, timeoutMs };
    return {
      incoming: {
        protocol: src.incoming_protocol,
        host: src.incoming_host,
        port: src.incoming_port,
        security: src.incoming_security,
        ...common,
      },
      smtp: { host: src.smtp_host, port: src.smtp_port, security: src.smtp_security, ...common },
    };
  }
  const common = { username: src.username, password: src.password, allowSelfSigned: src.allowSelfSignedCertificate, timeoutMs };
  return { incoming: { ...src.incoming, ...common }, smtp: { ...src.smtp, ...common } };
}

/** A failure in the owner's words: the catalog's message for the code, with the server's own answer. */
export function describeMailError(locale: Locale, err: unknown): { code: string; message: string; serverReply: string | null } {
  const e = classifyMailError(err);
  const detail = e.serverReply ?? e.message;
  let message = translate(locale, `error.${e.code}`, { detail });
  if (e.code === 'mail_tls_untrusted') message += `（${translate(locale, 'mail.test.tls_untrusted_hint')}）`;
  return { code: e.code, message, serverReply: e.serverReply };
}

async function side(locale: Locale, okMessage: string, attempt: () => Promise<void>): Promise<MailTestSide> {
  try {
    await attempt();
    return { ok: true, code: null, message: okMessage, serverReply: null };
  } catch (err) {
    return { ok: false, ...describeMailError(locale, err) };
  }
}

/** Signs in on both sides at once (incoming POP3 / IMAP, SMTP verify) and says how each went. */
export async function testConnection(
  conn: { incoming: IncomingOptions; smtp: MailConnectOptions },
  locale: Locale,
): Promise<MailTestResult> {
  const { incoming, smtp } = conn;
  const [inResult, smtpResult] = await Promise.all([
    side(locale, translate(locale, 'mail.test.incoming_ok', { protocol: incoming.protocol.toUpperCase() }), async () => {
      if (incoming.protocol === 'pop3') {
        const client = await Pop3Client.connect(incoming);
        await client.quit().catch(() => client.close());
      } else {
        const client = await openImap(incoming);
        await client.logout().catch(() => client.close());
      }
    }),
    side(locale, translate(locale, 'mail.test.smtp_ok'), async () => {
      const transport = smtpTransport(smtp);
      try {
        await transport.verify();
      } finally {
        transport.close();
      }
    }),
  ]);
  return { incoming: inResult, smtp: smtpResult };
}

/** Tests an unsaved account body. */
export function testUnsaved(secrets: Secrets, body: CreateMailAccountBody, locale: Locale): Promise<MailTestResult> {
  return testConnection(connectionOf(body, secrets, TEST_TIMEOUT_MS), locale);
}

/** Tests one of the caller's stored accounts (404 for anyone else's). */
export async function testStored(ctx: Ctx, auth: Auth, id: string, locale: Locale): Promise<MailTestResult> {
  const row = await ownAccount(ctx.db, auth.user.id, id);
  if (!row) throw new AppError('not_found');
  return testConnection(connectionOf(row, ctx.secrets, TEST_TIMEOUT_MS), locale);
}
