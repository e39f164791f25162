import fs from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { startMailServers, MAIL_SERVERS_SKIPPED } from './mail-servers';

const started = Date.now();
const servers = await startMailServers();
const startMs = Date.now() - started;

/** A raw POP3 exchange: each command's first reply line. */
async function pop3Lines(socket: net.Socket, commands: string[]): Promise<string[]> {
  const replies: string[] = [];
  let buffer = '';
  const next = () =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const at = buffer.indexOf('\r\n');
        if (at < 0) return false;
        const line = buffer.slice(0, at);
        buffer = buffer.slice(at + 2);
        socket.off('data', onData);
        resolve(line);
        return true;
      };
      const onData = (d: Buffer) => {
        buffer += d.toString('latin1');
        check();
      };
      if (!check()) {
        socket.on('data', onData);
        socket.once('error', reject);
      }
    });
  replies.push(await next());
  for (const c of commands) {
    socket.write(`${c}\r\n`);
    replies.push(await next());
  }
  return replies;
}

describe.skipIf(!servers)(servers ? 'real mail servers' : MAIL_SERVERS_SKIPPED, () => {
  const s = servers!;
  afterAll(() => s?.stop());

  it('starts quickly', () => {
    console.log(`[mail-servers] Dovecot + SMTP receiver started in ${startMs} ms`);
    expect(startMs).toBeLessThan(5000);
  });

  it('delivers over LMTP and serves IMAP with STARTTLS; UIDVALIDITY can be reset', async () => {
    await s.addUser('alice@example.test', 'pw-alice');
    await s.deliver('alice@example.test', 'Subject: one\r\nFrom: a@b.test\r\n\r\nhello\r\n');
    const open = async () => {
      const client = new ImapFlow({
        host: s.host,
        port: s.imap,
        secure: false,
        doSTARTTLS: true,
        logger: false,
        auth: { user: 'alice@example.test', pass: 'pw-alice' },
        tls: { ca: s.caPem, servername: 'localhost' },
      });
      await client.connect();
      return client;
    };
    let client = await open();
    const box = await client.mailboxOpen('INBOX');
    expect(box.exists).toBe(1);
    const before = box.uidValidity;
    await client.logout();
    await s.resetUidValidity('alice@example.test');
    client = await open();
    const after = (await client.mailboxOpen('INBOX')).uidValidity;
    expect(after).not.toBe(before);
    await client.logout();
  });

  it('serves IMAPS and POP3S with the certificate in caPem', async () => {
    await s.addUser('bob', 'pw-bob');
    const client = new ImapFlow({
      host: s.host,
      port: s.imaps,
      secure: true,
      logger: false,
      auth: { user: 'bob', pass: 'pw-bob' },
      tls: { ca: s.caPem },
    });
    await client.connect();
    await client.logout();
    const socket = tls.connect({ host: s.host, port: s.pop3s, ca: s.caPem });
    const lines = await pop3Lines(socket, ['USER bob', 'PASS pw-bob', 'STAT', 'QUIT']);
    socket.destroy();
    expect(lines[0]).toMatch(/^\+OK/);
    expect(lines[3]).toBe('+OK 0 0');
  });

  it('answers a correct POP3 login at once after a failed one (no auth penalty)', async () => {
    await s.addUser('carol', 'pw-carol');
    const socket = net.connect(s.pop3, s.host);
    const t1 = Date.now();
    const bad = await pop3Lines(socket, ['USER carol', 'PASS wrong']);
    expect(bad[2]).toMatch(/^-ERR \[AUTH\]/);
    console.log(`[mail-servers] failed POP3 login answered in ${Date.now() - t1} ms`);
    const t0 = Date.now();
    const good = await pop3Lines(net.connect(s.pop3, s.host), ['USER carol', 'PASS pw-carol', 'CAPA']);
    expect(good[2]).toMatch(/^\+OK/);
    expect(Date.now() - t0).toBeLessThan(500);
    socket.destroy();
  });

  it('accepts SMTP (STARTTLS and implicit TLS), records it and delivers local recipients', async () => {
    await s.addUser('dave@example.test', 'pw-dave');
    const starttls = nodemailer.createTransport({
      host: s.host,
      port: s.smtp,
      secure: false,
      requireTLS: true,
      auth: { user: 'dave@example.test', pass: 'pw-dave' },
      tls: { ca: s.caPem },
    });
    await starttls.sendMail({ from: 'dave@example.test', to: ['dave@example.test', 'x@elsewhere.test'], subject: 'hi', text: 'body' });
    const implicit = nodemailer.createTransport({
      host: s.host,
      port: s.smtps,
      secure: true,
      auth: { user: 'dave@example.test', pass: 'pw-dave' },
      tls: { ca: s.caPem },
    });
    await implicit.sendMail({ from: 'dave@example.test', to: 'y@elsewhere.test', subject: 'two', text: 'body' });
    await expect(
      nodemailer
        .createTransport({ host: s.host, port: s.smtp, secure: false, ignoreTLS: true, auth: { user: 'dave@example.test', pass: 'nope' } })
        .verify(),
    ).rejects.toMatchObject({ responseCode: 535 });
    const sent = s.sentMessages();
    expect(sent.map((m) => m.envelope)).toEqual([
      { from: 'dave@example.test', to: ['dave@example.test', 'x@elsewhere.test'] },
      { from: 'dave@example.test', to: ['y@elsewhere.test'] },
    ]);
    expect(sent[0].raw.toString()).toContain('Subject: hi');
    const client = new ImapFlow({
      host: s.host,
      port: s.imap,
      secure: false,
      logger: false,
      auth: { user: 'dave@example.test', pass: 'pw-dave' },
      tls: { ca: s.caPem },
    });
    await client.connect();
    expect((await client.mailboxOpen('INBOX')).exists).toBe(1);
    await client.logout();
  });

  it('stop() ends Dovecot and removes its directory', async () => {
    // ours: the directory whose config has our IMAP port (other test files run their own at the same time)
    const ours = fs
      .readdirSync('/tmp')
      .filter((n) => n.startsWith('xd-'))
      .map((n) => `/tmp/${n}`)
      .filter((d) => fs.existsSync(`${d}/dovecot.conf`) && fs.readFileSync(`${d}/dovecot.conf`, 'utf8').includes(`port = ${s.imap}\n`));
    expect(ours.length).toBe(1);
    await s.stop();
    const refused = await new Promise<boolean>((resolve) => {
      const c = net.connect(s.imap, s.host);
      c.once('connect', () => (c.destroy(), resolve(false)));
      c.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
    expect(fs.existsSync(ours[0])).toBe(false);
  });
});
