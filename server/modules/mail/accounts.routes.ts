import type { FastifyInstance } from 'fastify';

/** /mail/accounts: CRUD, presets, test connection, receive now */
export async function accountsRoutes(_root: FastifyInstance) {}
