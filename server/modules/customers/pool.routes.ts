import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { idParams } from '@common/schemas/platform';
import { assignBody, bulkBody, releaseBody, transferBody, type BulkAction } from '@common/schemas/pool';
import type { Action } from '@common/permissions';
import { actorOf } from '@server/platform/audit/audit.service';
import { requireAuth, requirePermission } from '@server/platform/access/check';
import { withTx } from '@server/platform/org/caller';
import { requestLocale } from '@server/platform/http/locale';
import { assignCustomer, claimFromPool, ownerHistory, releaseToPool } from './pool.service';
import { transferForUser } from './transfer.service';
import { runBulk } from './bulk.service';
import { registerPoolRecycle } from './pool-recycle';

const BULK_PERMISSION: Record<BulkAction, Action> = {
  release: 'edit',
  tag: 'edit',
  untag: 'edit',
  delete: 'delete',
  transfer: 'transfer',
};

/**
 * 公海 and 归属: release, claim, assign, owner history, transfer (移交) and bulk actions on
 * customers; registers the daily recycle job.
 */
export async function poolRoutes(root: FastifyInstance) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db } = root.ctx;
  const tags = ['customers'];

  registerPoolRecycle(root.ctx);

  app.post(
    '/customers/:id/release',
    { config: { access: { module: 'customers', action: 'edit' } }, schema: { tags, params: idParams, body: releaseBody } },
    async (request) => {
      const auth = requireAuth(request);
      await withTx(db, (tx) => releaseToPool(tx, auth, request.params.id, actorOf(request), request.body.note));
      return { ok: true };
    },
  );

  // anyone who may enter customers may claim one from the pool
  app.post(
    '/customers/:id/claim',
    { config: { access: { module: 'customers', action: 'create' } }, schema: { tags, params: idParams } },
    async (request) => {
      await claimFromPool(db, requireAuth(request), request.params.id, actorOf(request));
      return { ok: true };
    },
  );

  app.post(
    '/customers/:id/assign',
    { config: { access: 'admin' }, schema: { tags, params: idParams, body: assignBody } },
    async (request) => {
      await assignCustomer(db, request.params.id, request.body.userId, actorOf(request), request.body.note);
      return { ok: true };
    },
  );

  app.get(
    '/customers/:id/owner-history',
    { config: { access: { module: 'customers', action: 'view' } }, schema: { tags, params: idParams } },
    async (request) => ({ items: await ownerHistory(db, requireAuth(request), request.params.id, requestLocale(request)) }),
  );

  // 200 TransferResult when it is done; 202 TransferSubmitted when an approval flow applies
  app.post(
    '/customers/transfer',
    { config: { access: { module: 'customers', action: 'transfer' } }, schema: { tags, body: transferBody } },
    async (request, reply) => {
      const result = await transferForUser(root.ctx, requireAuth(request), request.body, actorOf(request));
      return reply.code('requestId' in result ? 202 : 200).send(result);
    },
  );

  // each action needs its own right, checked here: release / tag edit, delete delete, transfer transfer
  app.post(
    '/customers/bulk',
    { config: { access: { module: 'customers', action: 'view' } }, schema: { tags, body: bulkBody } },
    async (request, reply) => {
      const auth = requirePermission(request, 'customers', BULK_PERMISSION[request.body.action]);
      const result = await runBulk(root.ctx, auth, request.body, actorOf(request), requestLocale(request), (err, id) =>
        request.log.error({ err, customerId: id }, 'bulk customer action failed'),
      );
      return reply.code('requestId' in result ? 202 : 200).send(result);
    },
  );
}
