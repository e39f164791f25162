import type { FastifyInstance } from 'fastify';

/** /approval-forms (custom forms) and their submission */
export async function formsRoutes(_root: FastifyInstance) {}
