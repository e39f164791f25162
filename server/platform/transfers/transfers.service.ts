import type { Selectable } from 'kysely';
import { DATA_TRANSFER_EVENT, type DataTransfer, type TransferKind, type TransferStatus } from '@common/schemas/excel';
import { pickLocale, translate, type Locale } from '@common/messages/index';
import type { DataTransfersTable, DbOrTx } from '@server/db/types';
import { newId, nowIso } from '@server/db/ids';
import { keysetPage } from '@server/db/keyset';
import type { Auth } from '../access/types';
import type { AppContext } from '../http/context';
import { AppError, localisedProblem } from '../http/errors';

/**
 * Data transfers (导入 / 导出 runs): one data_transfers row per run, owned by the user who started
 * it. A run moves through steps (an import: preview, then run); each step runs in a job, or in the
 * request when the caller waits. Progress (done / total) is stored and pushed to the user's open
 * tabs as `{ type: 'data_transfer', data }` so the web shows a progress bar.
 */

export type TransferRow = Selectable<DataTransfersTable>;

/** What a run remembers between its steps (stored as JSON in `params`). */
export type TransferParams = { locale: Locale } & Record<string, unknown>;

export function transferParams(row: Pick<TransferRow, 'params'>): TransferParams {
  const p = JSON.parse(row.params || '{}') as Partial<TransferParams>;
  return { ...p, locale: pickLocale(p.locale) };
}

