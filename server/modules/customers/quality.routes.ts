import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { qualityReportQuery } from '@common/schemas/reports';
import { requireAuth } from '@server/platform/access/check';
import { qualityReport } from './quality.service';

/** The data-quality report per salesperson (数据质量), within the viewer's customers scope. */
export async function qualityRoutes(root: FastifyInstance) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db } = root.ctx;

  app.get(
    '/customers/quality-report',
    { config: { access: { module: 'customers', action: 'view' } }, schema: { tags: ['customers'], querystring: qualityReportQuery } },
    (request) => qualityReport(db, requireAuth(request), request.query),
  );
}
