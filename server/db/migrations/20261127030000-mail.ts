import type { Kysely } from 'kysely';

/**
 * 外部邮箱: users' mail accounts (POP3 / IMAP + SMTP), fetch state per account, stored messages
 * with attachments and their links to contacts / customers, group sending (群发) runs; plus the
 * one-time links (invitation, password reset) the system mail account sends.
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

  await record('mail_accounts')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text')
    // pop3 | imap
    .addColumn('incoming_protocol', 'text', (c) => c.notNull())
    .addColumn('incoming_host', 'text', (c) => c.notNull())
    .addColumn('incoming_port', 'integer', (c) => c.notNull())
    // tls | starttls | none
    .addColumn('incoming_security', 'text', (c) => c.notNull())
    .addColumn('smtp_host', 'text', (c) => c.notNull())
    .addColumn('smtp_port', 'integer', (c) => c.notNull())
    .addColumn('smtp_security', 'text', (c) => c.notNull())
    .addColumn('username', 'text', (c) => c.notNull())
    // encrypted with the platform secrets (never returned, never logged)
    .addColumn('password_enc', 'text', (c) => c.notNull())
    .addColumn('delete_after_fetch', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('mark_as_read', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('allow_self_signed', 'integer', (c) => c.notNull().defaultTo(0))
    // first fetch takes mail from this date on (YYYY-MM-DD), not the whole mailbox
    .addColumn('fetch_since', 'text', (c) => c.notNull())
    .addColumn('fetch_interval_minutes', 'integer', (c) => c.notNull().defaultTo(10))
    .addColumn('signature', 'text')
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('last_fetch_at', 'text')
    .addColumn('next_fetch_at', 'text')
    // the last failure in the owner's words, with its code; cleared by a successful run
    .addColumn('last_error', 'text')
    .addColumn('last_error_code', 'text')
    .addColumn('last_error_at', 'text')
    // consecutive failures, for the retry backoff
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    // a fetch run holds the account until this time (renewed while it runs), so two instances or a
    // "receive now" beside the scheduled run never fetch one account at once; a killed run's lease lapses
    .addColumn('fetch_lease_until', 'text')
    .addColumn('fetch_lease_by', 'text')
    .execute();
  await db.schema.createIndex('mail_accounts_user').on('mail_accounts').columns(['user_id', 'id']).execute();
  await db.schema.createIndex('mail_accounts_due').on('mail_accounts').columns(['enabled', 'next_fetch_at']).execute();

  // IMAP: per folder UIDVALIDITY and the highest UID stored; POP3 uses mail_pop3_seen
  await db.schema
    .createTable('mail_sync_state')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('folder', 'text', (c) => c.notNull())
    .addColumn('uidvalidity', 'text')
    .addColumn('last_uid', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('mail_sync_state_pk', ['account_id', 'folder'])
    .execute();

  // POP3: every UIDL taken in (committed); deleted_at once removed from the server
  await db.schema
    .createTable('mail_pop3_seen')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('uidl', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('fetched_at', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .addPrimaryKeyConstraint('mail_pop3_seen_pk', ['account_id', 'uidl'])
    .execute();

  await record('mail_messages')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    // inbox | sent | drafts | trash
    .addColumn('folder', 'text', (c) => c.notNull())
    // the folder it was in before trash (restore)
    .addColumn('previous_folder', 'text')
    // per account: 'm:<Message-ID>' or 'h:<sha256 of the source>' for received mail, 'o:<id>' for outgoing
    .addColumn('dedupe_key', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('in_reply_to', 'text')
    .addColumn('references_header', 'text')
    .addColumn('subject', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('from_address', 'text')
    .addColumn('from_name', 'text')
    // JSON { name, address }[]
    .addColumn('to_addresses', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('cc_addresses', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('bcc_addresses', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('sent_at', 'text')
    .addColumn('received_at', 'text')
    .addColumn('text_body', 'text')
    // HTML as received (sanitised when read: scripts out, remote images on request)
    .addColumn('html_body', 'text')
    .addColumn('snippet', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('size', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('has_attachments', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('seen', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('starred', 'integer', (c) => c.notNull().defaultTo(0))
    // the raw source as a stored file (received and sent mail)
    .addColumn('raw_file_id', 'text')
    // where it came from on the server
    .addColumn('remote_folder', 'text')
    .addColumn('remote_uid', 'integer')
    .addColumn('pop3_uidl', 'text')
    // outgoing: draft | sending | sent | failed
    .addColumn('send_status', 'text')
    .addColumn('send_error', 'text')
    .addColumn('batch_id', 'text')
    .execute();
  await db.schema.createIndex('mail_messages_dedupe').on('mail_messages').columns(['account_id', 'dedupe_key']).unique().execute();
  await db.schema.createIndex('mail_messages_folder').on('mail_messages').columns(['user_id', 'folder', 'id']).execute();
  await db.schema.createIndex('mail_messages_account').on('mail_messages').columns(['account_id', 'folder', 'id']).execute();

  await db.schema
    .createTable('mail_attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('file_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    // inline images referenced as cid: in the HTML
    .addColumn('content_id', 'text')
    .addColumn('inline', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('mail_attachments_message').on('mail_attachments').column('message_id').execute();

  // a message ↔ customer (and the contact whose address matched, if any); merges move customer_id
  await db.schema
    .createTable('mail_links')
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text')
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('mail_links_pk', ['message_id', 'customer_id', 'address'])
    .execute();
  await db.schema.createIndex('mail_links_customer').on('mail_links').columns(['customer_id', 'at']).execute();
  await db.schema.createIndex('mail_links_contact').on('mail_links').columns(['contact_id', 'at']).execute();

  // 群发: one run to many contacts, in batches of at most 10 with a pause between batches
  await db.schema
    .createTable('mail_batches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('html', 'text', (c) => c.notNull())
    // JSON file ids
    .addColumn('attachments', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('batch_size', 'integer', (c) => c.notNull().defaultTo(10))
    .addColumn('pause_seconds', 'integer', (c) => c.notNull().defaultTo(30))
    // queued | running | done | cancelled
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('mail_batches_user').on('mail_batches').columns(['user_id', 'id']).execute();
  await db.schema
    .createTable('mail_batch_recipients')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('batch_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('contact_id', 'text')
    .addColumn('customer_id', 'text')
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    // JSON merge values: 称呼, 公司名 …
    .addColumn('merge', 'text', (c) => c.notNull().defaultTo('{}'))
    // pending | sent | failed
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('message_id', 'text')
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema.createIndex('mail_batch_recipients_batch').on('mail_batch_recipients').columns(['batch_id', 'seq']).execute();

  // one-time links mailed by the system account: invitation (72 h) and password reset
  await db.schema
    .createTable('user_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    // invite | reset
    .addColumn('kind', 'text', (c) => c.notNull())
    // sha256 of the token; the token itself is only in the mail
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('user_links_user').on('user_links').columns(['user_id', 'kind']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'user_links',
    'mail_batch_recipients',
    'mail_batches',
    'mail_links',
    'mail_attachments',
    'mail_messages',
    'mail_pop3_seen',
    'mail_sync_state',
    'mail_accounts',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
