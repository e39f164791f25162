import type { FlowFieldDef } from '@common/schemas/approvals';
import type { DbOrTx, Tx } from '@server/db/types';
import type { Auth } from '@server/platform/access/types';
import type { Actor } from '@server/platform/audit/audit.service';

/**
 * Approvable document types. A module registers its type once (at import time, like
 * registerOwnable); the engine never knows the module's tables. Custom forms are served by one
 * dynamic resolver for 'form.<id>' (see forms.service.ts).
 */

/** What the engine tells the document when the instance ends or comes back. */
export type ApprovalOutcome = 'approved' | 'rejected' | 'withdrawn' | 'returned' | 'pending';

export type ApprovalEventContext = {
  tx: Tx;
  instanceId: string;
  documentId: string;
  submitterId: string;
  /** who caused it (the last approver, the submitter, or the system for escalations) */
  actor: Actor;
};

export type ApprovableDef = {
  /** e.g. 'customer_transfer'; custom forms are 'form.<formId>' */
  type: string;
  /** message key of the type's name (custom forms: the form's own name via `label`) */
  labelKey?: string;
  label?: string;
  /** permission module of the document (null: custom forms, everyone may submit) */
  module: string | null;
  /** fields a flow may test; labels as message keys for fixed types (custom forms give plain labels) */
  fields: (FlowFieldDef & { labelKey?: string })[];
  /**
   * The document's current values of `fields`, its title for lists and notifications, and the
   * link to its own page. Throws notFound when absent.
   */
  load(db: DbOrTx, documentId: string): Promise<{ title: string; values: Record<string, unknown>; link: string | null }>;
  /** whether this caller may see the document (its page shows the approval history) */
  canView(db: DbOrTx, auth: Auth, documentId: string): Promise<boolean>;
  /**
   * Called inside the engine's transaction whenever the instance's status changes: carry out an
   * approved transfer, release a held document on reject / withdraw, etc. Throwing rolls the action back.
   */
  onStatus?(ctx: ApprovalEventContext, status: ApprovalOutcome): Promise<void>;
};

const registry = new Map<string, ApprovableDef>();
const resolvers: { prefix: string; resolve(db: DbOrTx, type: string): Promise<ApprovableDef | undefined> }[] = [];

export function registerApprovable(def: ApprovableDef): void {
  registry.set(def.type, def);
}

/** Types made at run time (custom forms): `prefix` e.g. 'form.' */
export function registerApprovableResolver(prefix: string, resolve: (db: DbOrTx, type: string) => Promise<ApprovableDef | undefined>): void {
  resolvers.push({ prefix, resolve });
}

export async function approvable(db: DbOrTx, type: string): Promise<ApprovableDef | undefined> {
  const fixed = registry.get(type);
  if (fixed) return fixed;
  for (const r of resolvers) if (type.startsWith(r.prefix)) return r.resolve(db, type);
  return undefined;
}

/** The fixed types (custom forms are listed by the forms service). */
export function fixedApprovables(): ApprovableDef[] {
  return [...registry.values()];
}
