import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ERRORS, type ErrorCode, type FieldError, type Problem } from '@common/errors';
import { translate, type Locale, type Params } from '@common/messages/index';
import { requestLocale } from './locale';

type RawFieldError = { field: string; code: string; params?: Params };

/** A domain error with a stable code; mapped to problem+json in one place (the handler below). */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: Params = {},
    readonly fieldErrors: RawFieldError[] = [],
  ) {
    super(code);
  }
  get status(): number {
    return ERRORS[this.code];
  }
}

/** Bad input on one field: 400 naming the field. `code` is a `validation.*` message key suffix. */
export function fieldError(field: string, code: string, params: Params = {}): AppError {
  return new AppError('validation', {}, [{ field, code, params }]);
}

export const notFound = () => new AppError('not_found');
export const forbidden = () => new AppError('forbidden');

function localiseField(locale: Locale, e: RawFieldError): FieldError {
  const key = e.code.startsWith('validation.') ? e.code : `validation.${e.code}`;
  return { field: e.field, code: e.code.replace(/^validation\./, ''), message: translate(locale, key, { field: e.field, ...e.params }) };
}

const MESSAGE_PARAM = '@@';

/**
 * A parameter value made of message keys, localised when the problem is built: one key (公海 /
 * public pool) or a list joined the language's way (电话、重要程度 / Phones, Importance).
 */
export const messageParam = (...keys: string[]) => `${MESSAGE_PARAM}${keys.join(',')}`;

function localiseParams(locale: Locale, params: Params): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(params)) {
    out[k] =
      typeof v === 'string' && v.startsWith(MESSAGE_PARAM)
        ? v
            .slice(MESSAGE_PARAM.length)
            .split(',')
            .map((key) => translate(locale, key))
            .join(locale === 'zh-CN' ? '、' : ', ')
        : v;
  }
  return out;
}

function problem(locale: Locale, code: ErrorCode, rawParams: Params, errors?: RawFieldError[]): Problem {
  const params = localiseParams(locale, rawParams);
  const fieldErrors = errors?.map((e) => localiseField(locale, e));
  // a domain error that also names fields (customer_duplicate on `name`) keeps its own message
  const detail =
    code === 'validation' && fieldErrors?.length
      ? translate(locale, 'error.validation', { detail: fieldErrors.map((e) => e.message).join('；') })
      : translate(locale, `error.${code}`, params);
  return {
    type: `https://xietong.dev/problems/${code}`,
    title: translate(locale, `error.${code}`, { detail: '', ...params }).replace(/[:：]\s*$/, ''),
    status: ERRORS[code],
    detail,
    code,
    ...(fieldErrors?.length ? { errors: fieldErrors } : {}),
  };
}

/** The problem a domain error becomes in `locale`: for errors reported outside a request (a background import's rows). */
export function localisedProblem(locale: Locale, err: AppError): Problem {
  return problem(locale, err.code, err.params, err.fieldErrors);
}

export function sendProblem(reply: FastifyReply, locale: Locale, code: ErrorCode, params: Params = {}, errors?: RawFieldError[]) {
  const body = problem(locale, code, params, errors);
  return reply.code(body.status).type('application/problem+json').send(body);
}

type ZodIssueLike = { keyword: string; instancePath: string; message: string; params: Record<string, unknown> };

function zodToFieldErrors(context: string | undefined, issues: ZodIssueLike[]): RawFieldError[] {
  return issues.map((i) => {
    const pathPart = i.instancePath.replace(/^\//, '').replaceAll('/', '.');
    const field = context && context !== 'body' ? [context, pathPart].filter(Boolean).join('.') : pathPart || 'body';
    if (i.message.startsWith('validation.')) return { field, code: i.message };
    switch (i.keyword) {
      case 'invalid_type':
        return { field, code: i.params.input === undefined ? 'required' : 'invalid_type' };
      case 'too_small':
        return { field, code: 'too_small', params: { min: String(i.params.minimum ?? '') } };
      case 'too_big':
        return { field, code: 'too_big', params: { max: String(i.params.maximum ?? '') } };
      case 'unrecognized_keys': {
        const keys = (i.params.keys as string[] | undefined) ?? [];
        return {
          field: [field === 'body' ? '' : field, keys[0]].filter(Boolean).join('.') || field,
          code: 'unrecognized_keys',
          params: { keys: keys.join(', ') },
        };
      }
      case 'invalid_format':
      case 'invalid_value':
        return { field, code: i.keyword };
      default:
        return { field, code: 'invalid' };
    }
  });
}

/** The one error handler: every failure leaves as problem+json, in the caller's language, without a stack. */
export function installErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError & { validationContext?: string }, request: FastifyRequest, reply: FastifyReply) => {
    const locale = requestLocale(request);
    if (err instanceof AppError) return sendProblem(reply, locale, err.code, err.params, err.fieldErrors);
    if (hasZodFastifySchemaValidationErrors(err)) {
      return sendProblem(
        reply,
        locale,
        'validation',
        {},
        zodToFieldErrors(err.validationContext, err.validation as unknown as ZodIssueLike[]),
      );
    }
    switch (err.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return sendProblem(reply, locale, 'bad_json');
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendProblem(reply, locale, 'body_too_large');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return sendProblem(reply, locale, 'validation', {}, [{ field: 'content-type', code: 'invalid' }]);
    }
    if (err.statusCode === 429) return sendProblem(reply, locale, 'rate_limited');
    if (err instanceof SyntaxError) return sendProblem(reply, locale, 'bad_json');
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return sendProblem(reply, locale, 'validation', {}, [{ field: 'request', code: 'invalid' }]);
    }
    request.log.error({ err }, 'unhandled error');
    return sendProblem(reply, locale, 'internal');
  });

  app.setNotFoundHandler((request, reply) => sendProblem(reply, requestLocale(request), 'not_found'));
}
