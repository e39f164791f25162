import { sql, type Expression, type SqlBool } from 'kysely';
import type { DbOrTx } from '@server/db/types';
import type { ListFilter } from '@common/schemas/customers';

/**
 * Custom fields (属性定义) of any entity. PLACEHOLDER with the final signatures: the generic
 * implementation (definitions, validation by type, filters on the JSON column) replaces it.
 */

/**
 * Validates `values` against the entity's field definitions and returns what to store (merged over
 * `existing` on update). Throws fieldError('custom.<key>', code) on bad values or missing required ones.
 */
export async function validateCustomValues(
  _db: DbOrTx,
  _entity: string,
  values: Record<string, unknown> | undefined,
  opts: { existing?: Record<string, unknown> } = {},
): Promise<Record<string, unknown>> {
  return { ...(opts.existing ?? {}), ...(values ?? {}) };
}

/** The SQL condition of one list filter on a custom field `custom.<key>` stored in the JSON `column`. */
export async function customFilterCondition(
  _db: DbOrTx,
  _entity: string,
  _column: string,
  _filter: ListFilter,
): Promise<Expression<SqlBool>> {
  return sql<SqlBool>`1 = 1`;
}
