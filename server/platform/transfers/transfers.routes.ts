import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { dataTransfersQuery } from '@common/schemas/excel';
import { idParams } from '@common/schemas/platform';
import { requireAuth } from '../access/check';
import { listTransfers, presentTransfer, transferOf } from './transfers.service';

/** /data-transfers: the progress and outcome of import and export runs (导入 / 导出记录). */
export async function transfersRoutes(root: FastifyInstance) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db } = root.ctx;
  const tags = ['data-transfers'];

  app.get('/data-transfers', { config: { access: 'user' }, schema: { tags, querystring: dataTransfersQuery } }, (request) =>
    listTransfers(db, requireAuth(request), request.query),
  );

  app.get('/data-transfers/:id', { config: { access: 'user' }, schema: { tags, params: idParams } }, async (request) =>
    presentTransfer(await transferOf(db, requireAuth(request), request.params.id)),
  );
}
