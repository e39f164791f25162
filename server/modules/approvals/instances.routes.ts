import type { FastifyInstance } from 'fastify';

/** /approvals: the approval centre and the runtime actions */
export async function instancesRoutes(_root: FastifyInstance) {}
