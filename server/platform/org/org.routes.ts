import type { FastifyInstance } from 'fastify';
import { allows, requireAuth } from '../access/check';
import { registerHistory } from '../audit/audit.routes';
import { departmentsRoutes } from './departments.routes';
import { positionsRoutes } from './positions.routes';
import { usersRoutes } from './users.routes';

/** The organisation: departments, positions, users. One registration point for app.ts. */
export async function orgRoutes(app: FastifyInstance) {
  // a record's history is readable by whoever may view the organisation; users also see their own
  registerHistory('department', (request) => allows(requireAuth(request), 'org', 'view'));
  registerHistory('position', (request) => allows(requireAuth(request), 'org', 'view'));
  registerHistory('user', (request, id) => {
    const auth = requireAuth(request);
    return allows(auth, 'org', 'view') || auth.user.id === id;
  });
  await app.register(departmentsRoutes);
  await app.register(positionsRoutes);
  await app.register(usersRoutes);
}
