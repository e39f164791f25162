import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createCustomFieldBody, customFieldsQuery, updateCustomFieldBody } from '@common/schemas/custom-fields';
import { idParams } from '@common/schemas/platform';
import { actorOf } from '../audit/audit.service';
import { fieldError } from '../http/errors';
import { createFieldDef, deleteFieldDef, listFieldDefs, updateFieldDef } from './field-defs.service';
import { fieldEntities, fieldEntity } from './fields.registry';

const deleteQuery = z.object({ version: z.coerce.number().int().min(1).optional() });

/** /custom-fields: definitions of custom fields (属性定义). Everyone reads them (forms, lists); the admin edits. */
export async function fieldsRoutes(root: FastifyInstance) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db } = root.ctx;
  const tags = ['custom-fields'];

  app.get('/custom-fields/entities', { config: { access: 'user' }, schema: { tags } }, () => ({ items: fieldEntities() }));

  app.get('/custom-fields', { config: { access: 'user' }, schema: { tags, querystring: customFieldsQuery } }, async (request) => {
    if (!fieldEntity(request.query.entity)) throw fieldError('entity', 'invalid_value');
    return { items: await listFieldDefs(db, request.query.entity) };
  });

  app.post('/custom-fields', { config: { access: 'admin' }, schema: { tags, body: createCustomFieldBody } }, async (request, reply) =>
    reply.code(201).send(await createFieldDef(db, request.body, actorOf(request))),
  );

  app.patch(
    '/custom-fields/:id',
    { config: { access: 'admin' }, schema: { tags, params: idParams, body: updateCustomFieldBody } },
    (request) => updateFieldDef(db, request.params.id, request.body, actorOf(request)),
  );

  app.delete(
    '/custom-fields/:id',
    { config: { access: 'admin' }, schema: { tags, params: idParams, querystring: deleteQuery } },
    async (request, reply) => {
      await deleteFieldDef(db, request.params.id, request.query.version, actorOf(request));
      return reply.code(204).send();
    },
  );
}
