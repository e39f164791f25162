import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idSchema } from '@common/schemas/fields';
import {
  createUserBody,
  handoverBody,
  resetPasswordBody,
  updateUserBody,
  userListQuery,
  userOptionsQuery,
  userStatusBody,
} from '@common/schemas/org';
import { callerOf } from './caller';
import { handoverSummary, runHandover } from './handover';
import * as users from './users.service';

const params = z.object({ id: idSchema });

/** /users: users (操作员), their password reset, status (active/disabled/left) and handover (离职交接). */
export async function usersRoutes(root: FastifyInstance) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db, realtime } = root.ctx;
  const tags = ['org'];

  app.get('/users', { config: { access: { module: 'org', action: 'view' } }, schema: { tags, querystring: userListQuery } }, (request) =>
    users.listUsers(db, request.query, callerOf(request)),
  );

  // for pickers anywhere in the app (owner, approver, …): any signed-in user, active users only
  app.get('/users/options', { config: { access: 'user' }, schema: { tags, querystring: userOptionsQuery } }, async (request) => ({
    items: await users.userOptions(db, request.query.q, request.query.limit, request.query.all === 'true'),
  }));

  app.get('/users/:id', { config: { access: { module: 'org', action: 'view' } }, schema: { tags, params } }, (request) =>
    users.getUser(db, request.params.id, callerOf(request)),
  );

  app.post(
    '/users',
    { config: { access: { module: 'org', action: 'create' } }, schema: { tags, body: createUserBody } },
    async (request, reply) => reply.code(201).send(await users.createUser(db, request.body, callerOf(request))),
  );

  app.patch(
    '/users/:id',
    { config: { access: { module: 'org', action: 'edit' } }, schema: { tags, params, body: updateUserBody } },
    (request) => users.updateUser(db, request.params.id, request.body, callerOf(request)),
  );

  app.post(
    '/users/:id/reset-password',
    { config: { access: { module: 'org', action: 'edit' } }, schema: { tags, params, body: resetPasswordBody } },
    async (request) => {
      await users.resetPassword(db, request.params.id, request.body.password, callerOf(request));
      await realtime.disconnectUser(request.params.id); // their open tabs learn the session ended
      return { ok: true };
    },
  );

  app.post(
    '/users/:id/status',
    { config: { access: { module: 'org', action: 'edit' } }, schema: { tags, params, body: userStatusBody } },
    async (request) => {
      const user = await users.setUserStatus(db, request.params.id, request.body.status, callerOf(request));
      if (user.status !== 'active') await realtime.disconnectUser(user.id);
      return user;
    },
  );

  app.get('/users/:id/handover', { config: { access: { module: 'org', action: 'view' } }, schema: { tags, params } }, async (request) => {
    await users.getUser(db, request.params.id, callerOf(request)); // 404 for an unknown user
    return { items: await handoverSummary(db, request.params.id) };
  });

  app.post(
    '/users/:id/handover',
    { config: { access: { module: 'org', action: 'edit' } }, schema: { tags, params, body: handoverBody } },
    async (request) => ({
      items: await runHandover(db, request.params.id, request.body.toUserId, request.body.entities, callerOf(request)),
    }),
  );
}
