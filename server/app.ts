import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyInstance, type FastifyPluginAsync, type RouteOptions } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import websocket from '@fastify/websocket';
import fastifyStatic from '@fastify/static';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from './config';
import { openDatabase, migrateToLatest, type Database } from './db/index';
import { installErrorHandler, sendProblem } from './platform/http/errors';
import { installSecurityHeaders } from './platform/http/security-headers';
import { requestLocale } from './platform/http/locale';
import { installAuthentication } from './platform/auth/authenticate';
import { createSecrets, loadSecretKey } from './platform/secrets/secrets';
import { healthRoutes } from './platform/http/health.routes';
import { authRoutes } from './platform/auth/auth.routes';
import { auditRoutes } from './platform/audit/audit.routes';
import { orgRoutes } from './platform/org/org.routes';
import { createJobService } from './platform/jobs/jobs.service';
import { notifyJobFailure } from './platform/jobs/failure-notice';
import { jobsRoutes } from './platform/jobs/jobs.routes';
import { createRealtimeHub } from './platform/realtime/realtime.hub';
import { realtimeRoutes } from './platform/realtime/realtime.routes';
import { notifyRoutes } from './platform/notify/notify.routes';
import { recycleRoutes } from './platform/recycle/recycle.routes';
import { settingsRoutes } from './platform/settings/settings.routes';
import { fieldsRoutes } from './platform/fields/fields.routes';
import { viewsRoutes } from './platform/views/views.routes';
import { filesRoutes } from './platform/files/files.routes';
import { MAX_FILE_BYTES } from '@common/schemas/files';
import { customersModule } from './modules/customers/customers.module';
import { approvalsModule } from './modules/approvals/approvals.module';
import { mailModule } from './modules/mail/mail.module';

export type BuildOptions = {
  /** an already opened database (tests); otherwise opened from config */
  database?: Database;
  /** run migrations before serving (default true) */
  migrate?: boolean;
  /** serve the built web app from dist/web when present (default true) */
  web?: boolean;
  /** tests only: extra plugins registered under /api/v1 after every module (fixture routes) */
  plugins?: FastifyPluginAsync[];
  /** tests only: sees every route as it is registered (the route-table walk) */
  onRoute?: (route: RouteOptions) => void;
};

// the built web app: beside the bundled server (dist/server -> dist/web) or from the sources (server -> dist/web)
const webRoot = ['../web', '../dist/web']
  .map((p) => fileURLToPath(new URL(p, import.meta.url)))
  .find((dir) => fs.existsSync(path.join(dir, 'index.html')) && fs.existsSync(path.join(dir, 'assets')));

/** Marks every route registered in this plugin context as public (third-party plugins: static files, docs). */
function publicRoutes(app: FastifyInstance) {
  app.addHook('onRoute', (route) => {
    route.config = { ...(route.config as object), access: 'public' };
  });
}

/** Builds the whole application: platform plugins first, then every module's routes. */
export async function buildApp(config: Config, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const database = opts.database ?? openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  if (opts.migrate !== false) await migrateToLatest(database.db);

  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: [
        'req.headers.cookie',
        'req.headers.authorization',
        'res.headers["set-cookie"]',
        '*.password',
        '*.newPassword',
        '*.currentPassword',
      ],
    },
    bodyLimit: 1024 * 1024,
    trustProxy: config.trustProxy,
    // per-request lines only when debugging: at 10k requests/s they would be most of the work
    logController: new LogController({ disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace' }),
    ajv: { customOptions: { removeAdditional: false } },
    // the router's own refusals (bad URL encoding, over-long path parameters) also leave as problem+json
    frameworkErrors: (err, request, reply) => {
      const field = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'params' : 'url';
      void sendProblem(reply, requestLocale(request), 'validation', {}, [
        { field, code: field === 'params' ? 'too_big' : 'invalid', params: { max: 100 } },
      ]);
    },
  });
  if (opts.onRoute) app.addHook('onRoute', opts.onRoute);
  app.decorate('ctx', {
    db: database.db,
    dialect: database.dialect,
    config,
    secrets: createSecrets(loadSecretKey(config.dataDir, config.secretKey)),
    jobs: createJobService({ db: database.db, dialect: database.dialect, log: app.log, onFailed: (job) => notifyJobFailure(app.ctx, job) }),
    realtime: createRealtimeHub({ db: database.db, redisUrl: config.redisUrl, log: app.log }),
  });
  // every module has registered its job handlers by then
  if (config.jobs) app.addHook('onReady', async () => app.ctx.jobs.start());
  app.addHook('onClose', async () => {
    await app.ctx.jobs.stop();
    await app.ctx.realtime.close();
    if (!opts.database) await database.close();
  });

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);

  installSecurityHeaders(app);
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  // uploads (POST /files) only: other routes keep their JSON bodies
  await app.register(multipart, {
    limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 20, fieldSize: 64 * 1024, parts: 30, headerPairs: 100 },
  });
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Xietong CRM API', version: '1' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(async (docs) => {
    publicRoutes(docs);
    await docs.register(swaggerUi, {
      routePrefix: '/api/docs',
      staticCSP: true,
      // swagger-ui sets one inline style; plain http on the LAN must not be upgraded (see above)
      transformStaticCSP: (header) =>
        header.replace(/\s*upgrade-insecure-requests;?/, '').replace("style-src 'self' https:", "style-src 'self' https: 'unsafe-inline'"),
    });
  });
  app.get('/api/v1/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());

  installAuthentication(app);

  await app.register(
    async (api) => {
      await api.register(healthRoutes);
      await api.register(authRoutes);
      await api.register(auditRoutes);
      await api.register(orgRoutes);
      await api.register(jobsRoutes);
      await api.register(realtimeRoutes);
      await api.register(notifyRoutes);
      await api.register(recycleRoutes);
      await api.register(settingsRoutes);
      await api.register(fieldsRoutes);
      await api.register(viewsRoutes);
      await api.register(filesRoutes);
      await api.register(customersModule);
      await api.register(approvalsModule);
      await api.register(mailModule);
      for (const plugin of opts.plugins ?? []) await api.register(plugin);
    },
    { prefix: '/api/v1' },
  );

  if (opts.web !== false && webRoot) {
    await app.register(async (web) => {
      publicRoutes(web);
      await web.register(fastifyStatic, { root: webRoot, wildcard: false, index: false });
      // every page has its own URL: unknown non-API paths get the single-page app
      web.get('/*', (request, reply) => {
        if (request.url.startsWith('/api/')) return sendProblem(reply, requestLocale(request), 'not_found');
        return reply.header('cache-control', 'no-cache').sendFile('index.html');
      });
    });
  }
  return app;
}
