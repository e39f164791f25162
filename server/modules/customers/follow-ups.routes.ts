import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idSchema } from '@common/schemas/fields';
import { createFollowUpBody, followUpListQuery, updateFollowUpBody } from '@common/schemas/followups';
import { requireAuth } from '@server/platform/access/check';
import { actorOf } from '@server/platform/audit/audit.service';
import { registerHistory } from '@server/platform/audit/audit.routes';
import { registerFileAccess } from '@server/platform/files/files.service';
import * as followUps from './follow-ups.service';

const params = z.object({ id: idSchema });
const deleteQuery = z.object({ version: z.coerce.number().int().min(1).optional() });

/**
 * /follow-ups (跟单): the timeline of a customer or lead, my and my team's follow-ups; log, edit
 * and delete (author or admin). Logging one counts as contact with the customer / lead.
 */
export async function followUpsRoutes(root: FastifyInstance) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db } = root.ctx;
  const tags = ['follow-ups'];

  registerHistory('follow_up', (request, id) => followUps.followUpHistoryVisible(db, requireAuth(request), id));
  // an attachment is readable by whoever sees its live follow-up
  registerFileAccess('follow_up', (request, id) => followUps.followUpReadable(db, requireAuth(request), id));

  app.get(
    '/follow-ups',
    { config: { access: { module: 'followups', action: 'view' } }, schema: { tags, querystring: followUpListQuery } },
    (request) => followUps.listFollowUps(db, requireAuth(request), request.query),
  );

  app.get('/follow-ups/:id', { config: { access: { module: 'followups', action: 'view' } }, schema: { tags, params } }, (request) =>
    followUps.getFollowUp(db, requireAuth(request), request.params.id),
  );

  app.post(
    '/follow-ups',
    { config: { access: { module: 'followups', action: 'create' } }, schema: { tags, body: createFollowUpBody } },
    async (request, reply) =>
      reply.code(201).send(await followUps.createFollowUp(db, requireAuth(request), actorOf(request), request.body)),
  );

  app.patch(
    '/follow-ups/:id',
    { config: { access: { module: 'followups', action: 'edit' } }, schema: { tags, params, body: updateFollowUpBody } },
    (request) => followUps.updateFollowUp(db, requireAuth(request), actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/follow-ups/:id',
    { config: { access: { module: 'followups', action: 'delete' } }, schema: { tags, params, querystring: deleteQuery } },
    async (request, reply) => {
      await followUps.deleteFollowUp(db, requireAuth(request), actorOf(request), request.params.id, request.query.version);
      return reply.code(204).send();
    },
  );
}
