import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams } from '@common/schemas/platform';
import { createBatchBody } from '@common/schemas/mail';
import { requireAuth } from '@server/platform/access/check';
import { actorOf } from '@server/platform/audit/audit.service';
import { installBatchJob } from './batches.job';
import { cancelBatch, createBatch, getBatch, listBatches } from './batches.service';

const listQuery = z.object({
  cursor: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});

/**
 * /mail/batches: group sending (群发) through the caller's own account to contacts they may see;
 * progress also pushed as realtime { type: 'mail_batch', data: MailBatch }.
 */
export async function batchesRoutes(root: FastifyInstance) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { ctx } = root;
  const tags = ['mail'];
  installBatchJob(ctx);

  app.post('/mail/batches', { config: { access: 'user' }, schema: { tags, body: createBatchBody } }, async (request, reply) =>
    reply.code(201).send(await createBatch(ctx, requireAuth(request), actorOf(request), request.body)),
  );

  app.get('/mail/batches', { config: { access: 'user' }, schema: { tags, querystring: listQuery } }, (request) =>
    listBatches(ctx.db, requireAuth(request), request.query),
  );

  app.get('/mail/batches/:id', { config: { access: 'user' }, schema: { tags, params: idParams } }, (request) =>
    getBatch(ctx.db, requireAuth(request), request.params.id),
  );

  app.post('/mail/batches/:id/cancel', { config: { access: 'user' }, schema: { tags, params: idParams } }, (request) =>
    cancelBatch(ctx, requireAuth(request), actorOf(request), request.params.id),
  );
}
