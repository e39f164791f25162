import { pickLocale, translate } from '@common/messages/index';
import type { AppContext } from '../http/context';
import { notify } from '../notify/notify.service';

/** Tells every active admin, in their own language, that a job failed for good (a link opens the failed list). */
export async function notifyJobFailure(ctx: AppContext, job: { id: string; name: string; error: string }): Promise<void> {
  const admins = await ctx.db
    .selectFrom('users')
    .select(['id', 'locale'])
    .where('is_admin', '=', 1)
    .where('status', '=', 'active')
    .execute();
  for (const admin of admins) {
    const locale = pickLocale(admin.locale);
    await notify(ctx, [admin.id], {
      type: 'job.failed',
      title: translate(locale, 'system.jobs.failed_notice', { name: job.name }),
      body: job.error,
      link: '/system/jobs?tab=failed',
      data: { jobId: job.id },
    });
  }
}
