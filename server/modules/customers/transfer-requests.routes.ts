import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { idParams } from '@common/schemas/platform';
import { requireAuth } from '@server/platform/access/check';
import { customerTransferRequests } from './transfer-requests.service';

/** 移交申请 of a customer (transfers under approval), for its 360° page. */
export async function transferRequestsRoutes(root: FastifyInstance) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db } = root.ctx;

  app.get(
    '/customers/:id/transfer-requests',
    { config: { access: { module: 'customers', action: 'view' } }, schema: { tags: ['customers'], params: idParams } },
    async (request) => ({ items: await customerTransferRequests(db, requireAuth(request), request.params.id) }),
  );
}
