import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailAccount, MailTestResult } from '@common/schemas/mail';
import { createTestApp, loginAs, setupAdmin, type Client, type TestApp } from '@server/test/app';
import { createUser } from '@server/test/factories';
import { MAIL_SERVERS_SKIPPED, startMailServers, type MailServers } from '@server/test/mail-servers';
import { accountBody, mailboxName } from './mail.testing';

const servers = await startMailServers();

let t: TestApp;
let admin: Client;
let other: Client;

beforeAll(async () => {
  t = await createTestApp();
  admin = await setupAdmin(t.app);
  const u = await createUser(t.database.db, { username: 'wang' });
  other = await loginAs(t.app, u.username, u.password);
});
afterAll(async () => {
  await t?.close();
  await servers?.stop();
});

const SECRET = 'S3cret-授权码-xyz';
const body = (over: Record<string, unknown> = {}) => ({
  name: '工作邮箱',
  address: 'Me@Example.com',
  incoming: { protocol: 'imap', host: 'imap.example.com', port: 993, security: 'tls' },
  smtp: { host: 'smtp.example.com', port: 465, security: 'tls' },
  username: 'me@example.com',
  password: SECRET,
  ...over,
});

describe('mail accounts', () => {
  it('creates, lists, reads, changes and deletes own accounts; the password never comes back nor reaches the audit log', async () => {
    const created = await admin.post('/api/v1/mail/accounts', body());
    expect(created.statusCode).toBe(201);
    const a = created.json<MailAccount>();
    expect(a).toMatchObject({ name: '工作邮箱', address: 'me@example.com', isDefault: true, enabled: true, fetchIntervalMinutes: 10 });
    // 30 days ago by default; due at once
    expect(Date.now() - Date.parse(a.fetchSince)).toBeGreaterThan(29 * 86_400_000);
    expect(a.nextFetchAt).not.toBeNull();
    expect(created.body).not.toContain(SECRET);
    expect(created.body).not.toMatch(/password/i);

    const row = await t.database.db.selectFrom('mail_accounts').selectAll().where('id', '=', a.id).executeTakeFirstOrThrow();
    expect(row.password_enc).not.toContain(SECRET);
    expect(t.app.ctx.secrets.decrypt(row.password_enc)).toBe(SECRET);

    const list = await admin.get('/api/v1/mail/accounts');
    expect(list.json<{ items: MailAccount[] }>().items.map((x) => x.id)).toEqual([a.id]);
    expect(list.body).not.toContain(SECRET);

    const second = (
      await admin.post('/api/v1/mail/accounts', body({ name: '第二', address: 'two@example.com', isDefault: true }))
    ).json<MailAccount>();
    expect(second.isDefault).toBe(true);
    expect((await admin.get(`/api/v1/mail/accounts/${a.id}`)).json<MailAccount>().isDefault).toBe(false);

    const fresh = (await admin.get(`/api/v1/mail/accounts/${a.id}`)).json<MailAccount>();
    const patched = await admin.patch(`/api/v1/mail/accounts/${a.id}`, { version: fresh.version, password: 'new-Secret-2', name: '改名' });
    expect(patched.statusCode).toBe(200);
    expect(patched.json<MailAccount>().name).toBe('改名');
    expect(patched.body).not.toContain('new-Secret-2');
    const row2 = await t.database.db.selectFrom('mail_accounts').selectAll().where('id', '=', a.id).executeTakeFirstOrThrow();
    expect(t.app.ctx.secrets.decrypt(row2.password_enc)).toBe('new-Secret-2');
    // a stale version is refused
    expect((await admin.patch(`/api/v1/mail/accounts/${a.id}`, { version: fresh.version, name: 'x' })).statusCode).toBe(409);

    // deleting the default makes the other one the default
    expect((await admin.delete(`/api/v1/mail/accounts/${second.id}`)).statusCode).toBe(204);
    expect((await admin.get(`/api/v1/mail/accounts/${second.id}`)).statusCode).toBe(404);
    expect((await admin.get(`/api/v1/mail/accounts/${a.id}`)).json<MailAccount>().isDefault).toBe(true);

    const audits = await t.database.db.selectFrom('audit_log').selectAll().where('entity', '=', 'mail_account').execute();
    expect(audits.map((x) => x.action).sort()).toEqual(['create', 'create', 'delete', 'update']);
    const text = JSON.stringify(audits);
    for (const secret of [SECRET, 'new-Secret-2', row.password_enc, row2.password_enc]) expect(text).not.toContain(secret);
    expect(JSON.parse(audits.find((x) => x.action === 'update')!.changes!)).toMatchObject({ password: ['***', '***'] });
  });

  it("answers 404 for another user's account and lists only one's own", async () => {
    const a = (await admin.post('/api/v1/mail/accounts', body({ address: 'own@example.com' }))).json<MailAccount>();
    expect((await other.get(`/api/v1/mail/accounts/${a.id}`)).statusCode).toBe(404);
    expect((await other.patch(`/api/v1/mail/accounts/${a.id}`, { version: a.version, name: 'x' })).statusCode).toBe(404);
    expect((await other.delete(`/api/v1/mail/accounts/${a.id}`)).statusCode).toBe(404);
    expect((await other.post(`/api/v1/mail/accounts/${a.id}/test`)).statusCode).toBe(404);
    expect((await other.post(`/api/v1/mail/accounts/${a.id}/fetch`)).statusCode).toBe(404);
    expect((await other.get('/api/v1/mail/accounts')).json<{ items: unknown[] }>().items).toEqual([]);
  });

  it('a PATCH of the password alone leaves every other setting as it was', async () => {
    const settings = {
      allowSelfSignedCertificate: true,
      markAsRead: true,
      fetchIntervalMinutes: 25,
      deleteAfterFetch: true,
      isDefault: true,
      enabled: false,
    };
    const a = (await admin.post('/api/v1/mail/accounts', body({ address: 'keep@example.com', ...settings }))).json<MailAccount>();
    expect(a).toMatchObject(settings);
    const res = await admin.patch(`/api/v1/mail/accounts/${a.id}`, { version: a.version, password: 'changed-Secret-3' });
    expect(res.statusCode).toBe(200);
    expect(res.json<MailAccount>()).toMatchObject(settings);
    expect((await admin.get(`/api/v1/mail/accounts/${a.id}`)).json<MailAccount>()).toMatchObject({ ...settings, name: a.name });
  });

  it('refuses bad input naming the field, and serves the presets', async () => {
    const res = await admin.post('/api/v1/mail/accounts', body({ smtp: { host: 'smtp.example.com', port: 70000, security: 'tls' } }));
    expect(res.statusCode).toBe(400);
    expect(res.json<{ errors: { field: string }[] }>().errors[0].field).toContain('smtp');
    const presets = await admin.get('/api/v1/mail/presets');
    expect(presets.json<{ items: { key: string }[] }>().items.map((p) => p.key)).toEqual(['qq', '163', '126', 'aliyun', 'exmail']);
  });
});

