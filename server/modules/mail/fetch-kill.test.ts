import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, setupAdmin, type Client, type TestApp } from '@server/test/app';
import { MAIL_SERVERS_SKIPPED, startMailServers, type MailServers } from '@server/test/mail-servers';
import { Pop3Client } from './protocol/pop3-client';
import { fetchAccount, LEASE_MS } from './fetch.service';
import { fetchContextOf } from './fetch.job';
import { newAccount, rawMessage } from './mail.testing';

/**
 * The fetch job is safe to kill: a child process runs a real fetch against the test servers on the
 * same database (SQLite file / the Postgres test database) and is SIGKILLed mid-run; the next run
 * stores exactly what is missing, nothing twice, and with "delete after fetch" the server ends empty.
 */

const servers = await startMailServers();
const CHILD = fileURLToPath(new URL('./fetch-child.testing.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const COUNT = 30;

let t: TestApp;
let admin: Client;

beforeAll(async () => {
  if (!servers) return;
  t = await createTestApp();
  admin = await setupAdmin(t.app);
});
afterAll(async () => {
  await t?.close();
  await servers?.stop();
});

/** The URL of the database the test app uses (Postgres), for the child. */
async function databaseUrl(): Promise<string> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) return '';
  const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(t.database.db);
  const url = new URL(base);
  url.pathname = `/${rows[0].name}`;
  return url.toString();
}

/** Runs the child until it has committed `after` messages, then SIGKILLs it. */
async function killMidRun(accountId: string, after: number): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, t.config.dataDir, accountId, await databaseUrl()], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = [...out.matchAll(/stored (\d+)/g)].pop();
      if (m && Number(m[1]) >= after) {
        child.kill('SIGKILL');
        resolve();
      }
    });
    child.on('exit', () => reject(new Error(`child ended before the kill: ${out} ${err}`)));
  });
  await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)));
  expect(child.signalCode).toBe('SIGKILL');
}

describe.skipIf(!servers)(servers ? 'killed mid-run' : MAIL_SERVERS_SKIPPED, () => {
  const s = servers as MailServers;

  for (const protocol of ['imap', 'pop3'] as const) {
    it(`${protocol}: SIGKILL mid-run, then fetch again → exactly the delivered messages, none twice${protocol === 'pop3' ? ', server emptied' : ''}`, async () => {
      const { user, password, account } = await newAccount(s, admin, protocol, { deleteAfterFetch: protocol === 'pop3' });
      for (let i = 1; i <= COUNT; i++) await s.deliver(user, rawMessage({ subject: `kill ${i}` }));

      await killMidRun(account.id, 5);
      const db = t.database.db;
      const partial = await db.selectFrom('mail_messages').select('id').where('account_id', '=', account.id).execute();
      expect(partial.length).toBeGreaterThanOrEqual(5);
      expect(partial.length).toBeLessThan(COUNT);

      // the dead run's lease lapses: a run LEASE_MS later takes over
      const later = new Date(Date.now() + LEASE_MS + 60_000);
      const outcome = await fetchAccount(fetchContextOf(t.app.ctx), account.id, { now: later });
      expect(outcome).toMatchObject({ status: 'done', error: null, result: { fetched: COUNT - partial.length } });
      if (protocol === 'pop3' && outcome.status === 'done') expect(outcome.result.deleted).toBe(COUNT);

      const rows = await db.selectFrom('mail_messages').select(['subject', 'dedupe_key']).where('account_id', '=', account.id).execute();
      expect(rows).toHaveLength(COUNT);
      expect(new Set(rows.map((r) => r.subject)).size).toBe(COUNT);
      expect(new Set(rows.map((r) => r.dedupe_key)).size).toBe(COUNT);
      // every stored message has its raw source (the file rows committed with it)
      const files = await db
        .selectFrom('files')
        .select('id')
        .where('entity', '=', 'mail_message')
        .where(
          'entity_id',
          'in',
          (await db.selectFrom('mail_messages').select('id').where('account_id', '=', account.id).execute()).map((r) => r.id),
        )
        .execute();
      expect(files).toHaveLength(COUNT);

      if (protocol === 'pop3') {
        const c = await Pop3Client.connect({
          host: s.host,
          port: s.pop3,
          security: 'none',
          username: user,
          password,
          allowSelfSigned: false,
        });
        expect((await c.stat()).count).toBe(0);
        await c.quit();
      }
    });
  }
});
