// Real mail servers for tests: Dovecot 2.3 (IMAP, POP3, LMTP) under a config of its own in a short temp
// directory, plus an in-process SMTP receiver (smtp-server) that delivers local recipients into Dovecot over
// LMTP. Pitfalls measured on this machine (issue 5): Dovecot's stdio must not be a CI pipe, its auth penalty
// delays correct logins after failed ones, Unix socket paths are limited to 108 bytes, it refuses uid 0 for
// mail, and every parent of the mail directory must be world-traversable.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import nodemailer from 'nodemailer';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { ensureDovecot, findDovecot } from './mail-servers-install';

const run = promisify(execFile);

export type MailServers = {
  host: '127.0.0.1';
  /** Dovecot ports: plain with STARTTLS, implicit TLS. */
  imap: number;
  imaps: number;
  pop3: number;
  pop3s: number;
  /** smtp-server in-process (AUTH PLAIN/LOGIN for any user of the passwd file, STARTTLS offered). */
  smtp: number;
  /** The same receiver with implicit TLS. */
  smtps: number;
  /** The self-signed certificate every listener presents (trusted only when an account allows it). */
  caPem: string;
  addUser(user: string, password: string): Promise<void>;
  /** Straight into the user's INBOX through LMTP. */
  deliver(user: string, raw: Buffer | string): Promise<void>;
  /** Makes INBOX's UIDVALIDITY change (and with it the POP3 UIDLs). */
  resetUidValidity(user: string): Promise<void>;
  /** What the SMTP side accepted, in order. */
  sentMessages(): { envelope: { from: string; to: string[] }; raw: Buffer }[];
  stop(): Promise<void>;
};

type Ports = { imap: number; imaps: number; pop3: number; pop3s: number; lmtp: number };

const LOOPBACK = '127.0.0.1';
const DIR_PREFIX = path.join('/tmp', 'xd-');

/**
 * Starts Dovecot (own config in a short temp dir) + the SMTP receiver; resolves null (after printing why)
 * when Dovecot is not installed and cannot be installed here, or (not root) does not start — callers then
 * `describe.skip` with that message. As root a failed start rejects. Local recipients of the SMTP receiver are addresses equal to a user name (case-insensitive);
 * every message is recorded for sentMessages() whatever its recipients.
 */
export async function startMailServers(): Promise<MailServers | null> {
  const missing = await ensureDovecot();
  if (missing) {
    console.warn(`[mail-servers] real mail servers unavailable: ${missing}`);
    return null;
  }
  const bin = findDovecot()!;
  reapOrphans();
  const dir = fs.mkdtempSync(DIR_PREFIX);
  try {
    return await startIn(dir, bin);
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    // root (CI, .ci/run) must see the failure; elsewhere the tests skip with the reason
    if (process.getuid?.() === 0) throw err;
    console.warn(`[mail-servers] real mail servers unavailable: ${(err as Error).message}`);
    return null;
  }
}

/** Why startMailServers() resolved null, for `describe.skip` titles. */
export const MAIL_SERVERS_SKIPPED = 'real mail servers (Dovecot) unavailable here — see the warning above';

