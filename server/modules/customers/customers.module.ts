import type { FastifyInstance } from 'fastify';
import { customerSettingsRoutes } from './customer-settings.routes';
import { customersRoutes } from './customers.routes';
import { contactsRoutes } from './contacts.routes';
import { importantDatesRoutes } from './important-dates.routes';
import { leadsRoutes } from './leads.routes';
import { followUpsRoutes } from './follow-ups.routes';
import { schedulesRoutes } from './schedules.routes';
import { poolRoutes } from './pool.routes';
import { transferRequestsRoutes } from './transfer-requests.routes';
import { reportsRoutes } from './reports.routes';
import { qualityRoutes } from './quality.routes';
import { excelRoutes } from './excel.routes';

/** 客户管理: every route of the customer central database. One registration point for app.ts. */
export async function customersModule(app: FastifyInstance) {
  await app.register(customerSettingsRoutes);
  await app.register(customersRoutes);
  await app.register(contactsRoutes);
  await app.register(importantDatesRoutes);
  await app.register(leadsRoutes);
  await app.register(followUpsRoutes);
  await app.register(schedulesRoutes);
  await app.register(poolRoutes);
  await app.register(transferRequestsRoutes);
  await app.register(reportsRoutes);
  await app.register(qualityRoutes);
  await app.register(excelRoutes);
}
