import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idSchema } from '@common/schemas/fields';
import { convertLeadBody, createLeadBody, leadListQuery, transferLeadsBody, updateLeadBody } from '@common/schemas/leads';
import { allows, requireAuth, requirePermission } from '@server/platform/access/check';
import { actorOf } from '@server/platform/audit/audit.service';
import { registerHistory } from '@server/platform/audit/audit.routes';
import { leadInScope } from './leads.repository';
import { createLead, deleteLead, getLead, leadScope, listLeads, transferLeads, updateLead } from './leads.service';
import { convertLead } from './lead-conversion';

const params = z.object({ id: idSchema });

/** /leads: 潜在客户 — list, read, create, edit, delete (recycle bin), transfer and conversion to a customer. */
export async function leadsRoutes(root: FastifyInstance) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db } = root.ctx;
  const tags = ['leads'];

  // a lead's audit history: whoever may see the lead (also while it is in the recycle bin)
  registerHistory('lead', (request, id) => {
    const auth = requireAuth(request);
    return allows(auth, 'leads', 'view') && leadInScope(db, id, leadScope(auth));
  });

  app.get('/leads', { config: { access: { module: 'leads', action: 'view' } }, schema: { tags, querystring: leadListQuery } }, (request) =>
    listLeads(db, request.query, requireAuth(request)),
  );

  app.get('/leads/:id', { config: { access: { module: 'leads', action: 'view' } }, schema: { tags, params } }, (request) =>
    getLead(db, request.params.id, requireAuth(request)),
  );

  app.post(
    '/leads',
    { config: { access: { module: 'leads', action: 'create' } }, schema: { tags, body: createLeadBody } },
    async (request, reply) => reply.code(201).send(await createLead(db, request.body, requireAuth(request), actorOf(request))),
  );

  app.patch(
    '/leads/:id',
    { config: { access: { module: 'leads', action: 'edit' } }, schema: { tags, params, body: updateLeadBody } },
    (request) => updateLead(db, request.params.id, request.body, requireAuth(request), actorOf(request)),
  );

  app.delete(
    '/leads/:id',
    { config: { access: { module: 'leads', action: 'delete' } }, schema: { tags, params } },
    async (request, reply) => {
      await deleteLead(db, request.params.id, requireAuth(request), actorOf(request));
      return reply.code(204).send();
    },
  );

  app.post(
    '/leads/transfer',
    { config: { access: { module: 'leads', action: 'transfer' } }, schema: { tags, body: transferLeadsBody } },
    (request) => transferLeads(db, request.body, requireAuth(request), actorOf(request)),
  );

  // 转为客户: edit on the lead (the route's rule) and create on customers (checked here)
  app.post(
    '/leads/:id/convert',
    { config: { access: { module: 'leads', action: 'edit' } }, schema: { tags, params, body: convertLeadBody } },
    async (request) => {
      const auth = requirePermission(request, 'customers', 'create');
      return convertLead(db, request.params.id, request.body, auth, actorOf(request));
    },
  );
}
