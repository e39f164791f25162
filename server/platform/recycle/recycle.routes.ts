import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { idParams, recycleQuery } from '@common/schemas/platform';
import { actorOf } from '../audit/audit.service';
import { listRecycleBin, purgeExpired, purgeFromRecycleBin, PURGE_JOB, restoreFromRecycleBin } from './recycle.service';

/** Recycle bin (admin): list, restore, purge now; plus the daily purge of expired entries. */
export async function recycleRoutes(root: FastifyInstance) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db, jobs } = root.ctx;
  const tags = ['recycle-bin'];

  jobs.registerJob(PURGE_JOB, async (_payload, job) => {
    await purgeExpired(job.db, job.now);
  });
  // 03:00 company time, when nobody is working
  jobs.registerSchedule(PURGE_JOB, '0 3 * * *', PURGE_JOB);

  app.get('/recycle-bin', { config: { access: 'admin' }, schema: { tags, querystring: recycleQuery } }, (request) =>
    listRecycleBin(db, request.query),
  );

  app.post('/recycle-bin/:id/restore', { config: { access: 'admin' }, schema: { tags, params: idParams } }, async (request) => {
    await restoreFromRecycleBin(db, request.params.id, actorOf(request));
    return { ok: true };
  });

  app.delete('/recycle-bin/:id', { config: { access: 'admin' }, schema: { tags, params: idParams } }, async (request, reply) => {
    await purgeFromRecycleBin(db, request.params.id, actorOf(request));
    return reply.code(204).send();
  });
}
