import { pickLocale, translate } from '@common/messages/index';
import type { AppContext } from '@server/platform/http/context';
import { AppError } from '@server/platform/http/errors';
import { enqueue } from '@server/platform/jobs/jobs.service';
import { registerNotifyChannel } from '@server/platform/notify/notify.service';
import { escapeHtml } from './merge-fields';
import { publicUrlOf, sendSystemMail, systemMailCached } from './system-mail.service';

/**
 * Notices by mail: when the system mail account is on and its notifyByMail setting too, every
 * in-app notification is also mailed to its recipients that have an e-mail address — by a job,
 * so storing a notice never waits on SMTP.
 */

export const NOTIFY_MAIL_JOB = 'mail.notify';
type Payload = { ids: string[] };

// notices about received mail would only repeat the mailbox
const NOT_MAILED = new Set(['mail.new']);

/** Registers the channel and the job that sends (idempotent per process; the last app's job wins). */
export function installMailNotifyChannel(ctx: AppContext): void {
  registerNotifyChannel('mail', async (db, items) => {
    const mailed = items.filter((i) => !NOT_MAILED.has(i.type));
    if (!mailed.length) return;
    const s = await systemMailCached(db);
    if (!s.enabled || !s.notifyByMail) return;
    await enqueue(db, NOTIFY_MAIL_JOB, { ids: mailed.map((i) => i.id) } satisfies Payload);
  });
  ctx.jobs.registerJob<Payload>(NOTIFY_MAIL_JOB, async (payload) => {
    await mailNotifications(ctx, payload.ids);
  });
}

/**
 * Mails the notifications to their active recipients with an e-mail address. Never throws: a
 * recipient the server refuses is skipped (retrying would re-send to the others, and a failed job
 * would itself raise a notice to mail).
 */
export async function mailNotifications(ctx: Pick<AppContext, 'db' | 'secrets' | 'config'>, ids: string[]): Promise<number> {
  if (!ids.length) return 0;
  const rows = await ctx.db
    .selectFrom('notifications as n')
    .innerJoin('users as u', 'u.id', 'n.user_id')
    .select(['n.id', 'n.title', 'n.body', 'n.link', 'u.email', 'u.locale'])
    .where('n.id', 'in', ids)
    .where('u.status', '=', 'active')
    .where('u.email', 'is not', null)
    .execute();
  const base = await publicUrlOf(ctx);
  let sent = 0;
  for (const r of rows) {
    const locale = pickLocale(r.locale);
    const url = r.link ? `${base}${r.link.startsWith('/') ? '' : '/'}${r.link}` : null;
    const html = [
      `<p><strong>${escapeHtml(r.title)}</strong></p>`,
      r.body ? `<p>${escapeHtml(r.body).replace(/\n/g, '<br>')}</p>` : '',
      url ? `<p><a href="${escapeHtml(url)}">${escapeHtml(translate(locale, 'mailsend.notice.open'))}</a></p>` : '',
      `<p style="color:#888">${escapeHtml(translate(locale, 'mailsend.notice.footer'))}</p>`,
    ].join('\n');
    try {
      await sendSystemMail(ctx, { to: r.email!, subject: r.title, html }, { locale });
      sent++;
    } catch (err) {
      if (err instanceof AppError && err.code === 'system_mail_not_configured') return sent;
    }
  }
  return sent;
}
