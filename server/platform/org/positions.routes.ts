import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idSchema } from '@common/schemas/fields';
import { createPositionBody, putPermissionsBody, updatePositionBody } from '@common/schemas/org';
import { callerOf } from './caller';
import * as positions from './positions.service';

const params = z.object({ id: idSchema });
const deleteQuery = z.object({ version: z.coerce.number().int().min(1).optional() });

/** /positions: positions (职位) with their parent and their permission matrix. */
export async function positionsRoutes(root: FastifyInstance) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db } = root.ctx;
  const tags = ['org'];

  app.get('/positions', { config: { access: { module: 'org', action: 'view' } }, schema: { tags } }, async () => ({
    items: await positions.listPositions(db),
  }));

  app.get('/positions/:id', { config: { access: { module: 'org', action: 'view' } }, schema: { tags, params } }, (request) =>
    positions.getPosition(db, request.params.id),
  );

  app.post(
    '/positions',
    { config: { access: { module: 'org', action: 'create' } }, schema: { tags, body: createPositionBody } },
    async (request, reply) => reply.code(201).send(await positions.createPosition(db, request.body, callerOf(request))),
  );

  app.patch(
    '/positions/:id',
    { config: { access: { module: 'org', action: 'edit' } }, schema: { tags, params, body: updatePositionBody } },
    (request) => positions.updatePosition(db, request.params.id, request.body, callerOf(request)),
  );

  app.put(
    '/positions/:id/permissions',
    { config: { access: { module: 'org', action: 'edit' } }, schema: { tags, params, body: putPermissionsBody } },
    (request) => positions.putPermissions(db, request.params.id, request.body.version, request.body.permissions, callerOf(request)),
  );

  app.delete(
    '/positions/:id',
    { config: { access: { module: 'org', action: 'delete' } }, schema: { tags, params, querystring: deleteQuery } },
    async (request, reply) => {
      await positions.deletePosition(db, request.params.id, request.query.version, callerOf(request));
      return reply.code(204).send();
    },
  );
}
