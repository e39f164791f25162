import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { approvalPositionBody, updateApprovalPositionBody } from '@common/schemas/approvals';
import { idParams } from '@common/schemas/platform';
import { actorOf } from '@server/platform/audit/audit.service';
import {
  createApprovalPosition,
  deleteApprovalPosition,
  getApprovalPosition,
  listApprovalPositions,
  updateApprovalPosition,
} from './positions.service';

const deleteQuery = z.object({ version: z.coerce.number().int().min(1).optional() });

/** /approval-positions (审批职位) */
export async function approvalPositionsRoutes(root: FastifyInstance) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db } = root.ctx;
  const tags = ['approvals'];

  app.get('/approval-positions', { config: { access: { module: 'workflow', action: 'view' } }, schema: { tags } }, async () => ({
    items: await listApprovalPositions(db),
  }));

  app.get(
    '/approval-positions/:id',
    { config: { access: { module: 'workflow', action: 'view' } }, schema: { tags, params: idParams } },
    (request) => getApprovalPosition(db, request.params.id),
  );

  app.post(
    '/approval-positions',
    { config: { access: { module: 'workflow', action: 'create' } }, schema: { tags, body: approvalPositionBody } },
    async (request, reply) => reply.code(201).send(await createApprovalPosition(db, request.body, actorOf(request))),
  );

  app.patch(
    '/approval-positions/:id',
    { config: { access: { module: 'workflow', action: 'edit' } }, schema: { tags, params: idParams, body: updateApprovalPositionBody } },
    (request) => updateApprovalPosition(db, request.params.id, request.body, actorOf(request)),
  );

  app.delete(
    '/approval-positions/:id',
    { config: { access: { module: 'workflow', action: 'delete' } }, schema: { tags, params: idParams, querystring: deleteQuery } },
    async (request, reply) => {
      await deleteApprovalPosition(db, request.params.id, request.query.version, actorOf(request));
      return reply.code(204).send();
    },
  );
}