async function startIn(dir: string, bin: { dovecot: string; doveadm: string }): Promise<MailServers> {
  fs.chmodSync(dir, 0o755);
  const mailOwner = pickMailOwner();
  const mailDir = path.join(dir, 'mail');
  fs.mkdirSync(mailDir, { mode: 0o755 });
  fs.chownSync(mailDir, mailOwner.uid, mailOwner.gid);
  const usersDir = path.join(dir, 'users');
  fs.mkdirSync(usersDir, { mode: 0o755 });
  const { certPem, keyPem } = await makeCertificate(dir);
  const users = new Map<string, string>(); // lower-cased name → password

  let master: ChildProcess | null = null;
  let ports: Ports | null = null;
  let lastError = '';
  for (let attempt = 0; attempt < 3 && !master; attempt++) {
    ports = await freePorts();
    const conf = path.join(dir, 'dovecot.conf');
    fs.writeFileSync(conf, dovecotConfig(dir, ports, mailOwner));
    const logFile = path.join(dir, 'dovecot.log');
    fs.writeFileSync(logFile, '');
    const log = fs.openSync(logFile, 'a');
    // stdio to the log file, never inherited: a CI pipe would otherwise stay open after the tests
    const child = spawn(bin.dovecot, ['-F', '-c', conf], { stdio: ['ignore', log, log], detached: false });
    fs.closeSync(log);
    fs.writeFileSync(path.join(dir, 'owner.json'), JSON.stringify({ node: process.pid, dovecot: child.pid }));
    const ready = await waitReady(child, ports);
    if (ready) master = child;
    else {
      lastError = fs.readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n');
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }
  if (!master || !ports) throw new Error(`Dovecot did not start:\n${lastError}`);
  const dovecotPid = master.pid!;
  const killOnExit = () => {
    try {
      process.kill(dovecotPid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  };
  process.once('exit', killOnExit);

  const lmtp = nodemailer.createTransport({
    host: LOOPBACK,
    port: ports.lmtp,
    lmtp: true,
    // kept-open connections: a bench delivers thousands of messages
    pool: true,
    maxConnections: 4,
    maxMessages: Infinity,
    secure: false,
    ignoreTLS: true,
    name: 'localhost',
  });
  const deliver = async (user: string, raw: Buffer | string) => {
    await lmtp.sendMail({ envelope: { from: 'sender@localhost', to: [user] }, raw });
  };

  const sent: { envelope: { from: string; to: string[] }; raw: Buffer }[] = [];
  const smtpOptions = (secure: boolean): SMTPServerOptions => ({
    secure,
    key: keyPem,
    cert: certPem,
    name: 'localhost',
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: true,
    disabledCommands: secure ? ['STARTTLS'] : [],
    logger: false,
    size: 64 * 1024 * 1024,
    onAuth(auth, _session, cb) {
      const expected = users.get((auth.username ?? '').toLowerCase());
      if (expected === undefined || expected !== auth.password) {
        const err = Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 });
        return cb(err);
      }
      cb(null, { user: auth.username });
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', cb);
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const to = session.envelope.rcptTo.map((r) => r.address);
        sent.push({ envelope: { from, to }, raw });
        const local = to.filter((a) => users.has(a.toLowerCase()));
        Promise.all(local.map((a) => deliver(a, raw))).then(
          () => cb(),
          (err: Error) => cb(Object.assign(new Error(`4.3.0 local delivery failed: ${err.message}`), { responseCode: 451 })),
        );
      });
    },
  });
  const smtp = new SMTPServer(smtpOptions(false));
  const smtps = new SMTPServer(smtpOptions(true));
  const smtpPort = await listen(smtp);
  const smtpsPort = await listen(smtps);

  let stopped = false;
  return {
    host: LOOPBACK,
    imap: ports.imap,
    imaps: ports.imaps,
    pop3: ports.pop3,
    pop3s: ports.pop3s,
    smtp: smtpPort,
    smtps: smtpsPort,
    caPem: certPem,
    async addUser(user, password) {
      if (!/^[A-Za-z0-9._+@-]+$/.test(user)) throw new Error(`unsupported test user name: ${user}`);
      if (/[:\r\n]/.test(password)) throw new Error('test passwords may not contain ":" or line breaks');
      if (users.has(user.toLowerCase())) throw new Error(`user ${user} exists`);
      users.set(user.toLowerCase(), password);
      // one passwd-file per user: Dovecot re-reads a changed file at most once a second, a new one at once
      const file = path.join(usersDir, user.toLowerCase());
      fs.writeFileSync(`${file}.tmp`, `${user.toLowerCase()}:{PLAIN}${password}::::::\n`, { mode: 0o644 });
      fs.renameSync(`${file}.tmp`, file);
    },
    deliver,
    async resetUidValidity(user) {
      const uidValidity = String(Math.floor(Date.now() / 1000) + Math.floor(Math.random() * 100_000));
      await run(bin.doveadm, [
        '-c',
        path.join(dir, 'dovecot.conf'),
        'mailbox',
        'update',
        '-u',
        user.toLowerCase(),
        '--uid-validity',
        uidValidity,
        'INBOX',
      ]);
    },
    sentMessages: () => sent.slice(),
    async stop() {
      if (stopped) return;
      stopped = true;
      lmtp.close();
      await Promise.all([closeSmtp(smtp), closeSmtp(smtps)]);
      await stopMaster(master!);
      process.removeListener('exit', killOnExit);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Lower-cased names are used throughout (passdb, userdb, mail path, LMTP). */
function dovecotConfig(dir: string, p: Ports, owner: MailOwner): string {
  const root = process.getuid?.() === 0;
  const dh = fs.existsSync('/usr/share/dovecot/dh.pem') ? 'ssl_dh = </usr/share/dovecot/dh.pem' : '';
  // not root: every service runs as the current user, without chroot
  const unprivileged = root
    ? ''
    : `default_internal_user = ${owner.user}
default_internal_group = ${owner.group}
default_login_user = ${owner.user}
service anvil {
  chroot =
}
service imap-login {
  chroot =
}
service pop3-login {
  chroot =
}`;
  return `# written by server/test/mail-servers.ts
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap pop3 lmtp
listen = ${LOOPBACK}
ssl = yes
ssl_cert = <${dir}/cert.pem
ssl_key = <${dir}/key.pem
${dh}
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
auth_cache_size = 0
first_valid_uid = 1
mail_uid = ${owner.uid}
mail_gid = ${owner.gid}
mail_location = maildir:${dir}/mail/%Lu/Maildir
mail_fsync = never
default_vsz_limit = 1G
pop3_uidl_format = %08Xu%08Xv
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%Lu ${dir}/users/%Lu
}
userdb {
  driver = static
  args = uid=${owner.uid} gid=${owner.gid} home=${dir}/mail/%Lu
}
protocol imap {
  mail_max_userip_connections = 1000
}
protocol pop3 {
  mail_max_userip_connections = 1000
}
service imap-login {
  inet_listener imap {
    address = ${LOOPBACK}
    port = ${p.imap}
  }
  inet_listener imaps {
    address = ${LOOPBACK}
    port = ${p.imaps}
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    address = ${LOOPBACK}
    port = ${p.pop3}
  }
  inet_listener pop3s {
    address = ${LOOPBACK}
    port = ${p.pop3s}
    ssl = yes
  }
}
service lmtp {
  unix_listener lmtp {
    mode = 0600
  }
  inet_listener lmtp {
    address = ${LOOPBACK}
    port = ${p.lmtp}
  }
}
# the per-IP auth penalty would delay correct logins after failed ones
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
${unprivileged}
`;
}

/** Dovecot refuses uid 0 for mail: as root the mail belongs to `nobody`, otherwise to the current user. */
function pickMailOwner(): MailOwner {
  if (process.getuid?.() !== 0) {
    const me = os.userInfo();
    return { uid: me.uid, gid: me.gid, user: me.username, group: groupName(me.gid) };
  }
  const passwd = fs.readFileSync('/etc/passwd', 'utf8').split('\n');
  const line = passwd.find((l) => l.startsWith('nobody:'));
  if (line) {
    const [, , uid, gid] = line.split(':');
    return { uid: Number(uid), gid: Number(gid), user: 'nobody', group: groupName(Number(gid)) };
  }
  return { uid: 65534, gid: 65534, user: null, group: null };
}

function groupName(gid: number): string | null {
  try {
    const line = fs
      .readFileSync('/etc/group', 'utf8')
      .split('\n')
      .find((l) => l.split(':')[2] === String(gid));
    return line ? line.split(':')[0] : null;
  } catch {
    return null;
  }
}

type MailOwner = { uid: number; gid: number; user: string | null; group: string | null };

async function makeCertificate(dir: string): Promise<{ certPem: string; keyPem: string }> {
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  // an EC key is made in milliseconds (RSA 2048 takes a noticeable part of the start-up)
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    key,
    '-out',
    cert,
    '-days',
    '30',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ]);
  fs.chmodSync(key, 0o600);
  return { certPem: fs.readFileSync(cert, 'utf8'), keyPem: fs.readFileSync(key, 'utf8') };
}