export function presentTransfer(row: TransferRow): DataTransfer {
  return {
    id: row.id,
    kind: row.kind,
    entity: row.entity,
    status: row.status as TransferStatus,
    total: row.total,
    done: row.done,
    result: row.result ? (JSON.parse(row.result) as DataTransfer['result']) : null,
    inputFileId: row.input_file_id,
    outputFileId: row.output_file_id,
    error: row.error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

type Publisher = Pick<AppContext, 'db' | 'realtime'>;

async function publish(ctx: Publisher, row: TransferRow): Promise<void> {
  try {
    await ctx.realtime.publish(row.user_id, { type: DATA_TRANSFER_EVENT, data: presentTransfer(row) });
  } catch {
    // progress is a courtesy; the run goes on and GET /data-transfers/:id has the truth
  }
}

export async function findTransfer(db: DbOrTx, id: string): Promise<TransferRow | undefined> {
  return db.selectFrom('data_transfers').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The run if it is the caller's (admins see every run), else 404 as if absent. */
export async function transferOf(db: DbOrTx, auth: Auth, id: string): Promise<TransferRow> {
  const row = await findTransfer(db, id);
  if (!row || (row.user_id !== auth.user.id && !auth.user.isAdmin)) throw new AppError('not_found');
  return row;
}

/** The caller's own run (even an admin acts only on their own imports), else 404. */
export async function ownTransfer(db: DbOrTx, auth: Auth, id: string, kind: TransferKind): Promise<TransferRow> {
  const row = await findTransfer(db, id);
  if (!row || row.user_id !== auth.user.id || row.kind !== kind) throw new AppError('not_found');
  return row;
}

export async function createTransfer(
  db: DbOrTx,
  input: {
    kind: TransferKind;
    entity: string;
    userId: string;
    status: TransferStatus;
    total?: number;
    params: TransferParams;
    inputFileId?: string | null;
  },
): Promise<TransferRow> {
  const now = nowIso();
  const row: TransferRow = {
    id: newId(),
    kind: input.kind,
    entity: input.entity,
    user_id: input.userId,
    status: input.status,
    total: input.total ?? 0,
    done: 0,
    params: JSON.stringify(input.params),
    result: null,
    input_file_id: input.inputFileId ?? null,
    output_file_id: null,
    error: null,
    created_at: now,
    updated_at: now,
  };
  await db.insertInto('data_transfers').values(row).execute();
  return row;
}

/** A busy run whose progress has not moved for this long is taken as abandoned (its process died). */
export const STALE_MS = 10 * 60_000;

/**
 * Moves a run from one of `from` to `to` (compare-and-set: of two concurrent starts one wins),
 * resetting progress and the previous outcome; a run in one of `staleFrom` moves too once it has
 * been silent for STALE_MS. 409 transfer_state when the run is elsewhere.
 */
export async function moveTransfer(
  ctx: Publisher,
  row: TransferRow,
  from: TransferStatus[],
  to: TransferStatus,
  patch: { params?: TransferParams; total?: number; staleFrom?: TransferStatus[]; now?: Date } = {},
): Promise<TransferRow> {
  const staleBefore = nowIso(new Date((patch.now ?? new Date()).getTime() - STALE_MS));
  const set = {
    status: to,
    done: 0,
    total: patch.total ?? row.total,
    error: null,
    updated_at: nowIso(),
    ...(patch.params ? { params: JSON.stringify(patch.params) } : {}),
  };
  const r = await ctx.db
    .updateTable('data_transfers')
    .set(set)
    .where('id', '=', row.id)
    .where((e) =>
      patch.staleFrom?.length
        ? e.or([e('status', 'in', from), e.and([e('status', 'in', patch.staleFrom), e('updated_at', '<', staleBefore)])])
        : e('status', 'in', from),
    )
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) {
    const now = await findTransfer(ctx.db, row.id);
    throw new AppError('transfer_state', { status: now?.status ?? row.status });
  }
  const next = { ...row, ...set };
  await publish(ctx, next);
  return next;
}

/**
 * Progress of a running step: `tick(done)` stores and pushes it at most every `every` rows (and
 * always at the end), so a 10,000-row import writes about 50 updates, not 10,000.
 */
export class TransferProgress {
  private lastSaved = 0;
  constructor(
    private readonly ctx: Publisher,
    private row: TransferRow,
    private readonly every = 200,
  ) {}

  get current(): TransferRow {
    return this.row;
  }

  async setTotal(total: number): Promise<void> {
    this.row = { ...this.row, total };
    await this.save();
  }

  async tick(done: number, force = false): Promise<void> {
    if (!force && done - this.lastSaved < this.every && done < this.row.total) return;
    this.row = { ...this.row, done };
    await this.save();
  }

  private async save(): Promise<void> {
    this.lastSaved = this.row.done;
    const updatedAt = nowIso();
    await this.ctx.db
      .updateTable('data_transfers')
      .set({ done: this.row.done, total: this.row.total, updated_at: updatedAt })
      .where('id', '=', this.row.id)
      .execute();
    this.row = { ...this.row, updated_at: updatedAt };
    await publish(this.ctx, this.row);
  }
}

/** Ends a step: its outcome stored, the status set (ready after a preview, done after a run). */
export async function finishTransfer(
  ctx: Publisher,
  row: TransferRow,
  outcome: { status: TransferStatus; result: unknown; outputFileId?: string | null; done?: number },
): Promise<TransferRow> {
  const set = {
    status: outcome.status,
    result: JSON.stringify(outcome.result),
    output_file_id: outcome.outputFileId ?? row.output_file_id,
    done: outcome.done ?? row.total,
    error: null,
    updated_at: nowIso(),
  };
  await ctx.db.updateTable('data_transfers').set(set).where('id', '=', row.id).execute();
  const next = { ...row, ...set };
  await publish(ctx, next);
  return next;
}

/** Ends a step that failed: the reason in the user's language. */
export async function failTransfer(ctx: Publisher, id: string, message: string): Promise<void> {
  const updatedAt = nowIso();
  await ctx.db
    .updateTable('data_transfers')
    .set({ status: 'failed', error: message.slice(0, 2000), updated_at: updatedAt })
    .where('id', '=', id)
    .execute();
  const row = await findTransfer(ctx.db, id);
  if (row) await publish(ctx, row);
}

/** The text of an error for the run's user: a domain error's localised detail, else a generic line. */
export function errorText(locale: Locale, err: unknown): string {
  if (err instanceof AppError) return localisedProblem(locale, err).detail;
  return translate(locale, 'transfers.failed');
}

/** GET /data-transfers: the caller's runs (admins: everyone's with mine=false), newest first. */
export async function listTransfers(db: DbOrTx, auth: Auth, q: { mine?: 'true' | 'false'; cursor?: string; limit: number }) {
  let query = db.selectFrom('data_transfers').selectAll();
  if (!(auth.user.isAdmin && q.mine === 'false')) query = query.where('user_id', '=', auth.user.id);
  if (q.cursor) query = query.where('id', '<', q.cursor);
  const rows = await query
    .orderBy('id', 'desc')
    .limit(q.limit + 1)
    .execute();
  return keysetPage(rows, q.limit, presentTransfer);
}
