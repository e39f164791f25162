import type { FastifyInstance } from 'fastify';
import { flowsRoutes } from './flows.routes';
import { approvalPositionsRoutes } from './positions.routes';
import { formsRoutes } from './forms.routes';
import { instancesRoutes } from './instances.routes';

/** 流程管理: flow designer API, approval positions, custom forms, the approval centre. One registration point for app.ts. */
export async function approvalsModule(app: FastifyInstance) {
  await app.register(flowsRoutes);
  await app.register(approvalPositionsRoutes);
  await app.register(formsRoutes);
  await app.register(instancesRoutes);
}