async function freePorts(): Promise<Ports> {
  const servers = await Promise.all(
    Array.from(
      { length: 5 },
      () =>
        new Promise<net.Server>((resolve, reject) => {
          const s = net.createServer();
          s.once('error', reject);
          s.listen(0, LOOPBACK, () => resolve(s));
        }),
    ),
  );
  const [imap, imaps, pop3, pop3s, lmtp] = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return { imap, imaps, pop3, pop3s, lmtp };
}

/**
 * Ready when the plain listeners greet (IMAP "* OK", POP3 "+OK", LMTP "220") and the TLS ones accept a
 * connection; false when the master died or 10 s passed. A bare connect is not enough: a master that
 * fails later in its start-up has already bound its inet listeners.
 */
async function waitReady(child: ChildProcess, p: Ports): Promise<boolean> {
  const deadline = Date.now() + 10_000;
  let exited = child.exitCode !== null;
  child.once('exit', () => (exited = true));
  const pending = new Map<number, string | null>([
    [p.imap, '* OK'],
    [p.pop3, '+OK'],
    [p.lmtp, '220'],
    [p.imaps, null],
    [p.pop3s, null],
  ]);
  while (pending.size && !exited && Date.now() < deadline) {
    await Promise.all(
      [...pending].map(async ([port, greeting]) => {
        if (await answers(port, greeting)) pending.delete(port);
      }),
    );
    if (pending.size) await new Promise((r) => setTimeout(r, 10));
  }
  return pending.size === 0 && !exited;
}

