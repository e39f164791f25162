import { SqliteAdapter, sql, type Kysely } from 'kysely';

/**
 * Keyword search index (server/db/search.ts): one row per (entity, record, gram), grams being the
 * character bigrams and single characters of the record's normalised searchable texts.
 * The primary key (entity, gram, entity_id) answers "which records hold this gram", in id order;
 * search_grams_record (entity, entity_id) serves re-indexing and removal.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema
    .createTable('search_grams')
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('gram', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('search_grams_pk', ['entity', 'gram', 'entity_id'])
    // SQLite: the table is its primary key b-tree (no separate rowid table to keep in step)
    .$call((b) => (sqlite ? b.modifyEnd(sql`without rowid`) : b))
    .execute();
  await db.schema.createIndex('search_grams_record').on('search_grams').columns(['entity', 'entity_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('search_grams').ifExists().execute();
}
