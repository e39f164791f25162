import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idSchema, pageQuery } from '@common/schemas/fields';
import { allows, requireAuth } from '../access/check';
import { AppError } from '../http/errors';
import { findAudit } from './audit.repository';

/**
 * Who may read one record's history: each module registers its entities with a check that the
 * caller may see that record. Unregistered entities are admin-only.
 */
type HistoryCheck = (request: FastifyRequest, id: string) => Promise<boolean> | boolean;
const historyChecks = new Map<string, HistoryCheck>();
export function registerHistory(entity: string, check: HistoryCheck) {
  historyChecks.set(entity, check);
}

const auditQuery = pageQuery.extend({
  actorId: idSchema.optional(),
  entity: z.string().max(50).optional(),
  entityId: z.string().max(100).optional(),
  action: z.string().max(50).optional(),
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
});

export async function auditRoutes(root: FastifyInstance) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db } = root.ctx;
  const tags = ['audit'];

  app.get('/audit', { config: { access: { module: 'audit', action: 'view' } }, schema: { tags, querystring: auditQuery } }, (request) =>
    findAudit(db, request.query),
  );

  app.get(
    '/audit/:entity/:id',
    {
      config: { access: 'user' },
      schema: { tags, params: z.object({ entity: z.string().max(50), id: z.string().max(100) }), querystring: pageQuery },
    },
    async (request) => {
      const auth = requireAuth(request);
      const { entity, id } = request.params;
      const check = historyChecks.get(entity);
      const permitted = allows(auth, 'audit', 'view') || (check ? await check(request, id) : auth.user.isAdmin);
      if (!permitted) throw new AppError('not_found');
      return findAudit(db, { entity, entityId: id, ...request.query });
    },
  );
}
