import type { CreateMailAccountBody, MailAccount } from '@common/schemas/mail';
import type { MailServers } from '@server/test/mail-servers';
import type { Client } from '@server/test/app';

/** Test helpers for the mail fetch tests: message sources and accounts on the real test servers. */

let seq = 0;
/** A unique mailbox name per test (the servers live for the whole file). */
export function mailboxName(prefix = 'u'): string {
  seq++;
  return `${prefix}${seq}-${Date.now().toString(36)}@example.test`;
}

/** A small RFC 5322 message; messageId null leaves the header out (dedupe by hash). */
export function rawMessage(
  opts: { messageId?: string | null; from?: string; to?: string; subject?: string; date?: Date; body?: string; headers?: string[] } = {},
): string {
  const id = opts.messageId === undefined ? `<${Date.now().toString(36)}.${++seq}@sender.test>` : opts.messageId;
  const lines = [
    `From: ${opts.from ?? 'Sender <sender@sender.test>'}`,
    `To: ${opts.to ?? 'me@example.test'}`,
    `Subject: ${opts.subject ?? `hello ${seq}`}`,
    `Date: ${(opts.date ?? new Date()).toUTCString().replace('GMT', '+0000')}`,
    ...(id ? [`Message-ID: ${id}`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    ...(opts.headers ?? []),
    '',
    opts.body ?? `body ${seq}`,
    '',
  ];
  return lines.join('\r\n');
}

/** An account body for `user` on the test servers (plain connections unless told). */
export function accountBody(
  s: MailServers,
  user: string,
  password: string,
  protocol: 'imap' | 'pop3',
  over: Partial<CreateMailAccountBody> = {},
): Record<string, unknown> {
  return {
    name: `${protocol} ${user}`,
    address: user,
    incoming: { protocol, host: s.host, port: protocol === 'imap' ? s.imap : s.pop3, security: 'none' },
    smtp: { host: s.host, port: s.smtp, security: 'none' },
    username: user,
    password,
    fetchSince: '2020-01-01',
    ...over,
  };
}

/** Adds a server user and a CRM account for it; returns both. */
export async function newAccount(
  s: MailServers,
  client: Client,
  protocol: 'imap' | 'pop3',
  over: Partial<CreateMailAccountBody> = {},
): Promise<{ user: string; password: string; account: MailAccount }> {
  const user = mailboxName(protocol === 'imap' ? 'i' : 'p');
  const password = `pw-${seq}`;
  await s.addUser(user, password);
  const res = await client.post('/api/v1/mail/accounts', accountBody(s, user, password, protocol, over));
  if (res.statusCode !== 201) throw new Error(`account: ${res.statusCode} ${res.body}`);
  return { user, password, account: res.json<MailAccount>() };
}
