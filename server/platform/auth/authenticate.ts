import type { FastifyInstance, FastifyRequest } from 'fastify';
import { nowIso } from '@server/db/ids';
import { AppError } from '../http/errors';
import { enforceRule } from '../access/check';
import { findApiToken, findSession, touchApiToken, touchSession } from './auth.repository';
import { API_TOKEN_PREFIX, SESSION_COOKIE, sha256 } from './tokens';
import { sessionExpiry } from './sessions';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** last_seen is written at most once a minute per session, so reads stay reads */
const TOUCH_AFTER_MS = 60_000;

function ownOrigin(request: FastifyRequest, publicUrl?: string): string {
  return publicUrl ? new URL(publicUrl).origin : `${request.protocol}://${request.host}`;
}

/**
 * One onRequest hook for every route: CSRF defence, who is calling (session cookie or Bearer
 * token), then the route's declared access rule. A route without a rule is refused.
 */
export function installAuthentication(app: FastifyInstance) {
  app.addHook('onRequest', async (request) => {
    const rule = request.routeOptions.config?.access;
    if (!request.routeOptions.url) return; // 404s go to the not-found handler
    const { db, config } = app.ctx;
    const header = request.headers.authorization;
    const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;

    if (!bearer && UNSAFE.has(request.method)) {
      const xrw = request.headers['x-requested-with'];
      const origin = request.headers.origin;
      if (xrw !== 'XMLHttpRequest' && origin !== ownOrigin(request, config.publicUrl)) throw new AppError('csrf');
    }

    const now = new Date();
    const nowS = nowIso(now);
    if (bearer) {
      if (!bearer.startsWith(API_TOKEN_PREFIX)) throw new AppError('unauthenticated');
      const row = await findApiToken(db, sha256(bearer), nowS);
      if (!row) throw new AppError('unauthenticated');
      if (!row.lastUsedAt || now.getTime() - Date.parse(row.lastUsedAt) > TOUCH_AFTER_MS) await touchApiToken(db, row.tokenId, nowS);
      request.auth = {
        user: row.user,
        caps: { isAdmin: row.user.isAdmin, permissions: row.permissions },
        via: 'token',
        tokenId: row.tokenId,
      };
    } else {
      const token = request.cookies[SESSION_COOKIE];
      if (token) {
        const id = sha256(token);
        const row = await findSession(db, id, nowS);
        if (row) {
          if (!row.lastUsedAt || now.getTime() - Date.parse(row.lastUsedAt) > TOUCH_AFTER_MS) {
            await touchSession(db, id, nowS, sessionExpiry(now, row.remember ?? false));
          }
          request.auth = {
            user: row.user,
            caps: { isAdmin: row.user.isAdmin, permissions: row.permissions },
            via: 'cookie',
            sessionId: id,
          };
        }
      }
    }
    if (!rule) throw new AppError('forbidden');
    enforceRule(request, rule);
  });
}
