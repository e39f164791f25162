import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createSavedViewBody, savedViewsQuery, updateSavedViewBody } from '@common/schemas/views';
import { idParams } from '@common/schemas/platform';
import { actorOf } from '../audit/audit.service';
import { requireAuth } from '../access/check';
import { createView, deleteView, listViews, updateView, type ViewCaller } from './views.service';

const deleteQuery = z.object({ version: z.coerce.number().int().min(1).optional() });

function viewCaller(request: FastifyRequest): ViewCaller {
  const auth = requireAuth(request);
  return { actor: actorOf(request), userId: auth.user.id, isAdmin: auth.user.isAdmin };
}

/** /saved-views: saved list views, mine and shared. Any signed-in user. */
export async function viewsRoutes(root: FastifyInstance) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db } = root.ctx;
  const tags = ['saved-views'];

  app.get('/saved-views', { config: { access: 'user' }, schema: { tags, querystring: savedViewsQuery } }, async (request) => ({
    items: await listViews(db, request.query.entity, requireAuth(request).user.id),
  }));

  app.post('/saved-views', { config: { access: 'user' }, schema: { tags, body: createSavedViewBody } }, async (request, reply) =>
    reply.code(201).send(await createView(db, request.body, viewCaller(request))),
  );

  app.patch('/saved-views/:id', { config: { access: 'user' }, schema: { tags, params: idParams, body: updateSavedViewBody } }, (request) =>
    updateView(db, request.params.id, request.body, viewCaller(request)),
  );

  app.delete(
    '/saved-views/:id',
    { config: { access: 'user' }, schema: { tags, params: idParams, querystring: deleteQuery } },
    async (request, reply) => {
      await deleteView(db, request.params.id, request.query.version, viewCaller(request));
      return reply.code(204).send();
    },
  );
}
