import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idSchema } from '@common/schemas/fields';
import { createScheduleBody, overdueVisitsQuery, scheduleDoneBody, scheduleListQuery, updateScheduleBody } from '@common/schemas/followups';
import { requireAuth } from '@server/platform/access/check';
import { actorOf } from '@server/platform/audit/audit.service';
import { registerHistory } from '@server/platform/audit/audit.routes';
import * as schedules from './schedules.service';
import { overdueVisits, OVERDUE_JOB, remindOverdueVisits } from './visit-cycle';

const params = z.object({ id: idSchema });
const deleteQuery = z.object({ version: z.coerce.number().int().min(1).optional() });

/**
 * /schedules (日程): the calendar of mine / my team / one user, a customer's or lead's schedules,
 * create, edit, done, delete; the reminder job. Also the visit cycle (拜访周期): overdue customers
 * per owner and the daily reminder job.
 */
export async function schedulesRoutes(root: FastifyInstance) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db, jobs } = root.ctx;
  const tags = ['schedules'];

  registerHistory('schedule', (request, id) => schedules.scheduleHistoryVisible(db, requireAuth(request), id));

  jobs.registerJob(schedules.REMINDER_JOB, async (_payload, job) => {
    await schedules.sendScheduleReminders({ db: job.db, realtime: root.ctx.realtime }, job.now);
  });
  jobs.registerSchedule(schedules.REMINDER_JOB, '* * * * *', schedules.REMINDER_JOB);

  jobs.registerJob(OVERDUE_JOB, async (_payload, job) => {
    await remindOverdueVisits({ db: job.db, realtime: root.ctx.realtime }, job.now);
  });
  // 09:00 company time, as the working day starts
  jobs.registerSchedule(OVERDUE_JOB, '0 9 * * *', OVERDUE_JOB);

  app.get(
    '/schedules',
    { config: { access: { module: 'followups', action: 'view' } }, schema: { tags, querystring: scheduleListQuery } },
    (request) => schedules.listSchedules(db, requireAuth(request), request.query),
  );

  app.get('/schedules/:id', { config: { access: { module: 'followups', action: 'view' } }, schema: { tags, params } }, (request) =>
    schedules.getSchedule(db, requireAuth(request), request.params.id),
  );

  app.post(
    '/schedules',
    { config: { access: { module: 'followups', action: 'create' } }, schema: { tags, body: createScheduleBody } },
    async (request, reply) =>
      reply.code(201).send(await schedules.createSchedule(db, requireAuth(request), actorOf(request), request.body)),
  );

  app.patch(
    '/schedules/:id',
    { config: { access: { module: 'followups', action: 'edit' } }, schema: { tags, params, body: updateScheduleBody } },
    (request) => schedules.updateSchedule(db, requireAuth(request), actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/schedules/:id/done',
    { config: { access: { module: 'followups', action: 'edit' } }, schema: { tags, params, body: scheduleDoneBody } },
    (request) =>
      schedules.setScheduleDone(db, requireAuth(request), actorOf(request), request.params.id, request.body.done, request.body.version),
  );

  app.delete(
    '/schedules/:id',
    { config: { access: { module: 'followups', action: 'delete' } }, schema: { tags, params, querystring: deleteQuery } },
    async (request, reply) => {
      await schedules.deleteSchedule(db, requireAuth(request), actorOf(request), request.params.id, request.query.version);
      return reply.code(204).send();
    },
  );

  app.get(
    '/customers/overdue-visits',
    { config: { access: { module: 'customers', action: 'view' } }, schema: { tags: ['customers'], querystring: overdueVisitsQuery } },
    (request) => overdueVisits(db, requireAuth(request), request.query),
  );
}
