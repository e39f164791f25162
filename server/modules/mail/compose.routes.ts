import type { FastifyInstance } from 'fastify';

/** sending (POST /mail/messages) and drafts */
export async function composeRoutes(_root: FastifyInstance) {}
