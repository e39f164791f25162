import { afterAll, describe, expect, it } from 'vitest';
import { startMailServers, MAIL_SERVERS_SKIPPED } from '@server/test/mail-servers';
import { classifyMailError, MailProtocolError, type MailConnectOptions } from './errors';
import { openImap } from './imap';
import { smtpTransport } from './smtp';
import { closedPort, tcpServer } from './test-helpers';

const fail = async (p: Promise<unknown>): Promise<MailProtocolError> => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  if (!err) throw new Error('expected a failure');
  return classifyMailError(err);
};

describe('IMAP and SMTP against silent and closed ports', () => {
  const opts = (port: number, security: MailConnectOptions['security']): MailConnectOptions => ({
    host: '127.0.0.1',
    port,
    security,
    username: 'u',
    password: 'p',
    allowSelfSigned: false,
    timeoutMs: 300,
  });

  for (const security of ['none', 'tls'] as const) {
    it(`a silent server → mail_timeout quickly (${security})`, async () => {
      const server = await tcpServer(() => undefined);
      const t0 = Date.now();
      expect((await fail(openImap(opts(server.port, security)))).code).toBe('mail_timeout');
      expect((await fail(smtpTransport(opts(server.port, security)).verify())).code).toBe('mail_timeout');
      expect(Date.now() - t0).toBeLessThan(3000);
      await server.close();
    });
  }

  it('a closed port → mail_connect_failed', async () => {
    const port = await closedPort();
    expect((await fail(openImap(opts(port, 'none')))).code).toBe('mail_connect_failed');
    expect((await fail(smtpTransport(opts(port, 'none')).verify())).code).toBe('mail_connect_failed');
  });
});

const servers = await startMailServers();

describe.skipIf(!servers)(servers ? 'IMAP and SMTP against Dovecot and the SMTP receiver' : MAIL_SERVERS_SKIPPED, () => {
  const s = servers!;
  afterAll(() => s?.stop());
  const user = 'imap@example.test';
  const password = 'imap-secret';
  const imap = (over: Partial<MailConnectOptions> = {}): MailConnectOptions => ({
    host: s.host,
    port: s.imap,
    security: 'none',
    username: user,
    password,
    allowSelfSigned: false,
    timeoutMs: 5000,
    ...over,
  });
  const smtp = (over: Partial<MailConnectOptions> = {}) => imap({ port: s.smtp, ...over });

  it('IMAP: logs in over plain, STARTTLS and implicit TLS (self-signed allowed); INBOX readable', async () => {
    await s.addUser(user, password);
    await s.deliver(user, 'Subject: hello\r\nMessage-ID: <m1@test>\r\n\r\nbody\r\n');
    for (const over of [{}, { security: 'starttls' as const }, { security: 'tls' as const, port: s.imaps }]) {
      const client = await openImap(imap({ ...over, allowSelfSigned: true }));
      const box = await client.mailboxOpen('INBOX');
      expect(box.exists).toBe(1);
      expect(client.secureConnection).toBe(Boolean(over.security));
      await client.logout();
    }
  });

  it('IMAP: the self-signed certificate is refused unless allowed (STARTTLS and implicit TLS)', async () => {
    for (const over of [{ security: 'starttls' as const }, { security: 'tls' as const, port: s.imaps }]) {
      const err = await fail(openImap(imap(over)));
      expect(err.code).toBe('mail_tls_untrusted');
    }
  });

  it('IMAP: wrong password → mail_auth_failed with the server reply', async () => {
    const err = await fail(openImap(imap({ password: 'wrong' })));
    expect(err.code).toBe('mail_auth_failed');
    expect(err.serverReply).toBe('NO [AUTHENTICATIONFAILED] Authentication failed.');
  });

  it('SMTP: verify and send over STARTTLS and implicit TLS; the receiver records it', async () => {
    for (const over of [{ security: 'starttls' as const }, { security: 'tls' as const, port: s.smtps }]) {
      const transport = smtpTransport(smtp({ ...over, allowSelfSigned: true }));
      await transport.verify();
      await transport.sendMail({
        from: user,
        to: 'buyer@customer.test',
        subject: `via ${over.security}`,
        text: '报价单已发送',
      });
      transport.close();
    }
    const sent = s.sentMessages();
    expect(sent.map((m) => m.envelope)).toEqual([
      { from: user, to: ['buyer@customer.test'] },
      { from: user, to: ['buyer@customer.test'] },
    ]);
    expect(sent[1].raw.toString()).toContain('Subject: via tls');
  });

  it('SMTP: plain (no TLS) login works when the account says none', async () => {
    const transport = smtpTransport(smtp());
    await transport.verify();
    transport.close();
  });

  it('SMTP: self-signed certificate refused unless allowed; wrong password → mail_auth_failed (535)', async () => {
    for (const over of [{ security: 'starttls' as const }, { security: 'tls' as const, port: s.smtps }]) {
      expect((await fail(smtpTransport(smtp(over)).verify())).code).toBe('mail_tls_untrusted');
    }
    const err = await fail(smtpTransport(smtp({ password: 'wrong', security: 'starttls', allowSelfSigned: true })).verify());
    expect(err.code).toBe('mail_auth_failed');
    expect(err.serverReply).toMatch(/^535/);
  });
});
