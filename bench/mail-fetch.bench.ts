// `npm run bench:mail`: fetching mail into the database at volume. Delivers BENCH_MAILS (default 5,000)
// small messages into a real Dovecot mailbox over LMTP (server/test/mail-servers.ts), then fetches them
// over IMAP and over POP3, each into a fresh database (SQLite; PostgreSQL too with BENCH_PG=1), in runs
// of the production per-run limit, and prints messages per second and the peak RSS / heap seen up to
// 1k, 2.5k and 5k messages (flat = sources streamed, not whole mailboxes held). Target: ≥ 200 msgs/s.
// Environment: BENCH_MAILS, BENCH_PG=1, BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test),
// BENCH_RUN_LIMIT (messages per run, default the production limit), BENCH_TX_BATCH (messages per transaction),
// BENCH_PROTOCOLS ("imap,pop3"), BENCH_PG=only (PostgreSQL alone).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrateToLatest, openDatabase, type Database } from '../server/db/index';
import { createSecrets, loadSecretKey } from '../server/platform/secrets/secrets';
import { createUser } from '../server/test/factories';
import { startMailServers, type MailServers } from '../server/test/mail-servers';
import { createAccount } from '../server/modules/mail/accounts.service';
import { fetchAccount, RUN_LIMIT } from '../server/modules/mail/fetch.service';
import type { Auth } from '../server/platform/access/types';

const MAILS = Number(process.env.BENCH_MAILS ?? 5000);
const RUN = Number(process.env.BENCH_RUN_LIMIT ?? RUN_LIMIT);
const TX = process.env.BENCH_TX_BATCH ? Number(process.env.BENCH_TX_BATCH) : undefined;
const PROTOCOLS = (process.env.BENCH_PROTOCOLS ?? 'imap,pop3').split(',') as ('imap' | 'pop3')[];
const ONLY_PG = process.env.BENCH_PG === 'only';
const PG_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const CHECKPOINTS = [1000, 2500, 5000].filter((n) => n <= MAILS);
const MB = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

function message(i: number): string {
  return [
    `From: =?UTF-8?B?${Buffer.from(`客户${i % 97}`).toString('base64')}?= <client${i % 97}@customer.test>`,
    'To: bench@example.test',
    `Subject: =?UTF-8?B?${Buffer.from(`关于第${i}号订单的报价与交期`).toString('base64')}?=`,
    `Date: ${new Date(Date.now() - (MAILS - i) * 1000).toUTCString()}`,
    `Message-ID: <bench-${i}-${randomBytes(4).toString('hex')}@customer.test>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    `您好：\r\n\r\n第${i}号订单的报价已更新，请查收。交期约为三周，如有问题请随时联系。\r\n\r\n此致\r\n敬礼`.repeat(3),
    '',
  ].join('\r\n');
}

async function freshDatabase(kind: 'sqlite' | 'postgres'): Promise<{ database: Database; dataDir: string; drop(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xt-bench-mail-'));
  if (kind === 'sqlite') {
    const database = openDatabase({ dataDir });
    return { database, dataDir, drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
  }
  const name = `xt_bench_mail_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  const database = openDatabase({ databaseUrl: url.toString(), dataDir, poolSize: 5 });
  return {
    database,
    dataDir,
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function measure(s: MailServers, user: string, password: string, protocol: 'imap' | 'pop3', kind: 'sqlite' | 'postgres') {
  const { database, dataDir, drop } = await freshDatabase(kind);
  try {
    await migrateToLatest(database.db);
    const secrets = createSecrets(loadSecretKey(dataDir));
    const owner = await createUser(database.db, { username: 'bench' });
    const auth = { user: { id: owner.id, name: 'bench', departmentId: null, isAdmin: false } } as unknown as Auth;
    const account = await createAccount(
      { db: database.db, secrets },
      auth,
      { id: owner.id, name: 'bench', ip: null },
      {
        name: 'bench',
        address: user,
        incoming: { protocol, host: s.host, port: protocol === 'imap' ? s.imap : s.pop3, security: 'none' },
        smtp: { host: s.host, port: s.smtp, security: 'none' },
        username: user,
        password,
        deleteAfterFetch: false,
        markAsRead: false,
        fetchSince: '2020-01-01',
        allowSelfSignedCertificate: false,
        fetchIntervalMinutes: 10,
        isDefault: true,
        enabled: true,
      },
    );
    global.gc?.();
    const base = process.memoryUsage();
    let peakRss = base.rss;
    let peakHeap = base.heapUsed;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }, 20);
    const marks: string[] = [];
    const ctx = { db: database.db, secrets, dataDir, realtime: { publish: async () => {} } };
    let total = 0;
    const cpu0 = process.cpuUsage();
    const started = performance.now();
    while (total < MAILS) {
      const before = total;
      const outcome = await fetchAccount(ctx, account.id, {
        limit: RUN,
        txBatch: TX,
        afterMessage: () => {
          total++;
          if (CHECKPOINTS.includes(total)) {
            const m = process.memoryUsage();
            peakRss = Math.max(peakRss, m.rss);
            peakHeap = Math.max(peakHeap, m.heapUsed);
            // what stays after a collection: flat when nothing accumulates
            global.gc?.();
            marks.push(`${total / 1000}k: peak rss ${MB(peakRss)} heap ${MB(peakHeap)}, kept heap ${MB(process.memoryUsage().heapUsed)}`);
          }
        },
      });
      if (outcome.status !== 'done' || outcome.error) throw new Error(`fetch failed: ${JSON.stringify(outcome)}`);
      if (total === before) throw new Error(`no progress at ${total}`);
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    clearInterval(sampler);
    const stored = await database.db
      .selectFrom('mail_messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const rate = MAILS / seconds;
    console.log(
      `${protocol.padEnd(4)} → ${kind.padEnd(8)} ${Number(stored.n)} messages in ${seconds.toFixed(1)} s = ${rate.toFixed(0)} msgs/s ` +
        `(target ≥ 200: ${rate >= 200 ? 'met' : 'MISSED'}); this process used ${cpuSeconds.toFixed(1)} s CPU = ${(MAILS / cpuSeconds).toFixed(0)} msgs per CPU-second\n` +
        `     memory: ${marks.join(' | ')} (start rss ${MB(base.rss)} heap ${MB(base.heapUsed)})`,
    );
  } finally {
    await database.close();
    await drop();
  }
}

const s = await startMailServers();
if (!s) {
  console.log('mail bench skipped: Dovecot is not available here');
  process.exit(0);
}
try {
  const user = 'bench@example.test';
  const password = 'bench-pw';
  await s.addUser(user, password);
  const t0 = performance.now();
  for (let i = 1; i <= MAILS; i++) await s.deliver(user, message(i));
  console.log(
    `delivered ${MAILS} messages over LMTP in ${((performance.now() - t0) / 1000).toFixed(1)} s; runs of ${RUN}; ` +
      `load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs (Dovecot and the database share them)`,
  );
  const kinds: ('sqlite' | 'postgres')[] = ONLY_PG ? ['postgres'] : process.env.BENCH_PG === '1' ? ['sqlite', 'postgres'] : ['sqlite'];
  for (const kind of kinds) {
    for (const protocol of PROTOCOLS) await measure(s, user, password, protocol, kind);
  }
} finally {
  await s.stop();
}
