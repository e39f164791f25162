import type { FastifyInstance } from 'fastify';

/** /mail/batches: group sending (群发) with progress */
export async function batchesRoutes(_root: FastifyInstance) {}
