import type { Kysely } from 'kysely';

/**
 * The customer central database (客户中央数据库): customers and partners, duplicate keys, team,
 * owner history, contacts, leads, important dates, follow-ups, schedules, customer reports,
 * data-quality events; plus generic platform tables later modules reuse: custom field
 * definitions, saved list views, files (attachments), numbering sequences, import/export runs.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const record = (name: string) =>
    db.schema
      .createTable(name)
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('deleted_at', 'text');

  await record('customers')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('customer'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('short_name', 'text')
    .addColumn('code', 'text')
    .addColumn('category', 'text')
    .addColumn('stage', 'text')
    .addColumn('importance', 'text')
    .addColumn('source', 'text')
    .addColumn('industry', 'text')
    .addColumn('region_code', 'text')
    .addColumn('address', 'text')
    .addColumn('latitude', 'real')
    .addColumn('longitude', 'real')
    .addColumn('phones', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('website', 'text')
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('owner_id', 'text')
    .addColumn('owner_department_id', 'text')
    .addColumn('pooled_at', 'text')
    .addColumn('locked', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_contact_at', 'text')
    .addColumn('next_follow_up_at', 'text')
    .addColumn('last_deal_at', 'text')
    .addColumn('recycle_warned_at', 'text')
    .addColumn('notes', 'text')
    .addColumn('custom', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  // scoped list pages: owner / owner's department, newest first (keyset on id)
  await db.schema.createIndex('customers_owner').on('customers').columns(['owner_id', 'id']).execute();
  await db.schema.createIndex('customers_department').on('customers').columns(['owner_department_id', 'id']).execute();
  await db.schema.createIndex('customers_stage').on('customers').columns(['stage', 'id']).execute();
  await db.schema.createIndex('customers_pool').on('customers').columns(['pooled_at']).execute();
  await db.schema.createIndex('customers_code').on('customers').column('code').execute();
  await db.schema.createIndex('customers_last_contact').on('customers').columns(['owner_id', 'last_contact_at']).execute();

  // duplicate keys of live customers: 'n:<normalised name>' and 'p:<phone digits>'. The primary key
  // makes the duplicate check race-free on both databases; rows leave with the customer.
  await db.schema
    .createTable('customer_keys')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('customer_keys_customer').on('customer_keys').column('customer_id').execute();

  await db.schema
    .createTable('customer_team')
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('access', 'text', (c) => c.notNull())
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('customer_team_pk', ['customer_id', 'user_id'])
    .execute();
  await db.schema.createIndex('customer_team_user').on('customer_team').columns(['user_id', 'customer_id']).execute();

  await db.schema
    .createTable('customer_owner_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('from_user_id', 'text')
    .addColumn('to_user_id', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('actor_id', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('customer_owner_history_customer').on('customer_owner_history').columns(['customer_id', 'at']).execute();

  await record('contacts')
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('department', 'text')
    .addColumn('mobile', 'text')
    .addColumn('phone', 'text')
    .addColumn('email', 'text')
    .addColumn('wechat', 'text')
    .addColumn('birthday', 'text')
    .addColumn('hobbies', 'text')
    .addColumn('id_number', 'text')
    .addColumn('notes', 'text')
    .addColumn('is_primary', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('decision_maker', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reports_to_id', 'text')
    .addColumn('custom', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('contacts_customer').on('contacts').columns(['customer_id', 'id']).execute();
  await db.schema.createIndex('contacts_email').on('contacts').column('email').execute();

  await record('leads')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('company', 'text')
    .addColumn('title', 'text')
    .addColumn('mobile', 'text')
    .addColumn('phone', 'text')
    .addColumn('email', 'text')
    .addColumn('wechat', 'text')
    .addColumn('source', 'text')
    .addColumn('industry', 'text')
    .addColumn('region_code', 'text')
    .addColumn('address', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('new'))
    .addColumn('owner_id', 'text')
    .addColumn('owner_department_id', 'text')
    .addColumn('last_contact_at', 'text')
    .addColumn('next_follow_up_at', 'text')
    .addColumn('converted_customer_id', 'text')
    .addColumn('converted_contact_id', 'text')
    .addColumn('converted_at', 'text')
    .addColumn('notes', 'text')
    .addColumn('custom', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('leads_owner').on('leads').columns(['owner_id', 'id']).execute();
  await db.schema.createIndex('leads_department').on('leads').columns(['owner_department_id', 'id']).execute();

  await db.schema
    .createTable('important_dates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('repeat', 'text', (c) => c.notNull())
    .addColumn('remind_days', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_reminded_for', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .execute();
  await db.schema.createIndex('important_dates_customer').on('important_dates').column('customer_id').execute();

  await record('follow_ups')
    .addColumn('customer_id', 'text')
    .addColumn('lead_id', 'text')
    .addColumn('contact_id', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('next_step', 'text')
    .addColumn('next_at', 'text')
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('owner_department_id', 'text')
    .execute();
  await db.schema.createIndex('follow_ups_customer').on('follow_ups').columns(['customer_id', 'at']).execute();
  await db.schema.createIndex('follow_ups_lead').on('follow_ups').columns(['lead_id', 'at']).execute();
  await db.schema.createIndex('follow_ups_owner').on('follow_ups').columns(['owner_id', 'at']).execute();

  await record('schedules')
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('owner_department_id', 'text')
    .addColumn('customer_id', 'text')
    .addColumn('lead_id', 'text')
    .addColumn('contact_id', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('start_at', 'text', (c) => c.notNull())
    .addColumn('end_at', 'text')
    .addColumn('all_day', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('remind_minutes', 'integer')
    .addColumn('reminded_at', 'text')
    .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('done_at', 'text')
    .execute();
  await db.schema.createIndex('schedules_owner').on('schedules').columns(['owner_id', 'start_at']).execute();
  await db.schema.createIndex('schedules_customer').on('schedules').columns(['customer_id', 'start_at']).execute();

  await db.schema
    .createTable('customer_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('target_customer_id', 'text')
    .addColumn('note', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('reporter_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('resolution_note', 'text')
    .execute();
  await db.schema.createIndex('customer_reports_status').on('customer_reports').columns(['status', 'id']).execute();

  // counted by the data-quality report: duplicate attempts, incomplete saves, overdue visits
  await db.schema
    .createTable('customer_quality_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text')
    .addColumn('detail', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('customer_quality_events_user').on('customer_quality_events').columns(['user_id', 'at']).execute();
  await db.schema.createIndex('customer_quality_events_at').on('customer_quality_events').columns(['at']).execute();

  // generic: custom fields (属性定义) of any entity; values live in the record's `custom` JSON
  await record('custom_fields')
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('options', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('required', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('custom_fields_entity').on('custom_fields').columns(['entity', 'key']).execute();

  // generic: saved list views, mine or shared
  await record('saved_views')
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('shared', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('config', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('saved_views_owner').on('saved_views').columns(['entity', 'owner_id']).execute();

  // generic: uploaded files (attachments, import workbooks, export results); bytes on disk
  await db.schema
    .createTable('files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('entity', 'text')
    .addColumn('entity_id', 'text')
    .addColumn('owner_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .execute();
  await db.schema.createIndex('files_entity').on('files').columns(['entity', 'entity_id']).execute();

  // generic: numbering rules' counters (customer code …), incremented inside the record's transaction
  await db.schema
    .createTable('sequences')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'integer', (c) => c.notNull())
    .execute();

  // generic: Excel import / export runs with progress
  await db.schema
    .createTable('data_transfers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('params', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('result', 'text')
    .addColumn('input_file_id', 'text')
    .addColumn('output_file_id', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('data_transfers_user').on('data_transfers').columns(['user_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'data_transfers',
    'sequences',
    'files',
    'saved_views',
    'custom_fields',
    'customer_quality_events',
    'customer_reports',
    'schedules',
    'follow_ups',
    'important_dates',
    'leads',
    'contacts',
    'customer_owner_history',
    'customer_team',
    'customer_keys',
    'customers',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
