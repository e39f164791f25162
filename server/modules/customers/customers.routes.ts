import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { idParams } from '@common/schemas/platform';
import {
  attachCustomerFilesBody,
  createCustomerBody,
  customerFileParams,
  customerListQuery,
  deleteCustomerQuery,
  duplicateCheckQuery,
  putTeamBody,
  updateCustomerBody,
} from '@common/schemas/customers';
import { requireAuth } from '@server/platform/access/check';
import { actorOf } from '@server/platform/audit/audit.service';
import { registerHistory } from '@server/platform/audit/audit.routes';
import { registerFileAccess } from '@server/platform/files/files.service';
import { attachCustomerFiles, customerFilesReadable, CUSTOMER_FILE_ENTITY, detachCustomerFile } from './customer-files';
import { getCustomerSettings } from './customer-settings.service';
import { duplicateCheck } from './duplicates';
import { customerInScope } from './customers.repository';
import { listCustomers } from './customers.list';
import * as customers from './customers.service';
import { customerOverview } from './customers.overview';
import { requestLocale } from '@server/platform/http/locale';

/**
 * /customers (客户档案): the list with keyword search, the record, its team, and the duplicate check
 * anyone may use. Scope is applied inside every query; records outside it answer 404.
 */
export async function customersRoutes(root: FastifyInstance) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db } = root.ctx;
  const tags = ['customers'];
  const view = { module: 'customers', action: 'view' } as const;
  const edit = { module: 'customers', action: 'edit' } as const;

  registerHistory('customer', (request, id) => customerInScope(db, requireAuth(request), id));
  // 附件: GET /files?entity=customer&entityId= and GET /files/:id for whoever sees the customer
  registerFileAccess(CUSTOMER_FILE_ENTITY, (request, id) => customerFilesReadable(db, requireAuth(request), id));

  app.get('/customers', { config: { access: view }, schema: { tags, querystring: customerListQuery } }, (request) =>
    listCustomers(db, requireAuth(request), request.query),
  );

  // 查重: whether a name or phone is taken and by whom, nothing else (any signed-in user)
  app.get(
    '/customers/duplicate-check',
    { config: { access: 'user' }, schema: { tags, querystring: duplicateCheckQuery } },
    async (request) => duplicateCheck(db, request.query, await getCustomerSettings(db)),
  );

  app.post(
    '/customers',
    { config: { access: { module: 'customers', action: 'create' } }, schema: { tags, body: createCustomerBody } },
    async (request, reply) =>
      reply.code(201).send(await customers.createCustomer(db, request.body, requireAuth(request), { actor: actorOf(request) })),
  );

  app.get('/customers/:id', { config: { access: view }, schema: { tags, params: idParams } }, (request) =>
    customers.getCustomer(db, requireAuth(request), request.params.id),
  );

  // the customer page (360°): the record with contacts, timeline, schedules, team, owner history, dates
  app.get('/customers/:id/360', { config: { access: view }, schema: { tags, params: idParams } }, (request) =>
    customerOverview(db, requireAuth(request), request.params.id, requestLocale(request)),
  );

  app.patch('/customers/:id', { config: { access: edit }, schema: { tags, params: idParams, body: updateCustomerBody } }, (request) =>
    customers.updateCustomer(db, requireAuth(request), actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/customers/:id',
    { config: { access: { module: 'customers', action: 'delete' } }, schema: { tags, params: idParams, querystring: deleteCustomerQuery } },
    async (request, reply) => {
      await customers.removeCustomer(db, requireAuth(request), actorOf(request), request.params.id, request.query.version);
      return reply.code(204).send();
    },
  );

  app.post(
    '/customers/:id/attachments',
    { config: { access: edit }, schema: { tags, params: idParams, body: attachCustomerFilesBody } },
    (request) => attachCustomerFiles(db, requireAuth(request), actorOf(request), request.params.id, request.body.fileIds),
  );

  app.delete(
    '/customers/:id/attachments/:fileId',
    { config: { access: edit }, schema: { tags, params: customerFileParams } },
    async (request, reply) => {
      await detachCustomerFile(db, requireAuth(request), actorOf(request), request.params.id, request.params.fileId);
      return reply.code(204).send();
    },
  );

  app.put('/customers/:id/team', { config: { access: edit }, schema: { tags, params: idParams, body: putTeamBody } }, (request) =>
    customers.putTeam(db, requireAuth(request), actorOf(request), request.params.id, request.body),
  );
}
