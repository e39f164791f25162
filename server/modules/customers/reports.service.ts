import { sql, type SqlBool } from 'kysely';
import type { Db, DbOrTx, Tx } from '@server/db/types';
import {
  RESOLVED_STATUS,
  type CreateReportBody,
  type CustomerReport,
  type MergeCustomerBody,
  type MergeResult,
  type ReportKind,
  type ReportListQuery,
  type ReportStatus,
  type ResolveReportBody,
} from '@common/schemas/reports';
import { pickLocale, translate } from '@common/messages/index';
import { newId, nowIso } from '@server/db/ids';
import { keysetPage } from '@server/db/keyset';
import { AppError, fieldError, notFound } from '@server/platform/http/errors';
import { audit, type Actor } from '@server/platform/audit/audit.service';
import type { Auth } from '@server/platform/access/types';
import { notify } from '@server/platform/notify/notify.service';
import { inTransaction } from '@server/platform/notify/transaction';
import type { RealtimeHub } from '@server/platform/realtime/realtime.hub';
import { customerVisible } from './visibility';
import { mergeCustomers } from './merge';
import { assertCanOwn, changeOwner } from './ownership';
import { getCustomerSettings } from './customer-settings.service';

/**
 * Customer reports (客户举报): any user flags a customer they can see as a duplicate, wrongly
 * categorised, wrongly owned or otherwise wrong; admins work the queue (merge, re-categorise,
 * reassign, dismiss) and the reporter is told the outcome. Every step is audited.
 */

export type ReportsContext = { db: Db; realtime: Pick<RealtimeHub, 'publish'> };

/** The queue row with customer, owner, reporter and resolver names; `visible_*` only for a reporter's own list. */
function reportRows(db: DbOrTx, auth?: Auth) {
  const visibleOf = (column: 'r.customer_id' | 'r.target_customer_id') =>
    auth
      ? sql<number>`case when exists (select 1 from customers c where c.id = ${sql.ref(column)} and ${customerVisible(auth)}) then 1 else 0 end`
      : sql<number>`1`;
  return db
    .selectFrom('customer_reports as r')
    .leftJoin('customers as sc', 'sc.id', 'r.customer_id')
    .leftJoin('users as so', 'so.id', 'sc.owner_id')
    .leftJoin('customers as tc', 'tc.id', 'r.target_customer_id')
    .leftJoin('users as tou', 'tou.id', 'tc.owner_id')
    .leftJoin('users as rep', 'rep.id', 'r.reporter_id')
    .leftJoin('users as res', 'res.id', 'r.resolved_by')
    .select([
      'r.id',
      'r.kind',
      'r.status',
      'r.customer_id',
      'r.target_customer_id',
      'r.note',
      'r.reporter_id',
      'r.created_at',
      'r.resolved_by',
      'r.resolved_at',
      'r.resolution_note',
      'sc.name as customer_name',
      'sc.owner_id as customer_owner_id',
      'so.name as customer_owner_name',
      'sc.category as customer_category',
      'sc.deleted_at as customer_deleted_at',
      'tc.name as target_name',
      'tc.owner_id as target_owner_id',
      'tou.name as target_owner_name',
      'rep.name as reporter_name',
      'res.name as resolved_by_name',
      visibleOf('r.customer_id').as('customer_visible'),
      visibleOf('r.target_customer_id').as('target_visible'),
    ]);
}

type ReportRow = Awaited<ReturnType<ReturnType<typeof reportRows>['executeTakeFirstOrThrow']>>;

function present(r: ReportRow): CustomerReport {
  const seeCustomer = Number(r.customer_visible) === 1;
  const seeTarget = Number(r.target_visible) === 1;
  return {
    id: r.id,
    kind: r.kind as ReportKind,
    status: r.status as ReportStatus,
    customerId: r.customer_id,
    customerName: seeCustomer ? r.customer_name : null,
    customerOwnerId: seeCustomer ? r.customer_owner_id : null,
    customerOwnerName: seeCustomer ? r.customer_owner_name : null,
    customerCategory: seeCustomer ? r.customer_category : null,
    customerDeleted: r.customer_deleted_at !== null,
    targetCustomerId: r.target_customer_id,
    targetCustomerName: seeTarget ? r.target_name : null,
    targetOwnerId: seeTarget ? r.target_owner_id : null,
    targetOwnerName: seeTarget ? r.target_owner_name : null,
    note: r.note,
    reporterId: r.reporter_id,
    reporterName: r.reporter_name,
    createdAt: r.created_at,
    resolvedBy: r.resolved_by,
    resolvedByName: r.resolved_by_name,
    resolvedAt: r.resolved_at,
    resolutionNote: r.resolution_note,
  };
}

