import type { FastifyInstance } from 'fastify';
import { accountsRoutes } from './accounts.routes';
import { messagesRoutes } from './messages.routes';
import { composeRoutes } from './compose.routes';
import { batchesRoutes } from './batches.routes';
import { systemMailRoutes } from './system-mail.routes';
import { userLinksRoutes } from './user-links.routes';

/** 外部邮箱: accounts, fetching, the mailbox, sending and group sending, the system mail account. One registration point for app.ts. */
export async function mailModule(app: FastifyInstance) {
  await app.register(accountsRoutes);
  await app.register(messagesRoutes);
  await app.register(composeRoutes);
  await app.register(batchesRoutes);
  await app.register(systemMailRoutes);
  await app.register(userLinksRoutes);
}
