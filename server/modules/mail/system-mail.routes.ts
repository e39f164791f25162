import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { systemMailBody } from '@common/schemas/mail';
import { requireAuth } from '@server/platform/access/check';
import { actorOf } from '@server/platform/audit/audit.service';
import { requestLocale } from '@server/platform/http/locale';
import { installMailNotifyChannel } from './notify-mail';
import { getSystemMail, putSystemMail, sendTestMail } from './system-mail.service';

/** /system/mail: the system account (admins); its notice channel. Invitations and resets: user-links.routes.ts. */
export async function systemMailRoutes(root: FastifyInstance) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { ctx } = root;
  const tags = ['system'];
  installMailNotifyChannel(ctx);

  app.get('/system/mail', { config: { access: 'admin' }, schema: { tags } }, () => getSystemMail(ctx.db));

  app.put('/system/mail', { config: { access: 'admin' }, schema: { tags, body: systemMailBody } }, (request) =>
    putSystemMail(ctx, actorOf(request), request.body),
  );

  // a test mail to the admin's own address with the stored settings (before enabling too)
  app.post('/system/mail/test', { config: { access: 'admin' }, schema: { tags } }, (request) =>
    sendTestMail(ctx, requireAuth(request), requestLocale(request)),
  );
}
