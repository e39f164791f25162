import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVITE_HOURS } from '@common/schemas/mail';
import { Client, createTestApp, loginAs, setupAdmin, type TestApp } from '@server/test/app';
import { createPosition, createUser, permissions } from '@server/test/factories';
import { MAIL_SERVERS_SKIPPED, startMailServers } from '@server/test/mail-servers';

/**
 * Invitations and password resets by mail: a link that works once, expires after 72 hours, ends
 * earlier links; forgot-password answering unknown addresses exactly like known ones.
 */

const servers = await startMailServers();

describe.skipIf(!servers)(servers ? 'invitation and reset links' : MAIL_SERVERS_SKIPPED, () => {
  const s = servers!;
  let t: TestApp;
  let admin: Client;
  const SYSTEM = 'system-ul@example.test';

  const lastMailTo = async (address: string) => {
    const m = [...s.sentMessages()].reverse().find((x) => x.envelope.to.includes(address));
    if (!m) throw new Error(`no mail to ${address}`);
    const parsed = await simpleParser(m.raw);
    const token = /set-password\?token=([A-Za-z0-9_-]+)/.exec(parsed.text ?? '')?.[1];
    return { parsed, token: token! };
  };
  const anon = () => new Client(t.app);

  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    await s.addUser(SYSTEM, 'sys-pw-1');
  });
  afterAll(async () => {
    await t?.close();
    await s.stop();
  });

  it('needs the system mail account', async () => {
    const u = await createUser(t.app.ctx.db, { username: 'early', email: 'early@corp.test' });
    const res = await admin.post(`/api/v1/users/${u.id}/invite`);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('system_mail_not_configured');
    const put = await admin.put('/api/v1/system/mail', {
      enabled: true,
      fromAddress: SYSTEM,
      smtp: { host: s.host, port: s.smtp, security: 'none' },
      username: SYSTEM,
      password: 'sys-pw-1',
      publicUrl: 'https://crm.example.test',
    });
    expect(put.statusCode, put.body).toBe(200);
  });

  it('an invitation mails a link in the user’s language that sets the password once', async () => {
    const u = await createUser(t.app.ctx.db, { username: 'zhang', name: 'Zhang San', email: 'zhang@corp.test', mustChangePassword: true });
    await t.app.ctx.db.updateTable('users').set({ locale: 'en-US' }).where('id', '=', u.id).execute();
    const session = await loginAs(t.app, u.username, u.password);

    const res = await admin.post(`/api/v1/users/${u.id}/invite`);
    expect(res.statusCode, res.body).toBe(200);
    const { expiresAt } = res.json<{ expiresAt: string }>();
    expect(Math.abs(Date.parse(expiresAt) - Date.now() - INVITE_HOURS * 3600_000)).toBeLessThan(60_000);
    const { parsed, token } = await lastMailTo('zhang@corp.test');
    expect(parsed.subject).toContain('invites you');
    expect(parsed.text).toContain(`https://crm.example.test/set-password?token=${token}`);
    expect(token.length).toBeGreaterThanOrEqual(43);
    const row = await t.app.ctx.db.selectFrom('user_links').selectAll().where('user_id', '=', u.id).executeTakeFirstOrThrow();
    expect(row.kind).toBe('invite');
    expect(row.token_hash).not.toContain(token);

    const info = await anon().get(`/api/v1/auth/links/${token}`);
    expect(info.statusCode).toBe(200);
    expect(info.json()).toEqual({ kind: 'invite', username: 'zhang', expiresAt });

    const weak = await anon().post('/api/v1/auth/set-password', { token, password: 'short' });
    expect(weak.statusCode).toBe(400);
    const set = await anon().post('/api/v1/auth/set-password', { token, password: 'NewPassw0rd' });
    expect(set.statusCode, set.body).toBe(200);
    // every session of the user ended; the new password works, must-change cleared
    expect((await session.get('/api/v1/me')).statusCode).toBe(401);
    const fresh = await loginAs(t.app, 'zhang', 'NewPassw0rd');
    expect((await fresh.get('/api/v1/me')).json().user.mustChangePassword).toBe(false);

    const second = await anon().post('/api/v1/auth/set-password', { token, password: 'OtherPassw0rd' });
    expect(second.statusCode).toBe(400);
    expect(second.json().code).toBe('link_invalid');
    expect((await anon().get(`/api/v1/auth/links/${token}`)).json().code).toBe('link_invalid');
    const audit = await t.app.ctx.db.selectFrom('audit_log').select('action').where('entity_id', '=', u.id).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['invite', 'password_set']));
  });

  it('expires after 72 hours; a new invitation ends the earlier one; no address → 400; org editors only', async () => {
    const u = await createUser(t.app.ctx.db, { username: 'wu', email: 'wu@corp.test' });
    await admin.post(`/api/v1/users/${u.id}/invite`);
    const first = (await lastMailTo('wu@corp.test')).token;
    await admin.post(`/api/v1/users/${u.id}/invite`);
    const second = (await lastMailTo('wu@corp.test')).token;
    expect(second).not.toBe(first);
    expect((await anon().get(`/api/v1/auth/links/${first}`)).statusCode).toBe(400);
    expect((await anon().get(`/api/v1/auth/links/${second}`)).statusCode).toBe(200);

    // 72 hours later (the link's clock moved back past its end)
    const row = await t.app.ctx.db
      .selectFrom('user_links')
      .selectAll()
      .where('user_id', '=', u.id)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(Date.parse(row.expires_at) - Date.parse(row.created_at)).toBe(INVITE_HOURS * 3600_000);
    const shift = (iso: string) => new Date(Date.parse(iso) - INVITE_HOURS * 3600_000 - 1000).toISOString();
    await t.app.ctx.db
      .updateTable('user_links')
      .set({ expires_at: shift(row.expires_at), created_at: shift(row.created_at) })
      .where('id', '=', row.id)
      .execute();
    const expired = await anon().post('/api/v1/auth/set-password', { token: second, password: 'NewPassw0rd' });
    expect(expired.statusCode).toBe(400);
    expect(expired.json().code).toBe('link_invalid');

    const noMail = await createUser(t.app.ctx.db, { username: 'nomail' });
    const res = await admin.post(`/api/v1/users/${noMail.id}/invite`);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('email');

    const plainUser = await createUser(t.app.ctx.db, { username: 'plain' });
    const plain = await loginAs(t.app, plainUser.username, plainUser.password);
    expect((await plain.post(`/api/v1/users/${u.id}/invite`)).statusCode).toBe(403);
    const positionId = await createPosition(t.app.ctx.db, {
      name: '人事',
      permissions: permissions({ org: { actions: ['view', 'edit'], scope: 'all' } }),
    });
    const hr = await createUser(t.app.ctx.db, { username: 'hr', positionId });
    const hrClient = await loginAs(t.app, hr.username, hr.password);
    expect((await hrClient.post(`/api/v1/users/${u.id}/invite`)).statusCode).toBe(200);
  });

  it('forgot password: the same answer for unknown addresses, which get no mail; the reset link works once', async () => {
    const u = await createUser(t.app.ctx.db, { username: 'zhou', name: '周九', email: 'zhou@corp.test' });
    const before = s.sentMessages().length;

    let started = Date.now();
    const unknown = await anon().post('/api/v1/auth/forgot-password', { email: 'nobody@corp.test' });
    const unknownMs = Date.now() - started;
    started = Date.now();
    const known = await anon().post('/api/v1/auth/forgot-password', { email: 'ZHOU@corp.test' });
    const knownMs = Date.now() - started;
    expect(unknown.statusCode).toBe(202);
    expect(known.statusCode).toBe(202);
    expect(unknown.body).toBe(known.body);
    expect(unknownMs).toBeGreaterThanOrEqual(240);
    expect(knownMs).toBeGreaterThanOrEqual(240);

    // the mail leaves from a job; only the known address gets one
    expect(s.sentMessages().length).toBe(before);
    await t.app.ctx.jobs.runDue();
    const mails = s.sentMessages().slice(before);
    expect(mails.map((m) => m.envelope.to)).toEqual([['zhou@corp.test']]);
    const { parsed, token } = await lastMailTo('zhou@corp.test');
    expect(parsed.subject).toBe('重置协同 CRM 登录密码');

    // a disabled user gets nothing
    await createUser(t.app.ctx.db, { username: 'gone', email: 'gone@corp.test', status: 'disabled' });
    expect((await anon().post('/api/v1/auth/forgot-password', { email: 'gone@corp.test' })).statusCode).toBe(202);
    await t.app.ctx.jobs.runDue();
    expect(s.sentMessages().slice(before)).toHaveLength(1);

    expect((await anon().get(`/api/v1/auth/links/${token}`)).json()).toMatchObject({ kind: 'reset', username: 'zhou' });
    expect((await anon().post('/api/v1/auth/set-password', { token, password: 'Reset12345' })).statusCode).toBe(200);
    expect((await anon().post('/api/v1/auth/set-password', { token, password: 'Reset67890' })).statusCode).toBe(400);
    await loginAs(t.app, 'zhou', 'Reset12345');
    expect(u.id).toBeTruthy();
  });
});
