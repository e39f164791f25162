import { createHash, randomBytes } from 'node:crypto';
import iconv from 'iconv-lite';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailAccount, MailFetchResult, MailListItem, MailMessage } from '@common/schemas/mail';
import { createTestApp, loginAs, setupAdmin, type Client, type TestApp } from '@server/test/app';
import { createUser } from '@server/test/factories';
import { MAIL_SERVERS_SKIPPED, startMailServers, type MailServers } from '@server/test/mail-servers';
import { Pop3Client } from './protocol/pop3-client';
import { fetchAccount } from './fetch.service';
import { enqueueDueFetches, fetchContextOf } from './fetch.job';
import { newAccount, rawMessage } from './mail.testing';

const servers = await startMailServers();

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

describe.skipIf(!servers)(servers ? 'fetching from real servers' : MAIL_SERVERS_SKIPPED, () => {
  const s = servers as MailServers;
  const db = () => t.database.db;
  const fetchNow = async (id: string) => {
    const res = await admin.post(`/api/v1/mail/accounts/${id}/fetch`);
    if (res.statusCode !== 200) throw new Error(`fetch: ${res.statusCode} ${res.body}`);
    return res.json<MailFetchResult>();
  };
  const stored = (accountId: string) =>
    db()
      .selectFrom('mail_messages')
      .select(['id', 'subject', 'dedupe_key', 'seen'])
      .where('account_id', '=', accountId)
      .orderBy('id')
      .execute();
  const deliverMany = async (user: string, n: number, prefix: string) => {
    for (let i = 1; i <= n; i++) await s.deliver(user, rawMessage({ subject: `${prefix} ${i}` }));
  };
  const popCount = async (user: string, password: string) => {
    const c = await Pop3Client.connect({ host: s.host, port: s.pop3, security: 'none', username: user, password, allowSelfSigned: false });
    const { count } = await c.stat();
    await c.quit();
    return count;
  };

  it('IMAP: fetches what arrived, then only what is new; leaves the server copies unread', async () => {
    const { user, password, account } = await newAccount(s, admin, 'imap');
    await deliverMany(user, 3, 'imap');
    expect(await fetchNow(account.id)).toMatchObject({ fetched: 3, skipped: 0, errors: 0 });
    expect(await fetchNow(account.id)).toMatchObject({ fetched: 0 });
    await s.deliver(user, rawMessage({ subject: 'imap 4' }));
    expect(await fetchNow(account.id)).toMatchObject({ fetched: 1 });

    const list = (await admin.get(`/api/v1/mail/messages?accountId=${account.id}`)).json<{ items: MailListItem[] }>();
    expect(list.items.map((m) => m.subject)).toEqual(['imap 4', 'imap 3', 'imap 2', 'imap 1']);
    expect(list.items[0]).toMatchObject({ folder: 'inbox', seen: false, from: { address: 'sender@sender.test', name: 'Sender' } });
    const state = await db().selectFrom('mail_sync_state').selectAll().where('account_id', '=', account.id).executeTakeFirstOrThrow();
    expect(state.last_uid).toBe(4);
    const acc = (await admin.get(`/api/v1/mail/accounts/${account.id}`)).json<MailAccount>();
    expect(acc.lastFetchAt).not.toBeNull();
    expect(Date.parse(acc.nextFetchAt!) - Date.now()).toBeGreaterThan(9 * 60_000);

    const client = new ImapFlow({
      host: s.host,
      port: s.imap,
      secure: false,
      logger: false,
      auth: { user, pass: password },
      tls: { ca: s.caPem },
    });
    await client.connect();
    await client.mailboxOpen('INBOX');
    const flags = await client.fetchAll('1:*', { flags: true });
    expect(flags.every((m) => !m.flags?.has('\\Seen'))).toBe(true);
    await client.logout();
  });

  it('IMAP with markAsRead: sets \\Seen on the server after storing', async () => {
    const { user, password, account } = await newAccount(s, admin, 'imap', { markAsRead: true });
    await deliverMany(user, 2, 'read');
    expect(await fetchNow(account.id)).toMatchObject({ fetched: 2 });
    const client = new ImapFlow({
      host: s.host,
      port: s.imap,
      secure: false,
      logger: false,
      auth: { user, pass: password },
      tls: { ca: s.caPem },
    });
    await client.connect();
    await client.mailboxOpen('INBOX');
    const flags = await client.fetchAll('1:*', { flags: true });
    expect(flags.map((m) => m.flags?.has('\\Seen'))).toEqual([true, true]);
    await client.logout();
  });

  it('POP3: fetches by UIDL once; skips mail dated before fetchSince without downloading it again', async () => {
    const { user, password, account } = await newAccount(s, admin, 'pop3', { fetchSince: '2024-01-01' });
    await s.deliver(user, rawMessage({ subject: 'old', date: new Date('2019-05-01T00:00:00Z') }));
    await deliverMany(user, 3, 'pop');
    expect(await fetchNow(account.id)).toMatchObject({ fetched: 3, skipped: 1, deleted: 0 });
    expect(await fetchNow(account.id)).toMatchObject({ fetched: 0, skipped: 0 });
    expect((await stored(account.id)).map((m) => m.subject)).toEqual(['pop 1', 'pop 2', 'pop 3']);
    const seen = await db().selectFrom('mail_pop3_seen').selectAll().where('account_id', '=', account.id).execute();
    expect(seen).toHaveLength(4);
    expect(seen.filter((r) => r.message_id === null)).toHaveLength(1);
    // without "delete after fetch" the server keeps everything
    expect(await popCount(user, password)).toBe(4);
  });

  it('POP3 with delete after fetch: deletes only what is stored here, the server ends empty', async () => {
    const { user, password, account } = await newAccount(s, admin, 'pop3', { deleteAfterFetch: true });
    await deliverMany(user, 4, 'del');
    expect(await fetchNow(account.id)).toMatchObject({ fetched: 4, deleted: 4 });
    expect(await popCount(user, password)).toBe(0);
    expect(await stored(account.id)).toHaveLength(4);
    const seen = await db().selectFrom('mail_pop3_seen').selectAll().where('account_id', '=', account.id).execute();
    expect(seen.every((r) => r.deleted_at !== null)).toBe(true);
  });

  for (const protocol of ['imap', 'pop3'] as const) {
    it(`${protocol}: a run stopped after its first transaction resumes — every message exactly once${protocol === 'pop3' ? ', deleted only after QUIT' : ''}`, async () => {
      const { user, password, account } = await newAccount(s, admin, protocol, { deleteAfterFetch: protocol === 'pop3' });
      await deliverMany(user, 25, `stop-${protocol}`);
      const ac = new AbortController();
      // messages commit 10 to a transaction: stop once the first 10 are in
      const first = await fetchAccount(fetchContextOf(t.app.ctx), account.id, {
        signal: ac.signal,
        afterMessage: (n) => {
          if (n === 10) ac.abort();
        },
      });
      expect(first).toMatchObject({ status: 'done', aborted: true, result: { fetched: 10, deleted: 0 } });
      expect(await stored(account.id)).toHaveLength(10);
      if (protocol === 'pop3') expect(await popCount(user, password)).toBe(25);
      const second = await fetchNow(account.id);
      expect(second).toMatchObject({ fetched: 15, deleted: protocol === 'pop3' ? 25 : 0 });
      const rows = await stored(account.id);
      expect(rows.map((r) => r.subject).sort()).toEqual(Array.from({ length: 25 }, (_, i) => `stop-${protocol} ${i + 1}`).sort());
      expect(new Set(rows.map((r) => r.dedupe_key)).size).toBe(25);
      if (protocol === 'pop3') expect(await popCount(user, password)).toBe(0);
    });
  }

  for (const protocol of ['imap', 'pop3'] as const) {
    it(`${protocol}: the per-run limit leaves the rest for the next run, due at once`, async () => {
      const { user, account } = await newAccount(s, admin, protocol);
      await deliverMany(user, 5, `limit-${protocol}`);
      const ctx = fetchContextOf(t.app.ctx);
      expect(await fetchAccount(ctx, account.id, { limit: 2 })).toMatchObject({ result: { fetched: 2 } });
      let acc = (await admin.get(`/api/v1/mail/accounts/${account.id}`)).json<MailAccount>();
      expect(Date.parse(acc.nextFetchAt!)).toBeLessThanOrEqual(Date.now());
      expect(await fetchAccount(ctx, account.id, { limit: 3 })).toMatchObject({ result: { fetched: 3 } });
      acc = (await admin.get(`/api/v1/mail/accounts/${account.id}`)).json<MailAccount>();
      expect(Date.parse(acc.nextFetchAt!)).toBeGreaterThan(Date.now() + 9 * 60_000);
      expect((await stored(account.id)).map((m) => m.subject)).toEqual([1, 2, 3, 4, 5].map((i) => `limit-${protocol} ${i}`));
    });
  }

  it('IMAP: a UIDVALIDITY change starts over from fetchSince without duplicates or losses', async () => {
    const { user, account } = await newAccount(s, admin, 'imap');
    await deliverMany(user, 2, 'uv');
    // one without a Message-ID: deduplicated by its bytes
    await s.deliver(user, rawMessage({ subject: 'uv no id', messageId: null }));
    expect(await fetchNow(account.id)).toMatchObject({ fetched: 3 });
    const before = await db().selectFrom('mail_sync_state').selectAll().where('account_id', '=', account.id).executeTakeFirstOrThrow();
    await s.resetUidValidity(user);
    await s.deliver(user, rawMessage({ subject: 'uv 3' }));
    expect(await fetchNow(account.id)).toMatchObject({ fetched: 1, skipped: 3 });
    const after = await db().selectFrom('mail_sync_state').selectAll().where('account_id', '=', account.id).executeTakeFirstOrThrow();
    expect(after.uidvalidity).not.toBe(before.uidvalidity);
    expect((await stored(account.id)).map((m) => m.subject).sort()).toEqual(['uv 1', 'uv 2', 'uv 3', 'uv no id']);
  });

  it('a wrong password is recorded as the last error and retried with backoff; fixing it clears the error', async () => {
    const { user, password, account } = await newAccount(s, admin, 'pop3');
    const wrong = await admin.patch(`/api/v1/mail/accounts/${account.id}`, { version: account.version, password: 'not-it' });
    expect(wrong.statusCode).toBe(200);
    const res = await admin.post(`/api/v1/mail/accounts/${account.id}/fetch`);
    expect(res.statusCode).toBe(422);
    expect(res.json<{ code: string }>().code).toBe('mail_auth_failed');
    let acc = (await admin.get(`/api/v1/mail/accounts/${account.id}`)).json<MailAccount>();
    expect(acc).toMatchObject({ lastErrorCode: 'mail_auth_failed' });
    expect(acc.lastError).toContain('用户名或密码');
    // interval 10 min × 2^1
    const wait1 = Date.parse(acc.nextFetchAt!) - Date.parse(acc.lastErrorAt!);
    expect(wait1).toBeGreaterThanOrEqual(20 * 60_000 - 1000);
    expect(wait1).toBeLessThanOrEqual(20 * 60_000 + 1000);
    await admin.post(`/api/v1/mail/accounts/${account.id}/fetch`);
    acc = (await admin.get(`/api/v1/mail/accounts/${account.id}`)).json<MailAccount>();
    expect(Date.parse(acc.nextFetchAt!) - Date.parse(acc.lastErrorAt!)).toBeGreaterThanOrEqual(40 * 60_000 - 1000);
    const row = await db().selectFrom('mail_accounts').select('failures').where('id', '=', account.id).executeTakeFirstOrThrow();
    expect(row.failures).toBe(2);

    acc = (await admin.patch(`/api/v1/mail/accounts/${account.id}`, { version: acc.version, password })).json<MailAccount>();
    await s.deliver(user, rawMessage({ subject: 'after fix' }));
    expect(await fetchNow(account.id)).toMatchObject({ fetched: 1 });
    acc = (await admin.get(`/api/v1/mail/accounts/${account.id}`)).json<MailAccount>();
    expect(acc).toMatchObject({ lastError: null, lastErrorCode: null, lastErrorAt: null });
  });

  it('answers 409 mail_fetch_running while another run holds the account', async () => {
    const { account } = await newAccount(s, admin, 'imap');
    await db()
      .updateTable('mail_accounts')
      .set({ fetch_lease_until: new Date(Date.now() + 60_000).toISOString(), fetch_lease_by: 'elsewhere' })
      .where('id', '=', account.id)
      .execute();
    const res = await admin.post(`/api/v1/mail/accounts/${account.id}/fetch`);
    expect(res.statusCode).toBe(409);
    expect(res.json<{ code: string }>().code).toBe('mail_fetch_running');
    // the scheduled run passes over it too
    expect(await fetchAccount(fetchContextOf(t.app.ctx), account.id)).toEqual({ status: 'busy' });
  });

  it('decodes a GBK subject and a Big5 body (POP3 bytes and IMAP)', async () => {
    const subject = '报价单：朱镕基路项目';
    const body = '臺灣客戶您好，報價如附件。';
    const raw = Buffer.concat([
      Buffer.from(
        [
          'From: =?GBK?B?' + iconv.encode('张三', 'gbk').toString('base64') + '?= <zhang@sender.test>',
          'To: me@example.test',
          `Subject: =?GBK?B?${iconv.encode(subject, 'gbk').toString('base64')}?=`,
          'Message-ID: <gbk-big5@sender.test>',
          'MIME-Version: 1.0',
          'Content-Type: text/plain; charset=big5',
          'Content-Transfer-Encoding: 8bit',
          '',
          '',
        ].join('\r\n'),
        'latin1',
      ),
      iconv.encode(body, 'big5'),
      Buffer.from('\r\n', 'latin1'),
    ]);
    for (const protocol of ['pop3', 'imap'] as const) {
      const { user, account } = await newAccount(s, admin, protocol);
      await s.deliver(user, raw);
      expect(await fetchNow(account.id)).toMatchObject({ fetched: 1 });
      const [item] = (await admin.get(`/api/v1/mail/messages?accountId=${account.id}`)).json<{ items: MailListItem[] }>().items;
      expect(item.subject).toBe(subject);
      expect(item.from).toEqual({ name: '张三', address: 'zhang@sender.test' });
      const msg = (await admin.get(`/api/v1/mail/messages/${item.id}`)).json<MailMessage>();
      expect(msg.text?.trim()).toBe(body);
      // found by a 2-character Chinese search
      const found = (await admin.get(`/api/v1/mail/messages?accountId=${account.id}&q=${encodeURIComponent('报价')}`)).json<{
        items: MailListItem[];
      }>();
      expect(found.items.map((m) => m.id)).toEqual([item.id]);
    }
  });

  it('stores a 10 MB attachment as a file its reader can download (and nobody else)', async () => {
    const { user, account } = await newAccount(s, admin, 'imap');
    const data = randomBytes(10 * 1024 * 1024);
    const b64 = data.toString('base64').replace(/.{76}/g, '$&\r\n');
    const raw = [
      'From: sender@sender.test',
      'To: me@example.test',
      'Subject: big one',
      'Message-ID: <big@sender.test>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'see attached',
      '--b1',
      'Content-Type: application/octet-stream; name="=?UTF-8?B?' + Buffer.from('合同.bin').toString('base64') + '?="',
      "Content-Disposition: attachment; filename*=UTF-8''%E5%90%88%E5%90%8C.bin",
      'Content-Transfer-Encoding: base64',
      '',
      b64,
      '--b1--',
      '',
    ].join('\r\n');
    await s.deliver(user, raw);
    expect(await fetchNow(account.id)).toMatchObject({ fetched: 1 });
    const [item] = (await admin.get(`/api/v1/mail/messages?accountId=${account.id}`)).json<{ items: MailListItem[] }>().items;
    expect(item.hasAttachments).toBe(true);
    const msg = (await admin.get(`/api/v1/mail/messages/${item.id}`)).json<MailMessage>();
    expect(msg.attachments).toHaveLength(1);
    expect(msg.attachments[0]).toMatchObject({ name: '合同.bin', size: data.length, inline: false });
    const file = await admin.get(`/api/v1/files/${msg.attachments[0].fileId}`);
    expect(file.statusCode).toBe(200);
    expect(createHash('sha256').update(file.rawPayload).digest('hex')).toBe(createHash('sha256').update(data).digest('hex'));
    const row = await db().selectFrom('mail_messages').select('raw_file_id').where('id', '=', item.id).executeTakeFirstOrThrow();
    expect(row.raw_file_id).not.toBeNull();
    const u = await createUser(db(), { username: `nobody${Date.now()}` });
    const stranger = await loginAs(t.app, u.username, u.password);
    expect((await stranger.get(`/api/v1/files/${msg.attachments[0].fileId}`)).statusCode).toBe(404);
    expect((await stranger.get(`/api/v1/mail/messages/${item.id}`)).statusCode).toBe(404);
  });

  it('tells the owner about new mail: one notice each up to 3, one summary beyond; a realtime refresh', async () => {
    const published: { userId: string; type: string }[] = [];
    const hub = t.app.ctx.realtime;
    const original = hub.publish.bind(hub);
    hub.publish = async (userId, event) => {
      published.push({ userId, type: event.type });
      return original(userId, event);
    };
    try {
      const me = await db().selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow();
      const since = new Date().toISOString();
      const few = await newAccount(s, admin, 'imap');
      await s.deliver(few.user, rawMessage({ subject: '季度报价', from: '李四 <lisi@sender.test>' }));
      await fetchNow(few.account.id);
      const many = await newAccount(s, admin, 'pop3');
      await deliverMany(many.user, 5, 'many');
      await fetchNow(many.account.id);
      const notes = await db()
        .selectFrom('notifications')
        .selectAll()
        .where('user_id', '=', me.id)
        .where('type', '=', 'mail.new')
        .where('created_at', '>=', since)
        .orderBy('id')
        .execute();
      expect(notes.map((n) => n.title)).toEqual(['李四：季度报价', '收到 5 封新邮件']);
      expect(notes[0].link).toMatch(/^\/mail\?id=/);
      expect(published.filter((p) => p.type === 'mail' && p.userId === me.id)).toHaveLength(2);
      expect(published.filter((p) => p.type === 'notification')).toHaveLength(2);
    } finally {
      hub.publish = original;
    }
  });

  it('the scheduled job fetches due accounts once and moves their next fetch on', async () => {
    const { user, account } = await newAccount(s, admin, 'imap');
    await deliverMany(user, 2, 'job');
    await db()
      .updateTable('mail_accounts')
      .set({ next_fetch_at: new Date(Date.now() + 3_600_000).toISOString() })
      .where('id', '<>', account.id)
      .execute();
    // an account of a user who left is not fetched any more
    const left = await createUser(db(), { username: `left${Date.now()}`, status: 'left' });
    const gone = await newAccount(s, admin, 'imap');
    await db().updateTable('mail_accounts').set({ user_id: left.id }).where('id', '=', gone.account.id).execute();
    expect(await enqueueDueFetches(t.app.ctx, new Date())).toBe(1);
    // a second scan while the job is pending adds nothing
    expect(await enqueueDueFetches(t.app.ctx, new Date())).toBe(0);
    await t.app.ctx.jobs.runDue();
    expect(await stored(account.id)).toHaveLength(2);
    const acc = (await admin.get(`/api/v1/mail/accounts/${account.id}`)).json<MailAccount>();
    expect(Date.parse(acc.nextFetchAt!)).toBeGreaterThan(Date.now() + 9 * 60_000);
    expect(await enqueueDueFetches(t.app.ctx, new Date())).toBe(0);
  });
});
