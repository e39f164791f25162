import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  createExportBody,
  createImportBody,
  importTemplateQuery,
  previewImportBody,
  runImportBody,
  TRANSFER_MODULES,
  type TransferEntity,
} from '@common/schemas/excel';
import { idParams } from '@common/schemas/platform';
import { requireAuth, requirePermission } from '@server/platform/access/check';
import { contentDisposition } from '@server/platform/files/files.routes';
import { requestLocale } from '@server/platform/http/locale';
import { installTransferJob } from '@server/platform/transfers/transfers.runner';
import { transfersRoutes } from '@server/platform/transfers/transfers.routes';
import { ownTransfer } from '@server/platform/transfers/transfers.service';
import { createExport } from './excel-export';
import { previewImport, runImport, startImport } from './excel-import';
import { buildTemplate } from './excel-template';
import { XLSX_MIME } from './excel-workbook';

/**
 * 导入 / 导出: Excel import of customers, contacts and leads (template, upload → mapping → preview →
 * run) and export of a list view. The permission is the entity's module with 'import' / 'export',
 * checked here because the entity comes with the request; the steps check it again when they run.
 */
export async function excelRoutes(root: FastifyInstance) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const ctx = root.ctx;
  const tags = ['excel'];
  installTransferJob(ctx, root.log);
  // the runs' progress and outcome (generic: later modules' imports use them too)
  await root.register(transfersRoutes);

  const importRight = (request: Parameters<typeof requireAuth>[0], entity: TransferEntity) =>
    requirePermission(request, TRANSFER_MODULES[entity], 'import');

  app.get(
    '/imports/template',
    { config: { access: 'user' }, schema: { tags, querystring: importTemplateQuery } },
    async (request, reply) => {
      const auth = importRight(request, request.query.entity);
      const { name, data } = await buildTemplate(ctx.db, auth, requestLocale(request), request.query.entity);
      return reply
        .header('content-type', XLSX_MIME)
        .header('content-disposition', contentDisposition(name))
        .header('cache-control', 'private, no-cache')
        .send(data);
    },
  );

  app.post('/imports', { config: { access: 'user' }, schema: { tags, body: createImportBody } }, async (request, reply) => {
    const auth = importRight(request, request.body.entity);
    return reply.code(201).send(await startImport(ctx, auth, requestLocale(request), request.body));
  });

  app.post(
    '/imports/:id/preview',
    { config: { access: 'user' }, schema: { tags, params: idParams, body: previewImportBody } },
    async (request, reply) => {
      const run = await ownTransfer(ctx.db, requireAuth(request), request.params.id, 'import');
      const auth = importRight(request, run.entity as TransferEntity);
      const out = await previewImport(ctx, auth, run.id, request.body.mapping, request.body.wait);
      return reply.code(request.body.wait ? 200 : 202).send(out);
    },
  );

  app.post(
    '/imports/:id/run',
    { config: { access: 'user' }, schema: { tags, params: idParams, body: runImportBody } },
    async (request, reply) => {
      const run = await ownTransfer(ctx.db, requireAuth(request), request.params.id, 'import');
      const auth = importRight(request, run.entity as TransferEntity);
      const out = await runImport(ctx, auth, run.id, request.body.wait);
      return reply.code(request.body.wait ? 200 : 202).send(out);
    },
  );

  app.post('/exports', { config: { access: 'user' }, schema: { tags, body: createExportBody } }, async (request, reply) => {
    const auth = requirePermission(request, TRANSFER_MODULES[request.body.entity], 'export');
    const out = await createExport(ctx, auth, requestLocale(request), request.body);
    return reply.code(request.body.wait ? 200 : 202).send(out);
  });
}
