import type { FastifyInstance } from 'fastify';

/** Placeholder until this part of the customer module lands. */
export async function qualityRoutes(_app: FastifyInstance) {}
