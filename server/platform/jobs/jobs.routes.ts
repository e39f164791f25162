import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { idParams, jobsQuery } from '@common/schemas/platform';
import { nowIso } from '@server/db/ids';
import { actorOf, audit } from '../audit/audit.service';
import { AppError } from '../http/errors';
import { findJob, findJobs, pendingWithKey, requeueFailed, toJobItem } from './jobs.repository';

/** Admin view of the job queue: list, retry a failed job, recurring schedules. */
export async function jobsRoutes(root: FastifyInstance) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db, jobs } = root.ctx;
  const tags = ['jobs'];

  app.get('/jobs', { config: { access: 'admin' }, schema: { tags, querystring: jobsQuery } }, (request) => findJobs(db, request.query));

  app.get('/jobs/schedules', { config: { access: 'admin' }, schema: { tags } }, async () => ({
    items: (await jobs.listSchedules(db)).map(({ name, cron, nextRunAt, lastRunAt }) => ({ name, cron, nextRunAt, lastRunAt })),
  }));

  app.post('/jobs/:id/retry', { config: { access: 'admin' }, schema: { tags, params: idParams } }, async (request) => {
    const job = await db.transaction().execute(async (tx) => {
      const before = await findJob(tx, request.params.id);
      if (!before) throw new AppError('not_found');
      if (before.status !== 'failed') throw new AppError('job_not_failed');
      if (before.dedupe_key && (await pendingWithKey(tx, before.dedupe_key))) throw new AppError('job_duplicate');
      const after = await requeueFailed(tx, before.id, nowIso(jobs.now()));
      // another admin retried it between our read and write
      if (!after) throw new AppError('job_not_failed');
      await audit(tx, actorOf(request), {
        action: 'retry',
        entity: 'job',
        entityId: before.id,
        before: { status: before.status, attempts: before.attempts },
        after: { status: after.status, attempts: after.attempts },
        detail: before.name,
      });
      return after;
    });
    return toJobItem(job);
  });
}
