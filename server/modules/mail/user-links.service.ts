import { pickLocale, translate, type Locale } from '@common/messages/index';
import { INVITE_HOURS, RESET_HOURS } from '@common/schemas/mail';
import type { DbOrTx } from '@server/db/types';
import { newId, nowIso } from '@server/db/ids';
import { audit, type Actor } from '@server/platform/audit/audit.service';
import { hashPassword } from '@server/platform/auth/password';
import { randomToken, sha256 } from '@server/platform/auth/tokens';
import type { AppContext } from '@server/platform/http/context';
import { AppError, fieldError } from '@server/platform/http/errors';
import type { Caller } from '@server/platform/org/caller';
import { withTx } from '@server/platform/org/caller';
import { deleteSessionsOf, findUserRow } from '@server/platform/org/users.repository';
import { getCompany } from '@server/platform/settings/settings.service';
import { escapeHtml } from './merge-fields';
import { publicUrlOf, sendSystemMail, systemMailCached } from './system-mail.service';

/**
 * One-time links mailed by the system account: an invitation (an admin invites a user to set a
 * password, 72 h) and a password reset (asked for by e-mail address, RESET_HOURS). The token is
 * 32 random bytes, only its sha256 is stored; a link works once, and issuing a new one of the
 * same kind ends the earlier ones.
 */

export type LinkKind = 'invite' | 'reset';
type Ctx = Pick<AppContext, 'db' | 'secrets' | 'config' | 'jobs'>;

/** Sends the reset mail later (the request must answer the same whether or not the address is known). */
export const USER_LINK_JOB = 'mail.user_link';
type LinkJobPayload = { linkId: string; tokenEnc: string };

/** A forgot-password request takes at least this long, known address or not. */
const FORGOT_MIN_MS = 250;

const HOURS: Record<LinkKind, number> = { invite: INVITE_HOURS, reset: RESET_HOURS };

type Recipient = { id: string; username: string; name: string; email: string; locale: string | null };

async function linkMail(ctx: Ctx, kind: LinkKind, user: Recipient, token: string, inviter: string | null) {
  const locale: Locale = pickLocale(user.locale);
  const url = `${await publicUrlOf(ctx)}/set-password?token=${encodeURIComponent(token)}`;
  const company = (await getCompany(ctx.db)).name;
  const p = { name: user.name, username: user.username, company, inviter: inviter ?? '', hours: HOURS[kind] };
  const line = (key: string) => `<p>${escapeHtml(translate(locale, key, p))}</p>`;
  const html = [
    line('mailsend.link.hello'),
    line(`mailsend.${kind}.intro`),
    line(`mailsend.${kind}.action`),
    `<p><a href="${escapeHtml(url)}">${escapeHtml(url)}</a></p>`,
    line('mailsend.link.ignore'),
  ].join('\n');
  return { to: user.email, subject: translate(locale, `mailsend.${kind}.subject`, p), html };
}

/** Stores a new link, ending the user's earlier unused ones of the kind. */
async function issue(tx: DbOrTx, userId: string, kind: LinkKind, token: string, now: Date): Promise<{ id: string; expiresAt: string }> {
  const nowS = nowIso(now);
  await tx
    .updateTable('user_links')
    .set({ expires_at: nowS })
    .where('user_id', '=', userId)
    .where('kind', '=', kind)
    .where('used_at', 'is', null)
    .where('expires_at', '>', nowS)
    .execute();
  const id = newId();
  const expiresAt = nowIso(new Date(now.getTime() + HOURS[kind] * 3600_000));
  await tx
    .insertInto('user_links')
    .values({ id, user_id: userId, kind, token_hash: sha256(token), expires_at: expiresAt, used_at: null, created_at: nowS })
    .execute();
  return { id, expiresAt };
}

/**
 * POST /users/:id/invite: mails the user (within the caller's org scope, else 404; an admin only
 * by an admin) a link to set the password, in the user's language. The user needs an e-mail
 * address (400 naming email) and must be active. Sent before the link is stored: a refused mail
 * (502 mail_send_failed) or no system account (409) leaves nothing behind. Audited.
 */
export async function inviteUser(ctx: Ctx, caller: Caller, id: string, locale: Locale): Promise<{ expiresAt: string }> {
  const user = await findUserRow(ctx.db, id, caller.userScope);
  if (!user) throw new AppError('not_found');
  if (user.is_admin === 1 && !caller.isAdmin) throw new AppError('admin_required');
  if (!user.email) throw fieldError('email', 'required');
  if (user.status !== 'active') throw new AppError('account_disabled');
  const token = randomToken(32);
  const mail = await linkMail(ctx, 'invite', { ...user, email: user.email }, token, caller.actor.name);
  await sendSystemMail(ctx, mail, { locale });
  return withTx(ctx.db, async (tx) => {
    const link = await issue(tx, user.id, 'invite', token, new Date());
    await audit(tx, caller.actor, { action: 'invite', entity: 'user', entityId: user.id, detail: `expires ${link.expiresAt}` });
    return { expiresAt: link.expiresAt };
  });
}