async function getReport(db: DbOrTx, id: string, auth?: Auth): Promise<CustomerReport> {
  const row = await reportRows(db, auth).where('r.id', '=', id).executeTakeFirst();
  if (!row) throw notFound();
  return present(row);
}

/**
 * Files a report. The customer must be live and visible to the reporter (else 404). A duplicate's
 * target may lie outside the reporter's scope: its id is accepted when it names a live customer,
 * and nothing about it is revealed (the reporter's own list shows its name only when visible).
 * The same open report twice is refused (409 customer_report_open). Admins are notified.
 */
export async function createReport(ctx: ReportsContext, auth: Auth, body: CreateReportBody, actor: Actor): Promise<CustomerReport> {
  return inTransaction(ctx.db, async (tx) => {
    const customer = await tx
      .selectFrom('customers as c')
      .select(['c.id', 'c.name'])
      .where('c.id', '=', body.customerId)
      .where('c.deleted_at', 'is', null)
      .where(customerVisible(auth))
      .executeTakeFirst();
    if (!customer) throw notFound();
    const targetId = body.kind === 'duplicate' ? (body.targetCustomerId ?? null) : null;
    if (targetId) {
      if (targetId === body.customerId) throw fieldError('targetCustomerId', 'customer_merge_self');
      const target = await tx
        .selectFrom('customers')
        .select('id')
        .where('id', '=', targetId)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      if (!target) throw fieldError('targetCustomerId', 'not_found');
    }
    const same = await tx
      .selectFrom('customer_reports')
      .select('id')
      .where('reporter_id', '=', auth.user.id)
      .where('customer_id', '=', body.customerId)
      .where('kind', '=', body.kind)
      .where('status', '=', 'open')
      .where((e) => (targetId ? e('target_customer_id', '=', targetId) : e('target_customer_id', 'is', null)))
      .executeTakeFirst();
    if (same) throw new AppError('customer_report_open');

    const id = newId();
    const row = {
      id,
      customer_id: body.customerId,
      kind: body.kind,
      target_customer_id: targetId,
      note: body.note,
      status: 'open',
      reporter_id: auth.user.id,
      created_at: nowIso(),
      resolved_by: null,
      resolved_at: null,
      resolution_note: null,
    };
    await tx.insertInto('customer_reports').values(row).execute();
    await audit(tx, actor, {
      action: 'create',
      entity: 'customer_report',
      entityId: id,
      after: { customerId: row.customer_id, kind: row.kind, targetCustomerId: row.target_customer_id, note: row.note },
    });
    const admins = await tx.selectFrom('users').select(['id', 'locale']).where('is_admin', '=', 1).where('status', '=', 'active').execute();
    for (const admin of admins) {
      const locale = pickLocale(admin.locale);
      await notify(
        ctx,
        [admin.id],
        {
          type: 'customer_report.created',
          title: translate(locale, 'reports.notice.new', { customer: customer.name, kind: translate(locale, `reports.kind.${body.kind}`) }),
          body: body.note,
          link: '/customers/reports',
          data: { reportId: id, customerId: body.customerId },
        },
        tx,
      );
    }
    return getReport(tx, id, auth);
  });
}

/** The admin queue: open reports, or settled ones; newest first, keyset on the id, with the open count. */
export async function listReports(db: DbOrTx, q: ReportListQuery) {
  const byStatus = (e: { status: 'open' | 'resolved' }) =>
    e.status === 'open' ? sql<SqlBool>`r.status = 'open'` : sql<SqlBool>`r.status <> 'open'`;
  let query = reportRows(db).where(byStatus(q));
  if (q.cursor) query = query.where('r.id', '<', q.cursor);
  const rows = await query
    .orderBy('r.id', 'desc')
    .limit(q.limit + 1)
    .execute();
  const { n } = await db
    .selectFrom('customer_reports as r')
    .select((e) => e.fn.countAll<number>().as('n'))
    .where(byStatus(q))
    .executeTakeFirstOrThrow();
  return { ...keysetPage(rows, q.limit, present), total: Number(n) };
}

