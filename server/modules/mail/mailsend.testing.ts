import type { FastifyInstance } from 'fastify';
import type { MailServers } from '@server/test/mail-servers';
import { newId, nowIso } from '@server/db/ids';

/** Test helpers of the sending tests: accounts written straight into the database, received mail to reply to. */

let seq = 0;

/** A unique server user (= address) per call: the servers live for the whole file. */
export function serverUser(prefix = 's'): string {
  seq++;
  return `${prefix}${seq}-${Date.now().toString(36)}@example.test`;
}

/** Adds a server user (unless `serverPassword` is null) and a CRM account of `userId` for it (plain connections). */
export async function seedAccount(
  app: FastifyInstance,
  s: MailServers,
  userId: string,
  opts: { protocol?: 'imap' | 'pop3'; password?: string; serverPassword?: string | null; displayName?: string | null } = {},
): Promise<{ id: string; address: string; password: string }> {
  const address = serverUser(opts.protocol === 'pop3' ? 'p' : 'i');
  const serverPassword = opts.serverPassword === undefined ? `pw-${seq}` : opts.serverPassword;
  if (serverPassword !== null) await s.addUser(address, serverPassword);
  const password = opts.password ?? serverPassword ?? 'whatever-1';
  const protocol = opts.protocol ?? 'imap';
  const id = newId();
  const now = nowIso();
  await app.ctx.db
    .insertInto('mail_accounts')
    .values({
      id,
      version: 1,
      created_by: userId,
      created_at: now,
      updated_at: now,
      deleted_at: null,
      user_id: userId,
      name: protocol,
      address,
      display_name: opts.displayName ?? null,
      incoming_protocol: protocol,
      incoming_host: s.host,
      incoming_port: protocol === 'imap' ? s.imap : s.pop3,
      incoming_security: 'none',
      smtp_host: s.host,
      smtp_port: s.smtp,
      smtp_security: 'none',
      username: address,
      password_enc: app.ctx.secrets.encrypt(password),
      delete_after_fetch: 0,
      mark_as_read: 0,
      allow_self_signed: 0,
      fetch_since: '2020-01-01',
      fetch_interval_minutes: 10,
      signature: null,
      is_default: 1,
      enabled: 1,
      last_fetch_at: null,
      next_fetch_at: null,
      last_error: null,
      last_error_code: null,
      last_error_at: null,
      failures: 0,
    })
    .execute();
  return { id, address, password };
}

/** A received message in the user's inbox (to reply to or forward); attachments are stored file ids. */
export async function seedReceived(
  app: FastifyInstance,
  userId: string,
  accountId: string,
  opts: {
    messageId?: string | null;
    references?: string | null;
    subject?: string;
    attachments?: { fileId: string; name: string; mime: string; size: number }[];
  } = {},
): Promise<string> {
  const id = newId();
  const now = nowIso();
  await app.ctx.db
    .insertInto('mail_messages')
    .values({
      id,
      version: 1,
      created_by: null,
      created_at: now,
      updated_at: now,
      deleted_at: null,
      account_id: accountId,
      user_id: userId,
      folder: 'inbox',
      previous_folder: null,
      dedupe_key: `m:${id}`,
      message_id: opts.messageId === undefined ? `<${id}@client.test>` : opts.messageId,
      in_reply_to: null,
      references_header: opts.references ?? null,
      subject: opts.subject ?? '询价',
      from_address: 'wang@client.test',
      from_name: '王总',
      to_addresses: '[]',
      cc_addresses: '[]',
      bcc_addresses: '[]',
      sent_at: now,
      received_at: now,
      text_body: 'hello',
      html_body: null,
      snippet: 'hello',
      size: 10,
      has_attachments: opts.attachments?.length ? 1 : 0,
      seen: 0,
      starred: 0,
      raw_file_id: null,
      remote_folder: null,
      remote_uid: null,
      pop3_uidl: null,
      send_status: null,
      send_error: null,
      batch_id: null,
    })
    .execute();
  for (const a of opts.attachments ?? []) {
    await app.ctx.db.updateTable('files').set({ entity: 'mail_message', entity_id: id }).where('id', '=', a.fileId).execute();
    await app.ctx.db
      .insertInto('mail_attachments')
      .values({ id: newId(), message_id: id, file_id: a.fileId, name: a.name, mime: a.mime, size: a.size, content_id: null, inline: 0 })
      .execute();
  }
  return id;
}
