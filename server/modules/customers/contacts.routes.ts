import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { idParams } from '@common/schemas/platform';
import { contactListQuery, createContactBody, deleteContactQuery, updateContactBody } from '@common/schemas/contacts';
import { requireAuth } from '@server/platform/access/check';
import { actorOf } from '@server/platform/audit/audit.service';
import { registerHistory } from '@server/platform/audit/audit.routes';
import * as contacts from './contacts.service';

/**
 * /contacts (联系人): contacts of the customers the caller sees under the contacts module's scope;
 * changes need the right to edit the customer as well.
 */
export async function contactsRoutes(root: FastifyInstance) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db } = root.ctx;
  const tags = ['contacts'];

  registerHistory('contact', (request, id) => contacts.contactHistoryVisible(db, requireAuth(request), id));

  app.get(
    '/contacts',
    { config: { access: { module: 'contacts', action: 'view' } }, schema: { tags, querystring: contactListQuery } },
    (request) => contacts.listContacts(db, requireAuth(request), request.query),
  );

  app.get('/contacts/:id', { config: { access: { module: 'contacts', action: 'view' } }, schema: { tags, params: idParams } }, (request) =>
    contacts.getContact(db, requireAuth(request), request.params.id),
  );

  app.post(
    '/contacts',
    { config: { access: { module: 'contacts', action: 'create' } }, schema: { tags, body: createContactBody } },
    async (request, reply) => reply.code(201).send(await contacts.createContact(db, requireAuth(request), actorOf(request), request.body)),
  );

  app.patch(
    '/contacts/:id',
    { config: { access: { module: 'contacts', action: 'edit' } }, schema: { tags, params: idParams, body: updateContactBody } },
    (request) => contacts.updateContact(db, requireAuth(request), actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/contacts/:id',
    { config: { access: { module: 'contacts', action: 'delete' } }, schema: { tags, params: idParams, querystring: deleteContactQuery } },
    async (request, reply) => {
      await contacts.deleteContact(db, requireAuth(request), actorOf(request), request.params.id, request.query.version);
      return reply.code(204).send();
    },
  );
}