/** Connects; with a greeting, also waits (1 s at most) for the server's first line to start with it. */
function answers(port: number, greeting: string | null): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, LOOPBACK);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      s.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), 1000);
    s.once('connect', () => {
      if (greeting === null) done(true);
    });
    s.once('data', (d: Buffer) => done(d.toString('latin1').startsWith(greeting ?? '')));
    s.once('error', () => done(false));
    s.once('close', () => done(false));
  });
}

function listen(server: SMTPServer): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => resolve((server.server.address() as net.AddressInfo).port));
  });
}

function closeSmtp(server: SMTPServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * SIGTERM to the master we started (it ends its children), then SIGKILL: after SIGTERM its log process
 * lingers for seconds and the master waits for it; both are gone once the master is killed.
 */
async function stopMaster(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 200);
  await gone;
  clearTimeout(timer);
}

/**
 * Test runs killed hard (no stop(), no exit handler) leave a Dovecot behind: a directory of ours whose node
 * process is gone has its master (only when /proc confirms it runs that directory's config) ended and is removed.
 */
function reapOrphans(): void {
  let names: string[];
  try {
    names = fs.readdirSync('/tmp').filter((n) => n.startsWith('xd-'));
  } catch {
    return;
  }
  for (const name of names) {
    const dir = path.join('/tmp', name);
    let owner: { node: number; dovecot?: number };
    try {
      owner = JSON.parse(fs.readFileSync(path.join(dir, 'owner.json'), 'utf8'));
    } catch {
      continue;
    }
    if (alive(owner.node)) continue;
    if (owner.dovecot && alive(owner.dovecot)) {
      let cmdline = '';
      try {
        cmdline = fs.readFileSync(`/proc/${owner.dovecot}/cmdline`, 'utf8');
      } catch {
        /* no /proc: leave it */
      }
      if (!cmdline.includes(`${dir}/dovecot.conf`)) continue;
      try {
        process.kill(owner.dovecot, 'SIGKILL');
      } catch {
        continue;
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
