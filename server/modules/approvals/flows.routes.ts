import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createFlowBody, flowListQuery, updateFlowBody } from '@common/schemas/approvals';
import { idParams } from '@common/schemas/platform';
import { actorOf } from '@server/platform/audit/audit.service';
import { requestLocale } from '@server/platform/http/locale';
import { createFlow, deleteFlow, getFlow, listApprovableTypes, listFlows, updateFlow } from './flows.service';

const deleteQuery = z.object({ version: z.coerce.number().int().min(1).optional() });

/** /approval-flows (the designer's flows, versioned) and /approval-types (what a flow can be designed for) */
export async function flowsRoutes(root: FastifyInstance) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db } = root.ctx;
  const tags = ['approvals'];

  app.get('/approval-types', { config: { access: 'user' }, schema: { tags } }, async (request) => ({
    items: await listApprovableTypes(db, requestLocale(request)),
  }));

  app.get(
    '/approval-flows',
    { config: { access: { module: 'workflow', action: 'view' } }, schema: { tags, querystring: flowListQuery } },
    async (request) => ({ items: await listFlows(db, request.query.type) }),
  );

  app.get(
    '/approval-flows/:id',
    { config: { access: { module: 'workflow', action: 'view' } }, schema: { tags, params: idParams } },
    (request) => getFlow(db, request.params.id),
  );

  app.post(
    '/approval-flows',
    { config: { access: { module: 'workflow', action: 'create' } }, schema: { tags, body: createFlowBody } },
    async (request, reply) => reply.code(201).send(await createFlow(db, request.body, actorOf(request))),
  );

  app.patch(
    '/approval-flows/:id',
    { config: { access: { module: 'workflow', action: 'edit' } }, schema: { tags, params: idParams, body: updateFlowBody } },
    (request) => updateFlow(db, request.params.id, request.body, actorOf(request)),
  );

  app.delete(
    '/approval-flows/:id',
    { config: { access: { module: 'workflow', action: 'delete' } }, schema: { tags, params: idParams, querystring: deleteQuery } },
    async (request, reply) => {
      await deleteFlow(db, request.params.id, request.query.version, actorOf(request));
      return reply.code(204).send();
    },
  );
}
