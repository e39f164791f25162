import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { customerSettingsSchema } from '@common/schemas/customer-settings';
import { actorOf } from '@server/platform/audit/audit.service';
import { getCustomerSettings, putCustomerSettings } from './customer-settings.service';

/** /customer-settings: every user reads the lists (forms need them); the admin changes them. */
export async function customerSettingsRoutes(root: FastifyInstance) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db } = root.ctx;
  const tags = ['customers'];
  app.get('/customer-settings', { config: { access: 'user' }, schema: { tags } }, () => getCustomerSettings(db));
  app.put('/customer-settings', { config: { access: 'admin' }, schema: { tags, body: customerSettingsSchema } }, (request) =>
    putCustomerSettings(db, request.body, actorOf(request)),
  );
}
