import type { DbOrTx, CustomersTable } from '@server/db/types';
import { newId, nowIso } from '@server/db/ids';

/**
 * Test factory: writes a customer row directly (no duplicate keys, no search index, no audit), for
 * tests of other parts that only need a customer to hang records on. Tests of customer rules go
 * through the API (POST /customers).
 */
export async function seedCustomer(db: DbOrTx, fields: Partial<CustomersTable> & { name: string }): Promise<string> {
  const now = nowIso();
  const id = fields.id ?? newId();
  let department = fields.owner_department_id ?? null;
  if (fields.owner_id && department === null) {
    const u = await db.selectFrom('users').select('department_id').where('id', '=', fields.owner_id).executeTakeFirst();
    department = u?.department_id ?? null;
  }
  await db
    .insertInto('customers')
    .values({
      kind: 'customer',
      phones: '[]',
      tags: '[]',
      custom: '{}',
      locked: 0,
      version: 1,
      created_at: now,
      updated_at: now,
      ...fields,
      id,
      owner_department_id: department,
    })
    .execute();
  return id;
}