/**
 * POST /auth/forgot-password: when an active user has this address and the system mail is on, a
 * reset link is stored and its mail queued; the answer, and about the time it takes, are the same
 * for unknown addresses. Audited either way (never the address).
 */
export async function forgotPassword(ctx: Ctx, email: string, actor: Actor): Promise<void> {
  const started = Date.now();
  const user = await ctx.db
    .selectFrom('users')
    .select(['id', 'name'])
    .where('email', '=', email.trim().toLowerCase())
    .where('status', '=', 'active')
    .executeTakeFirst();
  const enabled = (await systemMailCached(ctx.db)).enabled;
  await withTx(ctx.db, async (tx) => {
    if (!user || !enabled) {
      await audit(tx, actor, {
        action: 'password_reset_request',
        entity: 'user',
        entityId: null,
        detail: user ? 'system mail off' : 'unknown address',
      });
      return;
    }
    const token = randomToken(32);
    const link = await issue(tx, user.id, 'reset', token, new Date());
    await ctx.jobs.enqueue(tx, USER_LINK_JOB, { linkId: link.id, tokenEnc: ctx.secrets.encrypt(token) } satisfies LinkJobPayload);
    await audit(tx, { ...actor, id: user.id, name: user.name }, { action: 'password_reset_request', entity: 'user', entityId: user.id });
  });
  const wait = FORGOT_MIN_MS - (Date.now() - started);
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}

/** Mails a queued reset link (job). A link used or ended meanwhile, or a user gone, sends nothing. */
export async function mailQueuedLink(ctx: Ctx, payload: LinkJobPayload): Promise<void> {
  const row = await ctx.db
    .selectFrom('user_links as l')
    .innerJoin('users as u', 'u.id', 'l.user_id')
    .select(['l.kind', 'u.id', 'u.username', 'u.name', 'u.email', 'u.locale'])
    .where('l.id', '=', payload.linkId)
    .where('l.used_at', 'is', null)
    .where('l.expires_at', '>', nowIso())
    .where('u.status', '=', 'active')
    .executeTakeFirst();
  if (!row?.email) return;
  const mail = await linkMail(ctx, row.kind, { ...row, email: row.email }, ctx.secrets.decrypt(payload.tokenEnc), null);
  try {
    await sendSystemMail(ctx, mail);
  } catch (err) {
    // switched off meanwhile: nothing to retry
    if (err instanceof AppError && err.code === 'system_mail_not_configured') return;
    throw err;
  }
}

/** Registers the job that mails queued links (retried with backoff while SMTP refuses). */
export function installUserLinkJob(ctx: AppContext): void {
  ctx.jobs.registerJob<LinkJobPayload>(USER_LINK_JOB, (payload) => mailQueuedLink(ctx, payload));
}

async function validLink(db: DbOrTx, token: string) {
  const row = await db
    .selectFrom('user_links as l')
    .innerJoin('users as u', 'u.id', 'l.user_id')
    .select(['l.id', 'l.kind', 'l.expires_at', 'l.user_id', 'u.username', 'u.name'])
    .where('l.token_hash', '=', sha256(token))
    .where('l.used_at', 'is', null)
    .where('l.expires_at', '>', nowIso())
    .where('u.status', '=', 'active')
    .executeTakeFirst();
  if (!row) throw new AppError('link_invalid');
  return row;
}

/** GET /auth/links/:token: what the link is for, or 400 link_invalid (unknown, used, expired, ended). */
export async function describeLink(db: DbOrTx, token: string): Promise<{ kind: LinkKind; username: string; expiresAt: string }> {
  const row = await validLink(db, token);
  return { kind: row.kind, username: row.username, expiresAt: row.expires_at };
}

/**
 * POST /auth/set-password: sets the password through a valid link (once: the link is marked used
 * in the same transaction, a second use is link_invalid), clears "must change password" and any
 * lock, and ends every session of the user. Audited. Returns the user (to close their sockets).
 */
export async function setPasswordWithLink(
  ctx: Pick<Ctx, 'db'>,
  token: string,
  password: string,
  actor: Actor,
): Promise<{ userId: string; username: string }> {
  const link = await validLink(ctx.db, token);
  const passwordHash = await hashPassword(password);
  return withTx(ctx.db, async (tx) => {
    const now = nowIso();
    const used = await tx
      .updateTable('user_links')
      .set({ used_at: now })
      .where('id', '=', link.id)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) throw new AppError('link_invalid');
    await tx
      .updateTable('users')
      .set((eb) => ({
        password_hash: passwordHash,
        must_change_password: 0,
        locked_until: null,
        updated_at: now,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', link.user_id)
      .execute();
    await tx.deleteFrom('login_failures').where('user_id', '=', link.user_id).execute();
    const sessions = await deleteSessionsOf(tx, link.user_id);
    await audit(
      tx,
      { ...actor, id: link.user_id, name: link.name },
      {
        action: 'password_set',
        entity: 'user',
        entityId: link.user_id,
        before: { password: 'x' },
        after: { password: 'y' },
        detail: `${link.kind}; sessions ended: ${sessions}`,
      },
    );
    return { userId: link.user_id, username: link.username };
  });
}
