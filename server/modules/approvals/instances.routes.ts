import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idSchema } from '@common/schemas/fields';
import {
  addApproverBody,
  approveBody,
  instanceListQuery,
  rejectBody,
  resubmitBody,
  transferTaskBody,
  withdrawBody,
} from '@common/schemas/approvals';
import { requireAuth } from '@server/platform/access/check';
import { actorOf } from '@server/platform/audit/audit.service';
import { registerHistory } from '@server/platform/audit/audit.routes';
import { registerFileAccess } from '@server/platform/files/files.service';
import { requestLocale } from '@server/platform/http/locale';
import { registerOwnable } from '@server/platform/org/handover';
import { addApprover, approve, reject, resubmit, transfer, withdraw, type EngineContext } from './engine';
import { approvalTasksOwnable } from './engine-handover';
import { DEADLINES_JOB, runApprovalDeadlines } from './deadlines';
import { actOnApproval, approvalCounts, getApproval, listApprovals, mayViewInstance } from './instances.service';

const params = z.object({ id: idSchema });

/**
 * /approvals: the approval centre (待办 / 已办 / 我发起的 / 抄送我的, counts, the detail) and the
 * runtime actions. Any signed-in user; what they may see and do is decided per instance (404
 * outside). Also the every-minute job of time limits, who may read an instance's files and
 * history, and the 离职交接 of a leaver's approval tasks (here because it needs the realtime hub).
 */
export async function instancesRoutes(root: FastifyInstance) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db, jobs, realtime } = root.ctx;
  const ctx: EngineContext = { db, realtime };
  const tags = ['approvals'];

  const mayView = (request: FastifyRequest, id: string) => (request.auth ? mayViewInstance(db, request.auth, id) : Promise.resolve(false));
  registerFileAccess('approval', mayView);
  registerHistory('approval', mayView);
  registerOwnable(approvalTasksOwnable(ctx));

  jobs.registerJob(DEADLINES_JOB, async (_payload, job) => {
    await runApprovalDeadlines({ db: job.db, realtime }, job.now);
  });
  jobs.registerSchedule(DEADLINES_JOB, '* * * * *', DEADLINES_JOB);

  app.get('/approvals', { config: { access: 'user' }, schema: { tags, querystring: instanceListQuery } }, (request) =>
    listApprovals(db, requireAuth(request), request.query, requestLocale(request)),
  );

  app.get('/approvals/counts', { config: { access: 'user' }, schema: { tags } }, (request) => approvalCounts(db, requireAuth(request)));

  app.get('/approvals/:id', { config: { access: 'user' }, schema: { tags, params } }, (request) =>
    getApproval(db, requireAuth(request), request.params.id, requestLocale(request)),
  );

  const act =
    <B>(action: Parameters<typeof actOnApproval<B>>[4]) =>
    (request: FastifyRequest<{ Params: { id: string }; Body: B }>) =>
      // the body was parsed by the route's schema of that same action
      actOnApproval(ctx, requireAuth(request), actorOf(request), request.params.id, action, request.body as B, requestLocale(request));

  app.post('/approvals/:id/approve', { config: { access: 'user' }, schema: { tags, params, body: approveBody } }, act(approve));
  app.post('/approvals/:id/reject', { config: { access: 'user' }, schema: { tags, params, body: rejectBody } }, act(reject));
  app.post('/approvals/:id/withdraw', { config: { access: 'user' }, schema: { tags, params, body: withdrawBody } }, act(withdraw));
  app.post('/approvals/:id/transfer', { config: { access: 'user' }, schema: { tags, params, body: transferTaskBody } }, act(transfer));
  app.post(
    '/approvals/:id/add-approver',
    { config: { access: 'user' }, schema: { tags, params, body: addApproverBody } },
    act(addApprover),
  );
  app.post('/approvals/:id/resubmit', { config: { access: 'user' }, schema: { tags, params, body: resubmitBody } }, act(resubmit));
}
