import { DEFAULT_LOCALE, translate, type Locale } from '@common/messages/index';
import type { SystemMailSettings, systemMailBody } from '@common/schemas/mail';
import type { z } from 'zod';
import type { DbOrTx } from '@server/db/types';
import type { Auth } from '@server/platform/access/types';
import { audit, type Actor } from '@server/platform/audit/audit.service';
import type { AppContext } from '@server/platform/http/context';
import { AppError, fieldError } from '@server/platform/http/errors';
import { withTx } from '@server/platform/org/caller';
import { getSetting, putSetting } from '@server/platform/settings/settings.service';
import { escapeHtml } from './merge-fields';
import { buildMime } from './mime';
import { deliver, sendErrorText, type ConnectOptions } from './outgoing';
import nodemailer from 'nodemailer';
import { smtpOptions, smtpTransport } from './protocol/smtp';

/**
 * The system mail account (系统邮箱): an admin-configured SMTP account that sends notifications,
 * invitations and password resets. Kept in the settings under one key; the password sealed with
 * the platform secrets and never returned (hasPassword says whether one is stored).
 */

export const SYSTEM_MAIL_KEY = 'mail.system';

type Body = z.infer<typeof systemMailBody>;
type Stored = Omit<Body, 'password'> & { passwordEnc: string | null };
type Ctx = Pick<AppContext, 'db' | 'secrets'>;

const DEFAULTS: Stored = {
  enabled: false,
  fromAddress: '',
  fromName: null,
  smtp: { host: '', port: 465, security: 'tls' },
  username: null,
  passwordEnc: null,
  allowSelfSignedCertificate: false,
  publicUrl: '',
  notifyByMail: false,
};

// notifications ask "is mail on?" on every notice: keep the answer a few seconds (each instance, each database its own)
let cache = new WeakMap<object, { at: number; value: Stored }>();
const CACHE_MS = 5000;

async function readStored(db: DbOrTx): Promise<Stored> {
  return { ...DEFAULTS, ...(await getSetting<Partial<Stored>>(db, SYSTEM_MAIL_KEY)) };
}

/** The stored settings, cached for a few seconds (the notify channel's check). */
export async function systemMailCached(db: DbOrTx): Promise<Stored> {
  const hit = cache.get(db);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.value;
  const value = await readStored(db);
  cache.set(db, { at: Date.now(), value });
  return value;
}

function present(s: Stored): SystemMailSettings {
  const { passwordEnc, ...rest } = s;
  return { ...rest, hasPassword: !!passwordEnc };
}

/** GET /system/mail: the settings without the password (defaults while never saved). */
export async function getSystemMail(db: DbOrTx): Promise<SystemMailSettings> {
  return present(await readStored(db));
}

/**
 * PUT /system/mail (admins): replaces the settings; an omitted password keeps the stored one.
 * Audited with the password's change recorded, never its value.
 */
export async function putSystemMail(ctx: Ctx, actor: Actor, body: Body): Promise<SystemMailSettings> {
  const saved = await withTx(ctx.db, async (tx) => {
    const before = await readStored(tx);
    const { password, ...rest } = body;
    const next: Stored = { ...DEFAULTS, ...rest, passwordEnc: password ? ctx.secrets.encrypt(password) : before.passwordEnc };
    await putSetting(tx, SYSTEM_MAIL_KEY, next);
    const view = (s: Stored, changed: boolean) => ({ ...present(s), password: changed ? 'new' : s.passwordEnc ? 'kept' : null });
    await audit(tx, actor, {
      action: 'update',
      entity: 'system_mail',
      entityId: null,
      before: view(before, false),
      after: view(next, !!password),
    });
    return present(next);
  });
  forgetSystemMailCache();
  return saved;
}

/** Forgets the cached settings (tests that write the setting directly). */
export function forgetSystemMailCache(): void {
  cache = new WeakMap();
}

function connectOptions(ctx: Ctx, s: Stored): ConnectOptions {
  return {
    host: s.smtp.host,
    port: s.smtp.port,
    security: s.smtp.security,
    username: s.username ?? '',
    password: s.passwordEnc ? ctx.secrets.decrypt(s.passwordEnc) : '',
    allowSelfSigned: s.allowSelfSignedCertificate,
  };
}

export type SystemMailInput = { to: string; subject: string; html: string; text?: string };

/**
 * Sends one mail from the system account. Throws system_mail_not_configured (409) while it is
 * disabled or never set up, mail_send_failed (502) with the server's words when SMTP refuses.
 */
export async function sendSystemMail(
  ctx: Ctx,
  input: SystemMailInput,
  opts: { locale?: Locale; evenIfDisabled?: boolean } = {},
): Promise<void> {
  const s = await readStored(ctx.db);
  if ((!s.enabled && !opts.evenIfDisabled) || !s.smtp.host || !s.fromAddress) throw new AppError('system_mail_not_configured');
  const built = await buildMime({
    from: { name: s.fromName ?? null, address: s.fromAddress },
    to: [{ name: null, address: input.to }],
    subject: input.subject,
    html: input.html,
    text: input.text,
  });
  const o = connectOptions(ctx, s);
  // a relay that takes mail from this server without signing in
  const transport = o.username ? smtpTransport(o) : nodemailer.createTransport({ ...smtpOptions(o), auth: undefined });
  const outcome = await deliver(transport, built).finally(() => transport.close());
  if (!outcome.ok) throw new AppError('mail_send_failed', { detail: sendErrorText(opts.locale ?? DEFAULT_LOCALE, outcome.error) });
}

/** The address users open links at (from the settings, else the server's PUBLIC_URL), without a trailing slash. */
export async function publicUrlOf(ctx: Pick<AppContext, 'db' | 'config'>): Promise<string> {
  const s = await readStored(ctx.db);
  return (s.publicUrl || ctx.config.publicUrl || '').replace(/\/+$/, '');
}

/** POST /system/mail/test: a test mail to the admin's own address with the stored settings (also before enabling). */
export async function sendTestMail(ctx: Ctx, auth: Auth, locale: Locale): Promise<{ to: string }> {
  const to = auth.user.email;
  if (!to) throw fieldError('email', 'required');
  await sendSystemMail(
    ctx,
    {
      to,
      subject: translate(locale, 'mailsend.test.subject'),
      html: `<p>${escapeHtml(translate(locale, 'mailsend.test.body', { name: auth.user.name }))}</p>`,
    },
    { locale, evenIfDisabled: true },
  );
  return { to };
}
