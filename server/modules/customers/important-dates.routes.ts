import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { idParams } from '@common/schemas/platform';
import { createImportantDateBody, importantDateListQuery } from '@common/schemas/important-dates';
import { requireAuth } from '@server/platform/access/check';
import { actorOf } from '@server/platform/audit/audit.service';
import {
  createImportantDate,
  deleteImportantDate,
  IMPORTANT_DATES_CRON,
  IMPORTANT_DATES_JOB,
  listImportantDates,
  remindImportantDates,
} from './important-dates.service';

/** /important-dates (重要日期) of customers, and their daily reminder to the customer's owner. */
export async function importantDatesRoutes(root: FastifyInstance) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db, jobs, realtime } = root.ctx;
  const tags = ['customers'];

  jobs.registerJob(IMPORTANT_DATES_JOB, async (_payload, job) => {
    await remindImportantDates({ db: job.db, realtime }, job.now);
  });
  // 08:00 company time: the owner sees it at the start of the working day
  jobs.registerSchedule(IMPORTANT_DATES_JOB, IMPORTANT_DATES_CRON, IMPORTANT_DATES_JOB);

  app.get(
    '/important-dates',
    { config: { access: { module: 'customers', action: 'view' } }, schema: { tags, querystring: importantDateListQuery } },
    (request) => listImportantDates(db, requireAuth(request), request.query.customerId),
  );

  app.post(
    '/important-dates',
    { config: { access: { module: 'customers', action: 'edit' } }, schema: { tags, body: createImportantDateBody } },
    async (request, reply) => reply.code(201).send(await createImportantDate(db, requireAuth(request), actorOf(request), request.body)),
  );

  app.delete(
    '/important-dates/:id',
    { config: { access: { module: 'customers', action: 'edit' } }, schema: { tags, params: idParams } },
    async (request, reply) => {
      await deleteImportantDate(db, requireAuth(request), actorOf(request), request.params.id);
      return reply.code(204).send();
    },
  );
}
