import type { Action, Capabilities } from '@common/permissions';

/**
 * Every route declares exactly one rule in `config.access`; a route without one is refused
 * (and a test walks the route table to catch it).
 * - 'public': no sign-in; 'user': any signed-in user; 'admin': the admin flag;
 * - { module, action }: the position's functional permission (admins pass, audited as a bypass).
 */
export type AccessRule = 'public' | 'user' | 'admin' | { module: string; action: Action };

export type AuthUser = {
  id: string;
  username: string;
  name: string;
  email: string | null;
  departmentId: string | null;
  positionId: string | null;
  supervisorId: string | null;
  isAdmin: boolean;
  mustChangePassword: boolean;
  locale: string | null;
};

export type Auth = {
  user: AuthUser;
  caps: Capabilities;
  via: 'cookie' | 'token';
  sessionId?: string;
  tokenId?: string;
  /** set when an admin passed a check only because of the admin flag */
  adminBypass?: boolean;
};

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: AccessRule;
    /** reachable while the user must still change the password (me, change password, logout) */
    allowPendingPasswordChange?: boolean;
  }
  interface FastifyRequest {
    auth?: Auth;
  }
}