describe.skipIf(!servers)(servers ? 'test connection against real servers' : MAIL_SERVERS_SKIPPED, () => {
  const s = servers as MailServers;

  it('signs in on both sides and says so', async () => {
    const user = mailboxName('t');
    await s.addUser(user, 'pw-ok');
    const imap = await admin.post('/api/v1/mail/accounts/test', accountBody(s, user, 'pw-ok', 'imap'));
    expect(imap.statusCode).toBe(200);
    expect(imap.json<MailTestResult>()).toMatchObject({ incoming: { ok: true, code: null }, smtp: { ok: true, code: null } });
    const pop = (await admin.post('/api/v1/mail/accounts/test', accountBody(s, user, 'pw-ok', 'pop3'))).json<MailTestResult>();
    expect(pop.incoming).toMatchObject({ ok: true, message: '收信服务器（POP3）登录成功' });
  });

  it('explains a wrong password in plain words with the server reply, on both sides', async () => {
    const user = mailboxName('t');
    await s.addUser(user, 'right');
    for (const protocol of ['imap', 'pop3'] as const) {
      const r = (await admin.post('/api/v1/mail/accounts/test', accountBody(s, user, 'wrong', protocol))).json<MailTestResult>();
      expect(r.incoming).toMatchObject({ ok: false, code: 'mail_auth_failed' });
      expect(r.incoming.message).toContain('用户名或密码');
      expect(r.incoming.serverReply).toBeTruthy();
      expect(r.smtp).toMatchObject({ ok: false, code: 'mail_auth_failed' });
    }
    // in English for an English reader
    const en = await admin.post('/api/v1/mail/accounts/test', accountBody(s, user, 'wrong', 'imap'), { 'accept-language': 'en-US' });
    expect(en.json<MailTestResult>().incoming.message).toMatch(/wrong user name or password/);
  });

  it('refuses a self-signed certificate unless the account allows it (stored account test)', async () => {
    const user = mailboxName('t');
    await s.addUser(user, 'pw-tls');
    const tlsBody = (allow: boolean) =>
      accountBody(s, user, 'pw-tls', 'imap', {
        incoming: { protocol: 'imap', host: s.host, port: s.imaps, security: 'tls' },
        smtp: { host: s.host, port: s.smtps, security: 'tls' },
        allowSelfSignedCertificate: allow,
      });
    const refused = (await admin.post('/api/v1/mail/accounts/test', tlsBody(false))).json<MailTestResult>();
    expect(refused.incoming).toMatchObject({ ok: false, code: 'mail_tls_untrusted' });
    expect(refused.smtp).toMatchObject({ ok: false, code: 'mail_tls_untrusted' });

    const saved = (await admin.post('/api/v1/mail/accounts', tlsBody(true))).json<MailAccount>();
    const ok = (await admin.post(`/api/v1/mail/accounts/${saved.id}/test`)).json<MailTestResult>();
    expect(ok).toMatchObject({ incoming: { ok: true }, smtp: { ok: true } });

    const pop = accountBody(s, user, 'pw-tls', 'pop3', { incoming: { protocol: 'pop3', host: s.host, port: s.pop3s, security: 'tls' } });
    expect((await admin.post('/api/v1/mail/accounts/test', pop)).json<MailTestResult>().incoming.code).toBe('mail_tls_untrusted');
    const popOk = await admin.post('/api/v1/mail/accounts/test', { ...pop, allowSelfSignedCertificate: true });
    expect(popOk.json<MailTestResult>().incoming.ok).toBe(true);
  });
});
