import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { patchCompanyBody, type CompanySettingsDto } from '@common/schemas/platform';
import { actorOf, audit } from '../audit/audit.service';
import { forgetCompanyCache, getCompany, putSetting } from './settings.service';

/** Company settings: everyone reads them (name, time zone), the admin changes them. */
export async function settingsRoutes(root: FastifyInstance) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db, jobs } = root.ctx;
  const tags = ['settings'];

  app.get('/settings/company', { config: { access: 'user' }, schema: { tags } }, async (): Promise<CompanySettingsDto> => {
    const { name, timezone, recycleRetentionDays } = await getCompany(db);
    return { name, timezone, recycleRetentionDays };
  });

  app.patch('/settings/company', { config: { access: 'admin' }, schema: { tags, body: patchCompanyBody } }, async (request) => {
    const after = await db.transaction().execute(async (tx) => {
      const before = await getCompany(tx);
      const next = { ...before, ...request.body };
      await putSetting(tx, 'company', next);
      await audit(tx, actorOf(request), { action: 'update', entity: 'settings', entityId: 'company', before, after: next });
      // recurring jobs run at wall-clock times of the company's zone
      if (next.timezone !== before.timezone) await jobs.rescheduleAll(tx);
      return next;
    });
    // putSetting forgot the cache before commit; a reader may have cached the old value since
    forgetCompanyCache();
    return { name: after.name, timezone: after.timezone, recycleRetentionDays: after.recycleRetentionDays };
  });
}