/** The reporter's own reports, newest first; customer names only where the reporter may see them. */
export async function myReports(db: DbOrTx, auth: Auth, q: { cursor?: string; limit: number }) {
  let query = reportRows(db, auth).where('r.reporter_id', '=', auth.user.id);
  if (q.cursor) query = query.where('r.id', '<', q.cursor);
  const rows = await query
    .orderBy('r.id', 'desc')
    .limit(q.limit + 1)
    .execute();
  return keysetPage(rows, q.limit, present);
}

/** Marks open reports settled (compare-and-set on 'open'); returns the ids it settled. */
async function settle(
  tx: Tx,
  ids: string[],
  status: Exclude<ReportStatus, 'open'>,
  actor: Actor,
  note: string | null,
  now: string,
): Promise<string[]> {
  if (!ids.length) return [];
  const done = await tx
    .updateTable('customer_reports')
    .set({ status, resolved_by: actor.id, resolved_at: now, resolution_note: note })
    .where('id', 'in', ids)
    .where('status', '=', 'open')
    .returning('id')
    .execute();
  return done.map((r) => r.id);
}

/** Tells each report's reporter, in their language, how it was settled. */
async function tellReporters(ctx: ReportsContext, tx: Tx, reportIds: string[]): Promise<void> {
  if (!reportIds.length) return;
  const rows = await tx
    .selectFrom('customer_reports as r')
    .innerJoin('users as u', 'u.id', 'r.reporter_id')
    .leftJoin('customers as c', 'c.id', 'r.customer_id')
    .select(['r.id', 'r.status', 'r.customer_id', 'r.target_customer_id', 'r.resolution_note', 'r.reporter_id', 'u.locale', 'c.name'])
    .where('r.id', 'in', reportIds)
    .execute();
  for (const r of rows) {
    const locale = pickLocale(r.locale);
    // a merged customer lives on as the target; the reporter may not see it, so the notice names only what they reported
    const customerId = r.status === 'merged' && r.target_customer_id ? r.target_customer_id : r.customer_id;
    await notify(
      ctx,
      [r.reporter_id],
      {
        type: 'customer_report.resolved',
        title: translate(locale, `reports.notice.${r.status}`, { customer: r.name ?? '' }),
        body: r.resolution_note,
        link: `/customers/${customerId}`,
        data: { reportId: r.id, status: r.status, customerId },
      },
      tx,
    );
  }
}

