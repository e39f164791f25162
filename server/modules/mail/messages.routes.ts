import type { FastifyInstance } from 'fastify';

/** /mail/messages: list, search, read, flags, attachments */
export async function messagesRoutes(_root: FastifyInstance) {}
