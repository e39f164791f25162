import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idSchema } from '@common/schemas/fields';
import { createDepartmentBody, updateDepartmentBody } from '@common/schemas/org';
import { callerOf } from './caller';
import * as departments from './departments.service';

const params = z.object({ id: idSchema });
const deleteQuery = z.object({ version: z.coerce.number().int().min(1).optional() });

/** /departments: the department tree as a flat list, create, rename/move/disable, delete. */
export async function departmentsRoutes(root: FastifyInstance) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db } = root.ctx;
  const tags = ['org'];

  app.get('/departments', { config: { access: { module: 'org', action: 'view' } }, schema: { tags } }, async () => ({
    items: await departments.listDepartments(db),
  }));

  app.get('/departments/:id', { config: { access: { module: 'org', action: 'view' } }, schema: { tags, params } }, (request) =>
    departments.getDepartment(db, request.params.id),
  );

  app.post(
    '/departments',
    { config: { access: { module: 'org', action: 'create' } }, schema: { tags, body: createDepartmentBody } },
    async (request, reply) => reply.code(201).send(await departments.createDepartment(db, request.body, callerOf(request))),
  );

  app.patch(
    '/departments/:id',
    { config: { access: { module: 'org', action: 'edit' } }, schema: { tags, params, body: updateDepartmentBody } },
    (request) => departments.updateDepartment(db, request.params.id, request.body, callerOf(request)),
  );

  app.delete(
    '/departments/:id',
    { config: { access: { module: 'org', action: 'delete' } }, schema: { tags, params, querystring: deleteQuery } },
    async (request, reply) => {
      await departments.deleteDepartment(db, request.params.id, request.query.version, callerOf(request));
      return reply.code(204).send();
    },
  );
}
