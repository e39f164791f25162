import type { FastifyInstance } from 'fastify';
import { requireAuth } from '../access/check';

/**
 * GET /api/v1/realtime: the signed-in user's event stream. The access hook authenticates the
 * cookie (or Bearer token) before the upgrade, so an anonymous handshake gets a 401 and no socket.
 */
export async function realtimeRoutes(app: FastifyInstance) {
  const { realtime } = app.ctx;
  app.get('/realtime', { websocket: true, config: { access: 'user' }, schema: { tags: ['realtime'] } }, (socket, request) => {
    const auth = requireAuth(request);
    realtime.add(socket, { userId: auth.user.id, sessionId: auth.sessionId });
  });
}
