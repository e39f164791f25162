import type { Db, Dialect } from '@server/db/types';
import type { Config } from '@server/config';
import type { JobService } from '../jobs/jobs.service';
import type { RealtimeHub } from '../realtime/realtime.hub';

/** Process-wide services handed to every module (decorated on the app as `app.ctx`). */
export type AppContext = {
  db: Db;
  dialect: Dialect;
  config: Config;
  /** encrypts/decrypts secrets at rest (mail passwords, integration secrets) */
  secrets: { encrypt(plain: string): string; decrypt(sealed: string): string };
  /** persisted job queue: registerJob, registerSchedule, enqueue */
  jobs: JobService;
  /** WebSocket hub: publish(userId, event), disconnectUser, disconnectSession */
  realtime: RealtimeHub;
};

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
}
