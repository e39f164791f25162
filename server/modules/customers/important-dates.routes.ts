import type { FastifyInstance } from 'fastify';

/** Placeholder until this part of the customer module lands. */
export async function importantDatesRoutes(_app: FastifyInstance) {}
