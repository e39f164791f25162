import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams } from '@common/schemas/platform';
import { forgotPasswordBody, setPasswordBody } from '@common/schemas/mail';
import { actorOf } from '@server/platform/audit/audit.service';
import { requestLocale } from '@server/platform/http/locale';
import { callerOf } from '@server/platform/org/caller';
import { describeLink, forgotPassword, installUserLinkJob, inviteUser, setPasswordWithLink } from './user-links.service';

const tokenParams = z.object({
  token: z
    .string()
    .min(20)
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/, 'validation.invalid_format'),
});

/** Invitations (admins / org editors) and the public password-reset pages' API. */
export async function userLinksRoutes(root: FastifyInstance) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { ctx } = root;
  const tags = ['auth'];
  // public and unauthenticated: throttled like sign-in
  const limited = { rateLimit: { max: ctx.config.loginRateLimit, timeWindow: '1 minute' } };
  installUserLinkJob(ctx);

  app.post(
    '/users/:id/invite',
    { config: { access: { module: 'org', action: 'edit' } }, schema: { tags: ['org'], params: idParams } },
    (request) => inviteUser(ctx, callerOf(request), request.params.id, requestLocale(request)),
  );

  // 202 whatever the address: whether it is known is never told
  app.post(
    '/auth/forgot-password',
    { config: { access: 'public', ...limited }, schema: { tags, body: forgotPasswordBody } },
    async (request, reply) => {
      await forgotPassword(ctx, request.body.email, actorOf(request));
      return reply.code(202).send({ ok: true });
    },
  );

  app.get('/auth/links/:token', { config: { access: 'public', ...limited }, schema: { tags, params: tokenParams } }, (request) =>
    describeLink(ctx.db, request.params.token),
  );

  app.post('/auth/set-password', { config: { access: 'public', ...limited }, schema: { tags, body: setPasswordBody } }, async (request) => {
    const { userId, username } = await setPasswordWithLink(ctx, request.body.token, request.body.password, actorOf(request));
    await ctx.realtime.disconnectUser(userId);
    return { ok: true, username };
  });
}
