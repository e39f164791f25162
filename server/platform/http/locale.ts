import type { FastifyRequest } from 'fastify';
import { pickLocale, type Locale } from '@common/messages/index';

/** The caller's language: the signed-in user's preference, else Accept-Language, else zh-CN. */
export function requestLocale(request: FastifyRequest): Locale {
  return pickLocale(request.auth?.user.locale, request.headers['accept-language']);
}
