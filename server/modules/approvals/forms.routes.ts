import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formBody, submitFormBody, updateFormBody } from '@common/schemas/approvals';
import { updateFormEntryBody } from '@common/approvals/forms';
import { idParams } from '@common/schemas/platform';
import { requireAuth } from '@server/platform/access/check';
import { actorOf } from '@server/platform/audit/audit.service';
import { registerFileAccess } from '@server/platform/files/files.service';
import { createForm, deleteForm, FORM_ENTRY_FILE_ENTITY, getFormFor, listAvailableForms, listForms, updateForm } from './forms.service';
import { entryReadable, getEntry, submitForm, updateEntry } from './form-entries.service';

const deleteQuery = z.object({ version: z.coerce.number().int().min(1).optional() });

/** /approval-forms (custom forms), their submission, and /approval-form-entries */
export async function formsRoutes(root: FastifyInstance) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db, realtime } = root.ctx;
  const tags = ['approvals'];

  // an entry's attachments: for whoever may see the entry
  registerFileAccess(FORM_ENTRY_FILE_ENTITY, (request, id) => entryReadable(db, requireAuth(request), id));

  app.get('/approval-forms', { config: { access: { module: 'workflow', action: 'view' } }, schema: { tags } }, async () => ({
    items: await listForms(db),
  }));

  app.get('/approval-forms/available', { config: { access: 'user' }, schema: { tags } }, async () => ({
    items: await listAvailableForms(db),
  }));

  app.get('/approval-forms/:id', { config: { access: 'user' }, schema: { tags, params: idParams } }, (request) =>
    getFormFor(db, requireAuth(request), request.params.id),
  );

  app.post(
    '/approval-forms',
    { config: { access: { module: 'workflow', action: 'create' } }, schema: { tags, body: formBody } },
    async (request, reply) => reply.code(201).send(await createForm(db, request.body, actorOf(request))),
  );

  app.patch(
    '/approval-forms/:id',
    { config: { access: { module: 'workflow', action: 'edit' } }, schema: { tags, params: idParams, body: updateFormBody } },
    (request) => updateForm(db, request.params.id, request.body, actorOf(request)),
  );

  app.delete(
    '/approval-forms/:id',
    { config: { access: { module: 'workflow', action: 'delete' } }, schema: { tags, params: idParams, querystring: deleteQuery } },
    async (request, reply) => {
      await deleteForm(db, request.params.id, request.query.version, actorOf(request));
      return reply.code(204).send();
    },
  );

  app.post(
    '/approval-forms/:id/submit',
    { config: { access: 'user' }, schema: { tags, params: idParams, body: submitFormBody } },
    async (request, reply) =>
      reply.code(201).send(await submitForm({ db, realtime }, requireAuth(request), actorOf(request), request.params.id, request.body)),
  );

  app.get('/approval-form-entries/:id', { config: { access: 'user' }, schema: { tags, params: idParams } }, (request) =>
    getEntry(db, requireAuth(request), request.params.id),
  );

  app.patch(
    '/approval-form-entries/:id',
    { config: { access: 'user' }, schema: { tags, params: idParams, body: updateFormEntryBody } },
    (request) => updateEntry(db, requireAuth(request), actorOf(request), request.params.id, request.body),
  );
}
