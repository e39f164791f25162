import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams } from '@common/schemas/platform';
import { createMailAccountBody, MAIL_PRESETS, updateMailAccountBody } from '@common/schemas/mail';
import { requireAuth } from '@server/platform/access/check';
import { actorOf } from '@server/platform/audit/audit.service';
import { requestLocale } from '@server/platform/http/locale';
import * as accounts from './accounts.service';
import { fetchNow } from './fetch.service';
import { fetchContextOf, registerFetchJobs } from './fetch.job';

const deleteQuery = z.object({ version: z.coerce.number().int().min(1).optional() });

/**
 * /mail/accounts: the caller's own mail accounts (anyone else's answer 404) — CRUD, presets,
 * test connection (saved or unsaved), receive now; plus the scheduled fetch job.
 */
export async function accountsRoutes(root: FastifyInstance) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db, secrets } = root.ctx;
  const tags = ['mail'];
  const user = { access: 'user' } as const;
  // a test connects to any host the caller names: bounded, so it cannot serve as a port scanner;
  // counted after validation (preHandler), so only well-formed attempts use up the allowance
  const testing = { access: 'user', rateLimit: { max: 30, timeWindow: '1 minute', hook: 'preHandler' } } as const;

  registerFetchJobs(root.ctx);

  app.get('/mail/presets', { config: user, schema: { tags } }, async () => ({ items: MAIL_PRESETS }));

  app.get('/mail/accounts', { config: user, schema: { tags } }, (request) => accounts.listAccounts(db, requireAuth(request)));

  app.post('/mail/accounts', { config: user, schema: { tags, body: createMailAccountBody } }, async (request, reply) =>
    reply.code(201).send(await accounts.createAccount({ db, secrets }, requireAuth(request), actorOf(request), request.body)),
  );

  // test an unsaved account (the form before saving); static path wins over /:id
  app.post('/mail/accounts/test', { config: testing, schema: { tags, body: createMailAccountBody } }, (request) =>
    accounts.testUnsaved(secrets, request.body, requestLocale(request)),
  );

  app.get('/mail/accounts/:id', { config: user, schema: { tags, params: idParams } }, (request) =>
    accounts.getAccount(db, requireAuth(request), request.params.id),
  );

  app.patch('/mail/accounts/:id', { config: user, schema: { tags, params: idParams, body: updateMailAccountBody } }, (request) =>
    accounts.updateAccount({ db, secrets }, requireAuth(request), actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/mail/accounts/:id',
    { config: user, schema: { tags, params: idParams, querystring: deleteQuery } },
    async (request, reply) => {
      await accounts.deleteAccount(db, requireAuth(request), actorOf(request), request.params.id, request.query.version);
      return reply.code(204).send();
    },
  );

  app.post('/mail/accounts/:id/test', { config: testing, schema: { tags, params: idParams } }, (request) =>
    accounts.testStored({ db, secrets }, requireAuth(request), request.params.id, requestLocale(request)),
  );

  // receive now: answers when the run has finished
  app.post('/mail/accounts/:id/fetch', { config: user, schema: { tags, params: idParams } }, (request) =>
    fetchNow(fetchContextOf(root.ctx), requireAuth(request), actorOf(request), request.params.id),
  );
}
