import { afterAll, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { startMailServers, MAIL_SERVERS_SKIPPED } from '@server/test/mail-servers';
import { MailProtocolError, type MailConnectOptions } from './errors';
import { Pop3Client, Pop3ReplyReader } from './pop3-client';
import { closedPort, dotStuff, pieces, prng, rechunkingProxy, tcpServer } from './test-helpers';

const A = (s: string) => Buffer.from(s, 'latin1');

/** A message whose lines start with dots, with 8-bit GBK bytes, a lone CR and a line that is just ".". */
function trickyMessage(id: string, bareLineEnds = true): Buffer {
  return Buffer.concat([
    A(`Message-ID: <${id}@test>\r\nSubject: dots\r\nContent-Type: text/plain; charset=GBK\r\n`),
    A('Content-Transfer-Encoding: 8bit\r\n\r\n'),
    iconv.encode('客户报价：￥100，谢谢！', 'gbk'),
    A('\r\n.\r\n..\r\n.leading dot\r\n...three\r\n'),
    // Dovecot stores LF line ends and serves CRLF: bare ones only for the scripted server
    A(bareLineEnds ? 'a lone \r CR and \n a bare LF\r\n' : 'no bare line ends\r\n'),
    Buffer.from([0x80, 0xff, 0xfe, 0x2e, 0x0d, 0x0a]),
    A('.\r\nlast line\r\n'),
  ]);
}

/** Feeds a reply to a reader in 1–8 byte pieces; returns what the reader produced. */
function readPieces(wire: Buffer, multiline: boolean, seed: number) {
  const reader = new Pop3ReplyReader(multiline);
  for (const p of pieces(wire, prng(seed))) {
    const done = reader.feed(p);
    if (done) return done;
  }
  throw new Error('reply not complete');
}

describe('POP3 reply reader (re-chunked into 1–8 byte pieces)', () => {
  const cases: { name: string; body: Buffer }[] = [
    { name: 'empty message', body: Buffer.alloc(0) },
    { name: 'dot-stuffed lines, GBK bytes, lone CR', body: trickyMessage('t1') },
    { name: 'body that starts with a dot line', body: A('.\r\n..\r\nx\r\n') },
  ];
  for (const c of cases) {
    it(`undoes dot-stuffing and keeps every byte: ${c.name}`, () => {
      for (let seed = 1; seed <= 50; seed++) {
        const after = A('+OK next\r\n');
        const wire = Buffer.concat([A('+OK message follows\r\n'), dotStuff(c.body), after]);
        const done = readPieces(wire, true, seed);
        expect(done.line).toBe('+OK message follows');
        expect(done.body!.equals(c.body)).toBe(true);
      }
    });
  }

  it('reads a single-line reply and an -ERR to a multi-line command', () => {
    expect(readPieces(A('+OK 2 320\r\n'), false, 7).line).toBe('+OK 2 320');
    const err = readPieces(A('-ERR no such message\r\n'), true, 9);
    expect([err.line, err.body]).toEqual(['-ERR no such message', null]);
  });

  it('reads a 10 MB message in 1–8 byte pieces byte for byte', () => {
    const line = Buffer.concat([A('.'), iconv.encode('报价单明细第', 'gbk'), A('行 ................\r\n')]);
    const body = Buffer.concat(Array.from({ length: Math.ceil((10 * 1024 * 1024) / line.length) }, () => line));
    const done = readPieces(Buffer.concat([A('+OK\r\n'), dotStuff(body)]), true, 42);
    expect(done.body!.length).toBe(body.length);
    expect(done.body!.equals(body)).toBe(true);
  });
});

describe('POP3 client against scripted servers', () => {
  const opts = (port: number, extra: Partial<MailConnectOptions> = {}): MailConnectOptions => ({
    host: '127.0.0.1',
    port,
    security: 'none',
    username: 'u',
    password: 'p',
    allowSelfSigned: false,
    ...extra,
  });

  it('times out quickly on a silent server', async () => {
    const server = await tcpServer(() => undefined);
    const t0 = Date.now();
    const err = await Pop3Client.connect(opts(server.port, { timeoutMs: 300 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MailProtocolError);
    expect((err as MailProtocolError).code).toBe('mail_timeout');
    expect(Date.now() - t0).toBeLessThan(2000);
    await server.close();
  });

  it('refused connection → mail_connect_failed', async () => {
    const err = await Pop3Client.connect(opts(await closedPort())).catch((e: unknown) => e);
    expect((err as MailProtocolError).code).toBe('mail_connect_failed');
  });

  // a scripted POP3 server answering in 1–8 byte pieces; RETR 2 never answers
  const message = trickyMessage('scripted');
  const scripted = (passReply: string) =>
    tcpServer((s) => {
      const random = prng(5);
      const send = async (data: Buffer) => {
        for (const p of pieces(data, random)) {
          s.write(p);
          await new Promise((r) => setImmediate(r));
        }
      };
      void send(A('+OK ready\r\n'));
      let buffer = '';
      s.on('data', (d) => {
        buffer += d.toString('latin1');
        for (let at = buffer.indexOf('\r\n'); at >= 0; at = buffer.indexOf('\r\n')) {
          const cmd = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          if (cmd.startsWith('USER')) void send(A('+OK\r\n'));
          else if (cmd.startsWith('PASS')) void send(A(`${passReply}\r\n`));
          else if (cmd === 'STAT') void send(A(`+OK 1 ${message.length}\r\n`));
          else if (cmd === 'UIDL') void send(A('+OK\r\n1 uid-one\r\n2 uid-two\r\n.\r\n'));
          else if (cmd === 'RETR 1') void send(Buffer.concat([A('+OK\r\n'), dotStuff(message)]));
          else if (cmd === 'QUIT') void send(A('+OK bye\r\n')).then(() => s.end());
        }
      });
    });

  it('logs in, lists and retrieves through replies split into tiny pieces; a stalled RETR times out', async () => {
    const server = await scripted('+OK logged in');
    const client = await Pop3Client.connect(opts(server.port, { timeoutMs: 400 }));
    expect(await client.stat()).toEqual({ count: 1, size: message.length });
    expect(await client.uidl()).toEqual([
      { num: 1, uidl: 'uid-one' },
      { num: 2, uidl: 'uid-two' },
    ]);
    expect((await client.retr(1)).equals(message)).toBe(true);
    const err = await client.retr(2).catch((e: unknown) => e);
    expect((err as MailProtocolError).code).toBe('mail_timeout');
    client.close();
    await server.close();
  });

  const refusals: [string, string][] = [
    ['-ERR [AUTH] Authentication failed.', 'mail_auth_failed'],
    ['-ERR Login fail. Please using weixin token or authorization code to login', 'mail_service_disabled'],
    ['-ERR Unsafe Login. Please contact kefu@188.com for help', 'mail_service_disabled'],
    ['-ERR POP3 service is not open', 'mail_service_disabled'],
    ['-ERR [IN-USE] Mailbox is locked by another session', 'mail_connect_failed'],
  ];
  for (const [reply, code] of refusals) {
    it(`PASS answered "${reply}" → ${code} with the server's line`, async () => {
      const server = await scripted(reply);
      const err = (await Pop3Client.connect(opts(server.port)).catch((e: unknown) => e)) as MailProtocolError;
      expect([err.code, err.serverReply]).toEqual([code, reply]);
      await server.close();
    });
  }
});

const servers = await startMailServers();

describe.skipIf(!servers)(servers ? 'POP3 client against Dovecot' : MAIL_SERVERS_SKIPPED, () => {
  const s = servers!;
  afterAll(() => s?.stop());
  const login = (over: Partial<MailConnectOptions> = {}): MailConnectOptions => ({
    host: s.host,
    port: s.pop3,
    security: 'none',
    username: 'pop@example.test',
    password: 'pop-secret',
    allowSelfSigned: false,
    timeoutMs: 5000,
    ...over,
  });
  const one = trickyMessage('one', false);
  const two = trickyMessage('two', false);

  it('retrieves messages byte for byte (dot-stuffed lines, 8-bit GBK), also re-chunked by a proxy', async () => {
    await s.addUser('pop@example.test', 'pop-secret');
    await s.deliver('pop@example.test', one);
    await s.deliver('pop@example.test', two);
    const client = await Pop3Client.connect(login());
    const stat = await client.stat();
    expect(stat.count).toBe(2);
    const uidl = await client.uidl();
    expect(uidl.map((u) => u.num)).toEqual([1, 2]);
    const first = await client.retr(1);
    // Dovecot adds Return-Path/Delivered-To/Received above the message as delivered
    expect(first.subarray(first.length - one.length).equals(one)).toBe(true);
    await client.quit();

    const proxy = await rechunkingProxy(s.host, s.pop3, 11);
    const viaProxy = await Pop3Client.connect(login({ port: proxy.port }));
    expect(await viaProxy.uidl()).toEqual(uidl);
    expect((await viaProxy.retr(1)).equals(first)).toBe(true);
    const second = await viaProxy.retr(2);
    expect(second.subarray(second.length - two.length).equals(two)).toBe(true);
    await viaProxy.quit();
    await proxy.close();
  });

  it('commits DELE only on QUIT', async () => {
    let client = await Pop3Client.connect(login());
    await client.dele(1);
    client.close();
    client = await Pop3Client.connect(login());
    expect((await client.stat()).count).toBe(2);
    await client.dele(1);
    await client.quit();
    client = await Pop3Client.connect(login());
    const left = await client.uidl();
    expect(left.length).toBe(1);
    const rest = await client.retr(1);
    expect(rest.subarray(rest.length - two.length).equals(two)).toBe(true);
    await client.quit();
  });

  it('retrieves a 10 MB message', async () => {
    await s.addUser('big@example.test', 'big-secret');
    const line = A('0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789\r\n');
    const body = Buffer.concat(Array.from({ length: Math.ceil((10 * 1024 * 1024) / line.length) }, () => line));
    const raw = Buffer.concat([A('Subject: big\r\n\r\n'), body]);
    await s.deliver('big@example.test', raw);
    const client = await Pop3Client.connect(login({ username: 'big@example.test', password: 'big-secret' }));
    const got = await client.retr(1);
    expect(got.subarray(got.length - raw.length).equals(raw)).toBe(true);
    await client.quit();
  });

  it('wrong password → mail_auth_failed with Dovecot reply', async () => {
    const err = (await Pop3Client.connect(login({ password: 'wrong' })).catch((e: unknown) => e)) as MailProtocolError;
    expect(err).toBeInstanceOf(MailProtocolError);
    expect([err.code, err.serverReply]).toEqual(['mail_auth_failed', '-ERR [AUTH] Authentication failed.']);
  });

  it('STLS and implicit TLS: the self-signed certificate only when allowed', async () => {
    for (const over of [{ security: 'starttls' as const }, { security: 'tls' as const, port: s.pop3s }]) {
      const refused = (await Pop3Client.connect(login(over)).catch((e: unknown) => e)) as MailProtocolError;
      expect(refused.code).toBe('mail_tls_untrusted');
      const client = await Pop3Client.connect(login({ ...over, allowSelfSigned: true }));
      expect((await client.stat()).count).toBe(1);
      await client.quit();
    }
  });
});
