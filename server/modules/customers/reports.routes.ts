import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { pageQuery } from '@common/schemas/fields';
import { idParams } from '@common/schemas/platform';
import { createReportBody, mergeCustomerBody, reportListQuery, resolveReportBody } from '@common/schemas/reports';
import { requireAuth } from '@server/platform/access/check';
import { actorOf } from '@server/platform/audit/audit.service';
import { createReport, listReports, mergeDirect, myReports, resolveReport } from './reports.service';

/**
 * Customer reports (客户举报): any user reports a customer they can see; admins work the queue and
 * merge duplicates (also directly: POST /customers/:id/merge).
 */
export async function reportsRoutes(root: FastifyInstance) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const ctx = { db: root.ctx.db, realtime: root.ctx.realtime };
  const tags = ['customers'];

  app.post('/customer-reports', { config: { access: 'user' }, schema: { tags, body: createReportBody } }, async (request, reply) =>
    reply.code(201).send(await createReport(ctx, requireAuth(request), request.body, actorOf(request))),
  );

  app.get('/customer-reports', { config: { access: 'admin' }, schema: { tags, querystring: reportListQuery } }, (request) =>
    listReports(ctx.db, request.query),
  );

  app.get('/customer-reports/mine', { config: { access: 'user' }, schema: { tags, querystring: pageQuery } }, (request) =>
    myReports(ctx.db, requireAuth(request), request.query),
  );

  app.post(
    '/customer-reports/:id/resolve',
    { config: { access: 'admin' }, schema: { tags, params: idParams, body: resolveReportBody } },
    (request) => resolveReport(ctx, request.params.id, request.body, actorOf(request)),
  );

  app.post(
    '/customers/:id/merge',
    { config: { access: 'admin' }, schema: { tags, params: idParams, body: mergeCustomerBody } },
    (request) => mergeDirect(ctx, request.params.id, request.body, actorOf(request)),
  );
}
