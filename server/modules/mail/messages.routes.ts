import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams } from '@common/schemas/platform';
import { messageFlagsBody, messageListQuery } from '@common/schemas/mail';
import { requireAuth } from '@server/platform/access/check';
import { actorOf } from '@server/platform/audit/audit.service';
import { registerFileAccess } from '@server/platform/files/files.service';
import * as messages from './messages.service';
import { readableMessage, unreadByAccount } from './messages.repository';
import { MAIL_MESSAGE_ENTITY } from './store';
import { mailBodyCsp, mailBodyDocument } from './body-document';

const readQuery = z.object({ images: z.enum(['0', '1', 'true', 'false']).optional() });
// `unread=false` means all mail (a plain coercion would read any non-empty string as true)
const listQuery = messageListQuery.extend({
  unread: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true' || v === '1')),
});

/** GET /mail/unread-count */
export type MailUnreadCount = { count: number; byAccount: Record<string, number> };

/**
 * /mail/messages: the caller's own mailbox (list with search, read, flags, trash, delete), a
 * customer's mail for its timeline (?customerId=, within the reader's scope), unread counts. A
 * message's attachments and raw source are files readable by whoever may read the message.
 */
export async function messagesRoutes(root: FastifyInstance) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db, realtime } = root.ctx;
  const ctx = { db, realtime };
  const tags = ['mail'];
  const user = { access: 'user' } as const;

  registerFileAccess(MAIL_MESSAGE_ENTITY, async (request, id) => !!(await readableMessage(db, requireAuth(request), id)));

  app.get('/mail/messages', { config: user, schema: { tags, querystring: listQuery } }, (request) =>
    messages.listMessages(db, requireAuth(request), request.query),
  );

  app.get('/mail/unread-count', { config: user, schema: { tags } }, async (request): Promise<MailUnreadCount> => {
    const rows = await unreadByAccount(db, requireAuth(request).user.id);
    return { count: rows.reduce((n, r) => n + r.n, 0), byAccount: Object.fromEntries(rows.map((r) => [r.account_id, r.n])) };
  });

  app.get('/mail/messages/:id', { config: user, schema: { tags, params: idParams, querystring: readQuery } }, (request) =>
    messages.getMessage(ctx, requireAuth(request), request.params.id, request.query.images === '1' || request.query.images === 'true'),
  );

  // the body as a page of its own with its own CSP (the app's allows images only from 'self'): the read view's frame
  app.get(
    '/mail/messages/:id/body',
    { config: user, schema: { tags, params: idParams, querystring: readQuery } },
    async (request, reply) => {
      const images = request.query.images === '1' || request.query.images === 'true';
      const body = await messages.getMessageBody(db, requireAuth(request), request.params.id, images);
      return reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('content-security-policy', mailBodyCsp(images))
        .header('x-frame-options', 'SAMEORIGIN')
        .header('referrer-policy', 'no-referrer')
        .header('cache-control', 'private, no-store')
        .send(mailBodyDocument(body));
    },
  );

  app.patch('/mail/messages/:id', { config: user, schema: { tags, params: idParams, body: messageFlagsBody } }, (request) =>
    messages.updateFlags(ctx, requireAuth(request), actorOf(request), request.params.id, request.body),
  );

  app.delete('/mail/messages/:id', { config: user, schema: { tags, params: idParams } }, async (request, reply) => {
    await messages.deleteMessage(ctx, requireAuth(request), actorOf(request), request.params.id);
    return reply.code(204).send();
  });
}
