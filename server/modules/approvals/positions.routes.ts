import type { FastifyInstance } from 'fastify';

/** /approval-positions (审批职位) */
export async function approvalPositionsRoutes(_root: FastifyInstance) {}
