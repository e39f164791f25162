import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { changePasswordBody, createApiTokenBody, loginBody, setupBody, updateMeBody, type MeResponse } from '@common/schemas/auth';
import { idSchema } from '@common/schemas/fields';
import { nowIso } from '@server/db/ids';
import { actorOf, audit } from '../audit/audit.service';
import { requireAuth } from '../access/check';
import { getCompanyCached } from '../settings/settings.service';
import * as auth from './auth.service';
import { REMEMBER_MS } from './sessions';
import { SESSION_COOKIE } from './tokens';

function setSessionCookie(request: FastifyRequest, reply: FastifyReply, s: auth.SessionInfo) {
  reply.setCookie(SESSION_COOKIE, s.token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
    path: '/',
    ...(s.remember ? { maxAge: REMEMBER_MS / 1000 } : {}),
  });
}

async function me(app: FastifyInstance, request: FastifyRequest): Promise<MeResponse> {
  const a = requireAuth(request);
  const company = await getCompanyCached(app.ctx.db);
  const u = a.user;
  return {
    user: {
      id: u.id,
      username: u.username,
      name: u.name,
      email: u.email,
      departmentId: u.departmentId,
      positionId: u.positionId,
      isAdmin: u.isAdmin,
      mustChangePassword: u.mustChangePassword,
      locale: u.locale,
    },
    capabilities: a.caps,
    company: { name: company.name, timezone: company.timezone },
  };
}

/** Set-up, sign-in, the signed-in user's own profile, sessions and API tokens. */
export async function authRoutes(root: FastifyInstance) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db, config } = root.ctx;
  const tags = ['auth'];

  app.get('/setup', { config: { access: 'public' }, schema: { tags } }, async () => ({ needed: !(await auth.isSetUp(db)) }));

  app.post('/setup', { config: { access: 'public' }, schema: { tags, body: setupBody } }, async (request, reply) => {
    const { userId } = await auth.setup(db, request.body, actorOf(request));
    setSessionCookie(request, reply, await auth.createSession(db, userId, false, request.ip, request.headers['user-agent'] ?? null));
    return reply.code(201).send({ ok: true });
  });

  app.post(
    '/auth/login',
    {
      config: { access: 'public', rateLimit: { max: config.loginRateLimit, timeWindow: '1 minute' } },
      schema: { tags, body: loginBody },
    },
    async (request, reply) => {
      const { username, password, remember } = request.body;
      const { userId } = await auth.login(db, username, password, actorOf(request));
      setSessionCookie(
        request,
        reply,
        await auth.createSession(db, userId, remember ?? false, request.ip, request.headers['user-agent'] ?? null),
      );
      return { ok: true };
    },
  );

  app.post('/auth/logout', { config: { access: 'user', allowPendingPasswordChange: true }, schema: { tags } }, async (request, reply) => {
    const a = requireAuth(request);
    if (a.sessionId) {
      await auth.logout(db, a.sessionId, actorOf(request));
      await root.ctx.realtime.disconnectSession(a.sessionId);
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  app.get('/me', { config: { access: 'user', allowPendingPasswordChange: true }, schema: { tags } }, (request) => me(root, request));

  app.patch('/me', { config: { access: 'user' }, schema: { tags, body: updateMeBody } }, async (request) => {
    const a = requireAuth(request);
    await db.transaction().execute(async (tx) => {
      const before = await tx.selectFrom('users').select(['name', 'locale']).where('id', '=', a.user.id).executeTakeFirstOrThrow();
      const patch = {
        ...(request.body.name ? { name: request.body.name } : {}),
        ...(request.body.locale ? { locale: request.body.locale } : {}),
      };
      if (!Object.keys(patch).length) return;
      await tx
        .updateTable('users')
        .set({ ...patch, updated_at: nowIso() })
        .where('id', '=', a.user.id)
        .execute();
      await audit(tx, actorOf(request), { action: 'update', entity: 'user', entityId: a.user.id, before, after: { ...before, ...patch } });
    });
    if (request.body.name) a.user.name = request.body.name;
    if (request.body.locale) a.user.locale = request.body.locale;
    return me(root, request);
  });

  app.post(
    '/me/password',
    { config: { access: 'user', allowPendingPasswordChange: true }, schema: { tags, body: changePasswordBody } },
    async (request) => {
      const a = requireAuth(request);
      await auth.changePassword(db, a.user.id, request.body.currentPassword, request.body.newPassword, a.sessionId, actorOf(request));
      return { ok: true };
    },
  );

  app.get('/me/sessions', { config: { access: 'user' }, schema: { tags } }, async (request) => {
    const a = requireAuth(request);
    const rows = await auth.listSessions(db, a.user.id);
    return {
      items: rows.map((r) => ({
        id: r.handle,
        ip: r.ip,
        userAgent: r.user_agent,
        createdAt: r.created_at,
        lastSeenAt: r.last_seen_at,
        expiresAt: r.expires_at,
        remember: r.remember === 1,
        current: r.id === a.sessionId,
      })),
      nextCursor: null,
    };
  });

  app.delete('/me/sessions/:id', { config: { access: 'user' }, schema: { tags, params: z.object({ id: idSchema }) } }, async (request) => {
    const sessionId = await auth.revokeSession(db, requireAuth(request).user.id, request.params.id, actorOf(request));
    await root.ctx.realtime.disconnectSession(sessionId);
    return { ok: true };
  });

  app.get('/api-tokens', { config: { access: 'user' }, schema: { tags } }, async (request) => ({
    items: await auth.listApiTokens(db, requireAuth(request).user.id),
    nextCursor: null,
  }));

  app.post('/api-tokens', { config: { access: 'user' }, schema: { tags, body: createApiTokenBody } }, async (request, reply) => {
    const created = await auth.createApiToken(
      db,
      requireAuth(request).user.id,
      request.body.name,
      request.body.expiresAt,
      actorOf(request),
    );
    return reply.code(201).send(created);
  });

  app.delete('/api-tokens/:id', { config: { access: 'user' }, schema: { tags, params: z.object({ id: idSchema }) } }, async (request) => {
    await auth.revokeApiToken(db, requireAuth(request).user.id, request.params.id, actorOf(request));
    return { ok: true };
  });
}
