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

/** Test factory: a contact row written directly (no search index, no audit). */
export async function seedContact(
  db: DbOrTx,
  customerId: string,
  fields: { name: string; email: string | null; title?: string | null; isPrimary?: boolean },
): Promise<string> {
  const id = newId();
  const now = nowIso();
  await db
    .insertInto('contacts')
    .values({
      id,
      version: 1,
      created_by: null,
      created_at: now,
      updated_at: now,
      deleted_at: null,
      customer_id: customerId,
      name: fields.name,
      title: fields.title ?? null,
      department: null,
      mobile: null,
      phone: null,
      email: fields.email,
      wechat: null,
      birthday: null,
      hobbies: null,
      id_number: null,
      notes: null,
      is_primary: fields.isPrimary ? 1 : 0,
      decision_maker: 0,
      reports_to_id: null,
      custom: '{}',
    })
    .execute();
  return id;
}
