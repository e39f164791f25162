import type { FastifyInstance } from 'fastify';

/** /system/mail (the system account), invitations and password resets */
export async function systemMailRoutes(_root: FastifyInstance) {}
