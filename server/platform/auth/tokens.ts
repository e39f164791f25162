import { createHash, randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'xt_session';
export const API_TOKEN_PREFIX = 'xt_';

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** A fresh random secret, url-safe. Only its sha256 is stored. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
