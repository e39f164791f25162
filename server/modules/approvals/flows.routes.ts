import type { FastifyInstance } from 'fastify';

/** /approval-flows and /approval-types */
export async function flowsRoutes(_root: FastifyInstance) {}
