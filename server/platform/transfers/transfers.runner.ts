import { EMPTY_PERMISSIONS, type Action, type PositionPermissions } from '@common/permissions';
import type { DbOrTx } from '@server/db/types';
import type { Auth } from '../access/types';
import { AppError } from '../http/errors';
import type { AppContext } from '../http/context';
import type { TransferStatus } from '@common/schemas/excel';
import { errorText, failTransfer, findTransfer, transferParams, type TransferRow } from './transfers.service';

/**
 * Running the steps of data transfers: in a job (the usual way: a 10,000-row import takes tens of
 * seconds) or in the request when the caller waits. A step is registered by name by the module
 * that owns it (e.g. 'customers.import.preview').
 */

export type TransferStep = (ctx: AppContext, row: TransferRow, auth: Auth) => Promise<void>;

const steps = new Map<string, { step: TransferStep; expects: TransferStatus }>();

type Logger = { error(obj: object, msg?: string): void };
let log: Logger = { error: () => {} };

/**
 * Declares the code of a step, run only while the run is in status `expects` (a queued step whose
 * run has moved on meanwhile — checked again, failed — does nothing).
 */
export function registerTransferStep(name: string, expects: TransferStatus, step: TransferStep): void {
  steps.set(name, { step, expects });
}

export const TRANSFER_JOB = 'data_transfer.step';

type Payload = { id: string; step: string };

/** Where steps log what the user cannot be told (bugs, not refusals). */
export function transferLogger(): Logger {
  return log;
}

/** Registers the job that runs queued steps (idempotent). */
export function installTransferJob(ctx: AppContext, logger?: Logger): void {
  if (logger) log = logger;
  ctx.jobs.registerJob<Payload>(TRANSFER_JOB, async (payload) => {
    await runTransferStep(ctx, payload.id, payload.step);
  });
}

/**
 * The signed-in identity of the run's user, rebuilt from the database when the step runs (their
 * permissions as they are now; a disabled user's run fails).
 */
export async function authOfUser(db: DbOrTx, userId: string): Promise<Auth> {
  const r = await db
    .selectFrom('users')
    .leftJoin('positions', 'positions.id', 'users.position_id')
    .select([
      'users.id',
      'users.username',
      'users.name',
      'users.email',
      'users.department_id',
      'users.position_id',
      'users.supervisor_id',
      'users.is_admin',
      'users.locale',
      'positions.permissions',
    ])
    .where('users.id', '=', userId)
    .where('users.status', '=', 'active')
    .executeTakeFirst();
  if (!r) throw new AppError('forbidden');
  const permissions = r.permissions ? (JSON.parse(r.permissions) as PositionPermissions) : EMPTY_PERMISSIONS;
  return {
    user: {
      id: r.id,
      username: r.username,
      name: r.name,
      email: r.email,
      departmentId: r.department_id,
      positionId: r.position_id,
      supervisorId: r.supervisor_id,
      isAdmin: r.is_admin === 1,
      mustChangePassword: false,
      locale: r.locale,
    },
    caps: { isAdmin: r.is_admin === 1, permissions },
    via: 'token',
  };
}

/** The step's permission, checked again when it runs (it may have been withdrawn meanwhile); admins pass, noted as a bypass. */
export function allowStep(auth: Auth, module: string, action: Action): void {
  if (auth.caps.permissions.modules[module]?.actions.includes(action)) return;
  if (!auth.user.isAdmin) throw new AppError('forbidden');
  auth.adminBypass = true;
}

/**
 * Runs one step of a run now. A failure marks the run failed with the reason in its user's
 * language (never thrown further: the run row is where the outcome lives).
 */
export async function runTransferStep(ctx: AppContext, id: string, stepName: string, auth?: Auth): Promise<void> {
  const row = await findTransfer(ctx.db, id);
  const def = steps.get(stepName);
  if (!row || (def && row.status !== def.expects)) return;
  try {
    if (!def) throw new Error(`No transfer step ${stepName}`);
    await def.step(ctx, row, auth ?? (await authOfUser(ctx.db, row.user_id)));
  } catch (err) {
    if (!(err instanceof AppError)) log.error({ err, id, step: stepName }, 'data transfer step failed');
    await failTransfer(ctx, id, errorText(transferParams(row).locale, err));
  }
}

/**
 * Starts a step: awaited here when `wait`, else queued as a job (one attempt: a half-done import
 * is not retried blindly; the run shows failed and the user starts again).
 */
export async function startTransferStep(ctx: AppContext, row: TransferRow, stepName: string, opts: { wait?: boolean; auth?: Auth }) {
  if (opts.wait) {
    await runTransferStep(ctx, row.id, stepName, opts.auth);
    return;
  }
  await ctx.jobs.enqueue(ctx.db, TRANSFER_JOB, { id: row.id, step: stepName } satisfies Payload, { maxAttempts: 1 });
}