/** Open duplicate reports between two customers (either direction): settled together by their merge. */
async function pairReports(tx: Tx, a: string, b: string): Promise<string[]> {
  const rows = await tx
    .selectFrom('customer_reports')
    .select('id')
    .where('status', '=', 'open')
    .where('kind', '=', 'duplicate')
    .where((e) =>
      e.or([
        e.and([e('customer_id', '=', a), e('target_customer_id', '=', b)]),
        e.and([e('customer_id', '=', b), e('target_customer_id', '=', a)]),
      ]),
    )
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Settles an open report (admins): `merge` merges the reported duplicate into the customer it
 * duplicates (other open duplicate reports of the same pair are settled with it), `recategorise`
 * sets the main category, `reassign` gives the customer to `userId` (owner change 'assign', caps
 * apply), `dismiss` changes nothing. The reporters are notified; everything is audited.
 */
export async function resolveReport(
  ctx: ReportsContext,
  id: string,
  body: ResolveReportBody,
  actor: Actor,
): Promise<{ report: CustomerReport; merge?: MergeResult }> {
  return inTransaction(ctx.db, async (tx) => {
    const report = await tx.selectFrom('customer_reports').selectAll().where('id', '=', id).executeTakeFirst();
    if (!report) throw notFound();
    if (report.status !== 'open') throw new AppError('customer_report_resolved');
    const status = RESOLVED_STATUS[body.action];
    const note = body.note || null;
    const now = nowIso();
    const detail: Record<string, unknown> = { action: body.action };
    let merge: MergeResult | undefined;
    let settled: string[] = [];
    const claim = async (ids: string[]) => {
      const done = await settle(tx, ids, status, actor, note, now);
      if (!done.includes(id)) throw new AppError('customer_report_resolved');
      return done;
    };

    switch (body.action) {
      case 'merge': {
        if (report.kind !== 'duplicate' || !report.target_customer_id) throw fieldError('action', 'invalid_value');
        // settled before the merge moves open reports, so this one keeps naming both customers
        settled = await claim([id, ...(await pairReports(tx, report.customer_id, report.target_customer_id))]);
        merge = await mergeCustomers(tx, report.customer_id, report.target_customer_id, actor, note);
        detail.targetCustomerId = report.target_customer_id;
        detail.alsoSettled = settled.filter((x) => x !== id);
        break;
      }
      case 'recategorise': {
        if (!body.category) throw fieldError('category', 'required');
        const settings = await getCustomerSettings(tx);
        if (!settings.categories.some((c) => c.key === body.category)) throw fieldError('category', 'invalid_value');
        const customer = await liveCustomer(tx, report.customer_id);
        settled = await claim([id]);
        if (customer.category !== body.category) {
          await tx
            .updateTable('customers')
            .set({ category: body.category, version: sql<number>`version + 1`, updated_at: now })
            .where('id', '=', customer.id)
            .execute();
          await audit(tx, actor, {
            action: 'update',
            entity: 'customer',
            entityId: customer.id,
            before: { category: customer.category },
            after: { category: body.category },
            detail: `customer_report ${id}`,
          });
        }
        detail.category = [customer.category, body.category];
        break;
      }
      case 'reassign': {
        if (!body.userId) throw fieldError('userId', 'required');
        const user = await tx.selectFrom('users').select(['id', 'status']).where('id', '=', body.userId).executeTakeFirst();
        if (!user) throw fieldError('userId', 'not_found');
        if (user.status !== 'active') throw fieldError('userId', 'inactive');
        const customer = await liveCustomer(tx, report.customer_id);
        settled = await claim([id]);
        if (customer.owner_id !== user.id) {
          await assertCanOwn(tx, user.id, 1, await getCustomerSettings(tx));
          await changeOwner(tx, customer.id, user.id, 'assign', actor, note);
        }
        detail.owner = [customer.owner_id, user.id];
        break;
      }
      case 'dismiss':
        settled = await claim([id]);
        break;
    }

    for (const reportId of settled) {
      await audit(tx, actor, {
        action: 'resolve',
        entity: 'customer_report',
        entityId: reportId,
        before: { status: 'open' },
        after: { status, ...detail },
        detail: note,
      });
    }
    await tellReporters(ctx, tx, settled);
    return { report: await getReport(tx, id), ...(merge ? { merge } : {}) };
  });
}

async function liveCustomer(tx: Tx, customerId: string) {
  const c = await tx
    .selectFrom('customers')
    .select(['id', 'category', 'owner_id'])
    .where('id', '=', customerId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!c) throw notFound();
  return c;
}

/**
 * Direct merge by an admin (POST /customers/:id/merge): `body.sourceId` into `targetId`. Open
 * duplicate reports of the pair are settled as merged and their reporters notified.
 */
export async function mergeDirect(ctx: ReportsContext, targetId: string, body: MergeCustomerBody, actor: Actor): Promise<MergeResult> {
  return inTransaction(ctx.db, async (tx) => {
    const note = body.note || null;
    const settled = await settle(tx, await pairReports(tx, body.sourceId, targetId), 'merged', actor, note, nowIso());
    const result = await mergeCustomers(tx, body.sourceId, targetId, actor, note);
    for (const reportId of settled) {
      await audit(tx, actor, {
        action: 'resolve',
        entity: 'customer_report',
        entityId: reportId,
        before: { status: 'open' },
        after: { status: 'merged', action: 'merge', targetCustomerId: targetId },
        detail: note,
      });
    }
    await tellReporters(ctx, tx, settled);
    return result;
  });
}
