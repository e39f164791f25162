import { z } from 'zod';
import path from 'node:path';

const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8088),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().optional(),
  SECRET_KEY: z.string().optional(),
  REDIS_URL: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Public origin, e.g. https://crm.example.com; used for CSRF origin checks behind a proxy. */
  PUBLIC_URL: z.string().url().optional(),
  TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  JOBS: z.enum(['on', 'off']).default('on'),
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(30),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  secretKey?: string;
  redisUrl?: string;
  logLevel: string;
  publicUrl?: string;
  trustProxy: boolean;
  jobs: boolean;
  /** Login attempts allowed per IP per minute. */
  loginRateLimit: number;
};

/** Reads the environment into a typed config; throws a readable error on bad values. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL || undefined,
    secretKey: e.SECRET_KEY || undefined,
    redisUrl: e.REDIS_URL || undefined,
    logLevel: e.LOG_LEVEL,
    publicUrl: e.PUBLIC_URL,
    trustProxy: e.TRUST_PROXY === 'true',
    jobs: e.JOBS === 'on',
    loginRateLimit: e.LOGIN_RATE_LIMIT,
    ...overrides,
  };
}
