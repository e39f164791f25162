import { sql, type Kysely } from 'kysely';

/**
 * Schedules: the every-minute reminder job looks only at schedules whose reminder is still
 * pending (a small partial index, whatever the table's size); a lead's schedules are found by lead.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('schedules_pending_reminder')
    .on('schedules')
    .column('start_at')
    .where(sql<boolean>`reminded_at is null and remind_minutes is not null and done = 0 and deleted_at is null`)
    .execute();
  await db.schema.createIndex('schedules_lead').on('schedules').columns(['lead_id', 'start_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('schedules_lead').ifExists().execute();
  await db.schema.dropIndex('schedules_pending_reminder').ifExists().execute();
}
