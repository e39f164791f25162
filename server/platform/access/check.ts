import type { FastifyRequest } from 'fastify';
import type { Action } from '@common/permissions';
import { AppError } from '../http/errors';
import type { AccessRule, Auth } from './types';

/** True when the user's position grants `module.action` (admins always). */
export function allows(auth: Auth, module: string, action: Action): boolean {
  if (auth.user.isAdmin) return true;
  return auth.caps.permissions.modules[module]?.actions.includes(action) ?? false;
}

/** Throws 403 unless allowed; records an admin bypass so the audit entry can say so. */
export function requirePermission(request: FastifyRequest, module: string, action: Action): Auth {
  const auth = requireAuth(request);
  const granted = auth.caps.permissions.modules[module]?.actions.includes(action) ?? false;
  if (granted) return auth;
  if (auth.user.isAdmin) {
    auth.adminBypass = true;
    return auth;
  }
  throw new AppError('forbidden');
}

export function requireAuth(request: FastifyRequest): Auth {
  if (!request.auth) throw new AppError('unauthenticated');
  return request.auth;
}

/** Applies a route's declared rule; called once per request by the access hook. */
export function enforceRule(request: FastifyRequest, rule: AccessRule): void {
  if (rule === 'public') return;
  const auth = requireAuth(request);
  if (auth.user.mustChangePassword && !request.routeOptions.config.allowPendingPasswordChange) {
    throw new AppError('password_change_required');
  }
  if (rule === 'user') return;
  if (rule === 'admin') {
    if (!auth.user.isAdmin) throw new AppError('admin_required');
    return;
  }
  requirePermission(request, rule.module, rule.action);
}
