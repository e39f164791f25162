import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { idParams, notificationsQuery } from '@common/schemas/platform';
import { requireAuth } from '../access/check';
import { AppError } from '../http/errors';
import { listNotifications, markAllRead, markRead, unreadCount } from './notify.service';

/**
 * The signed-in user's notification centre. Only one's own notifications exist here: another
 * user's id answers 404. Marking read is personal state, not a business change, so it is not
 * audited; the other tabs learn of it through `notifications_read`.
 */
export async function notifyRoutes(root: FastifyInstance) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db, realtime } = root.ctx;
  const tags = ['notifications'];

  app.get('/notifications', { config: { access: 'user' }, schema: { tags, querystring: notificationsQuery } }, (request) =>
    listNotifications(db, requireAuth(request).user.id, request.query),
  );

  app.post('/notifications/:id/read', { config: { access: 'user' }, schema: { tags, params: idParams } }, async (request) => {
    const userId = requireAuth(request).user.id;
    const item = await markRead(db, userId, request.params.id);
    if (!item) throw new AppError('not_found');
    const unread = await unreadCount(db, userId);
    await realtime.publish(userId, { type: 'notifications_read', data: { ids: [item.id], unread } });
    return { ...item, unread };
  });

  app.post('/notifications/read-all', { config: { access: 'user' }, schema: { tags } }, async (request) => {
    const userId = requireAuth(request).user.id;
    const updated = await markAllRead(db, userId);
    // one may have arrived meanwhile
    const unread = await unreadCount(db, userId);
    await realtime.publish(userId, { type: 'notifications_read', data: { all: true, unread } });
    return { updated, unread };
  });
}
