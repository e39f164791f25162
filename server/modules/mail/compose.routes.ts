import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { idParams } from '@common/schemas/platform';
import { composeBody, updateDraftBody } from '@common/schemas/mail';
import { requireAuth } from '@server/platform/access/check';
import { actorOf } from '@server/platform/audit/audit.service';
import { requestLocale } from '@server/platform/http/locale';
import { createDraft, deleteDraft, sendMessage, updateDraft } from './compose.service';
import { installAppendSentJob } from './outgoing';

/** Sending (POST /mail/messages) and drafts, through the caller's own accounts only. */
export async function composeRoutes(root: FastifyInstance) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { ctx } = root;
  const tags = ['mail'];
  installAppendSentJob(ctx);

  // answers when SMTP has answered: 201 with the sent message, or 502 mail_send_failed (kept as a failed send)
  app.post('/mail/messages', { config: { access: 'user' }, schema: { tags, body: composeBody } }, async (request, reply) =>
    reply.code(201).send(await sendMessage(ctx, requireAuth(request), actorOf(request), request.body, requestLocale(request))),
  );

  app.post('/mail/drafts', { config: { access: 'user' }, schema: { tags, body: composeBody } }, async (request, reply) =>
    reply.code(201).send(await createDraft(ctx, requireAuth(request), actorOf(request), request.body)),
  );

  app.patch('/mail/drafts/:id', { config: { access: 'user' }, schema: { tags, params: idParams, body: updateDraftBody } }, (request) =>
    updateDraft(ctx, requireAuth(request), actorOf(request), request.params.id, request.body),
  );

  app.delete('/mail/drafts/:id', { config: { access: 'user' }, schema: { tags, params: idParams } }, async (request, reply) => {
    await deleteDraft(ctx, requireAuth(request), actorOf(request), request.params.id);
    return reply.code(204).send();
  });
}
