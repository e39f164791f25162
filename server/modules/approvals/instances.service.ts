import type { ApprovalCounts, ApprovalDetail, ApprovalListItem, InstanceListQuery } from '@common/schemas/approvals';
import type { Locale } from '@common/messages/index';
import type { DbOrTx, Tx } from '@server/db/types';
import type { Auth } from '@server/platform/access/types';
import type { Actor } from '@server/platform/audit/audit.service';
import { notFound } from '@server/platform/http/errors';
import { inTransaction } from '@server/platform/notify/transaction';
import { keysetPage } from '@server/db/keyset';
import { approvable } from './registry';
import type { EngineContext } from './engine-core';
import { instanceRow, type InstanceRow } from './engine-store';
import { countBoxes, findInstance, isParticipant, listInstances, markCcRead } from './instances.repository';
import { presentDetail, presentList } from './instances.presenter';

/**
 * The approval centre: boxes, counts, the detail, and the runtime actions behind visibility.
 * Who sees an instance: its submitter, anyone with a task on it, cc users, admins, and whoever may
 * see the document itself (def.canView). Everyone else gets 404, as if it did not exist.
 */

/** Whether the caller may see the instance. */
export async function canSeeInstance(db: DbOrTx, auth: Auth, inst: Pick<InstanceRow, 'id' | 'type' | 'document_id'>): Promise<boolean> {
  if (auth.user.isAdmin) return true;
  if (await isParticipant(db, inst.id, auth.user.id)) return true;
  const def = await approvable(db, inst.type);
  return def ? def.canView(db, auth, inst.document_id).catch(() => false) : false;
}

/** The instance row if the caller may see it, else 404. */
export async function visibleInstance(db: DbOrTx, auth: Auth, id: string): Promise<InstanceRow> {
  const row = await findInstance(db, id);
  if (!row || !(await canSeeInstance(db, auth, row))) throw notFound();
  return row;
}

/** Whether the caller may see instance `id` (its files and audit history follow the instance). */
export async function mayViewInstance(db: DbOrTx, auth: Auth, id: string): Promise<boolean> {
  const row = await findInstance(db, id);
  return !!row && canSeeInstance(db, auth, row);
}

/**
 * A box of the approval centre, newest first (keyset on the id), or — with documentType and
 * documentId — the approval history of one document: all its instances for who may see the
 * document (or an admin), else those the caller took part in.
 */
export async function listApprovals(
  db: DbOrTx,
  auth: Auth,
  q: InstanceListQuery,
  locale: Locale,
): Promise<{ items: ApprovalListItem[]; nextCursor: string | null }> {
  let allDocument = false;
  if (q.documentType && q.documentId) {
    const def = await approvable(db, q.documentType);
    allDocument = auth.user.isAdmin || (!!def && (await def.canView(db, auth, q.documentId).catch(() => false)));
  }
  const rows = await listInstances(db, auth.user.id, q, { allDocument });
  const page = keysetPage(rows, q.limit, (r) => r);
  return { items: await presentList(db, page.items, locale), nextCursor: page.nextCursor };
}

/** 待办 and unread 抄送 for the top bar. */
export function approvalCounts(db: DbOrTx, auth: Auth): Promise<ApprovalCounts> {
  return countBoxes(db, auth.user.id);
}

/** The detail; opening it marks the caller's copy (抄送) read. */
export async function getApproval(db: DbOrTx, auth: Auth, id: string, locale: Locale): Promise<ApprovalDetail> {
  const row = await visibleInstance(db, auth, id);
  await markCcRead(db, id, auth.user.id);
  return presentDetail(db, row, auth.user.id, locale);
}

type Action<B> = (ctx: EngineContext, tx: Tx, instanceId: string, actor: Actor, body: B) => Promise<void>;

/** Runs a runtime action for a caller who may see the instance (else 404); answers the detail after it. */
export async function actOnApproval<B>(
  ctx: EngineContext,
  auth: Auth,
  actor: Actor,
  id: string,
  action: Action<B>,
  body: B,
  locale: Locale,
): Promise<ApprovalDetail> {
  await inTransaction(ctx.db, async (tx) => {
    await visibleInstance(tx, auth, id);
    await action(ctx, tx, id, actor, body);
  });
  return presentDetail(ctx.db, await instanceRow(ctx.db, id), auth.user.id, locale);
}
