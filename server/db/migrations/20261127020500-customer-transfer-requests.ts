import type { Kysely } from 'kysely';

/**
 * 移交申请: a customer transfer that an approval flow must pass first. The customers are held by
 * the pending request (no second transfer or release meanwhile) and move when it is approved.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('customer_transfer_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('submitter_id', 'text', (c) => c.notNull())
    .addColumn('to_user_id', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    // pending | returned | approved | rejected | withdrawn (follows its approval instance)
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('instance_id', 'text')
    // JSON TransferResult once carried out
    .addColumn('result', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('customer_transfer_request_items')
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    // the owner when the request was made (shown to approvers; the move checks it is unchanged)
    .addColumn('from_user_id', 'text')
    .addPrimaryKeyConstraint('customer_transfer_request_items_pk', ['request_id', 'customer_id'])
    .execute();
  await db.schema
    .createIndex('customer_transfer_request_items_customer')
    .on('customer_transfer_request_items')
    .columns(['customer_id', 'request_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('customer_transfer_request_items').ifExists().execute();
  await db.schema.dropTable('customer_transfer_requests').ifExists().execute();
}
