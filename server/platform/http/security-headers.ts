import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

const policy = helmet({
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      // antd writes its CSS-in-JS into style elements
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'", 'ws:', 'wss:'],
      objectSrc: ["'none'"],
      frameAncestors: ["'self'"],
      // many installs are reached over plain http on the LAN (http://192.168.x.x:8088): never rewrite to https
      upgradeInsecureRequests: null,
    },
  },
});

/** helmet's headers, worked out once: they do not depend on the request (recomputing them cost ~15% of a /me). */
function computeHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = value),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  policy({} as never, res as never, () => undefined);
  return headers;
}

/** Security headers (CSP for the web app, nosniff, frame options, HSTS, …) on every response. */
export function installSecurityHeaders(app: FastifyInstance) {
  const headers = computeHeaders();
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
}
