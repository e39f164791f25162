import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SystemMailSettings } from '@common/schemas/mail';
import { createTestApp, loginAs, setupAdmin, type Client, type TestApp } from '@server/test/app';
import { createUser } from '@server/test/factories';
import { MAIL_SERVERS_SKIPPED, startMailServers } from '@server/test/mail-servers';
import { notify } from '@server/platform/notify/notify.service';
import { sendSystemMail } from './system-mail.service';

/**
 * The system mail account: settings that never return the password, the test mail, sendSystemMail
 * for other modules, and notices mailed through a job when notifyByMail is on.
 */

const servers = await startMailServers();

describe.skipIf(!servers)(servers ? 'system mail' : MAIL_SERVERS_SKIPPED, () => {
  const s = servers!;
  let t: TestApp;
  let admin: Client;
  const SYSTEM = 'system-sm@example.test';
  const PASSWORD = 'sys-Secret-42';

  const body = (over: Record<string, unknown> = {}) => ({
    enabled: true,
    fromAddress: SYSTEM,
    fromName: '协同 CRM',
    smtp: { host: s.host, port: s.smtp, security: 'none' },
    username: SYSTEM,
    password: PASSWORD,
    publicUrl: 'https://crm.example.test/',
    ...over,
  });

  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    await s.addUser(SYSTEM, PASSWORD);
  });
  afterAll(async () => {
    await t?.close();
    await s.stop();
  });

  it('keeps the settings with the password sealed and never returns it', async () => {
    const empty = await admin.get('/api/v1/system/mail');
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toMatchObject({ enabled: false, hasPassword: false });
    // not configured: other modules are told so
    await expect(sendSystemMail(t.app.ctx, { to: 'a@b.test', subject: 'x', html: 'x' })).rejects.toMatchObject({
      code: 'system_mail_not_configured',
    });

    const put = await admin.put('/api/v1/system/mail', body());
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json<SystemMailSettings>()).toMatchObject({ enabled: true, fromAddress: SYSTEM, hasPassword: true, notifyByMail: false });
    expect(put.body).not.toContain(PASSWORD);
    expect(put.json()).not.toHaveProperty('password');
    expect(put.json()).not.toHaveProperty('passwordEnc');

    // an omitted password keeps the stored one
    const again = await admin.put('/api/v1/system/mail', { ...body(), password: undefined, fromName: '系统通知' });
    expect(again.json<SystemMailSettings>()).toMatchObject({ fromName: '系统通知', hasPassword: true });
    const got = await admin.get('/api/v1/system/mail');
    expect(got.body).not.toContain(PASSWORD);
    expect(got.json<SystemMailSettings>()).toMatchObject({ hasPassword: true, publicUrl: 'https://crm.example.test/' });

    const row = await t.app.ctx.db.selectFrom('settings').select('value').where('key', '=', 'mail.system').executeTakeFirstOrThrow();
    expect(row.value).not.toContain(PASSWORD);
    const audits = await t.app.ctx.db.selectFrom('audit_log').select(['changes', 'detail']).where('entity', '=', 'system_mail').execute();
    expect(audits).toHaveLength(2);
    expect(JSON.stringify(audits)).not.toContain(PASSWORD);

    const user = await createUser(t.app.ctx.db, { username: 'zhao' });
    const plain = await loginAs(t.app, user.username, user.password);
    expect((await plain.get('/api/v1/system/mail')).statusCode).toBe(403);
    expect((await plain.put('/api/v1/system/mail', body())).statusCode).toBe(403);
  });

  it('sends a test mail to the admin’s own address; a refused login answers in plain words', async () => {
    const noEmail = await admin.post('/api/v1/system/mail/test');
    expect(noEmail.statusCode).toBe(400);
    expect(noEmail.json().errors[0].field).toBe('email');

    await t.app.ctx.db.updateTable('users').set({ email: 'root@corp.test' }).where('username', '=', 'admin').execute();
    const admin2 = await loginAs(t.app, 'admin', 'Admin12345');
    const before = s.sentMessages().length;
    const res = await admin2.post('/api/v1/system/mail/test');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ to: 'root@corp.test' });
    const sent = s.sentMessages()[before];
    expect(sent.envelope).toEqual({ from: SYSTEM, to: ['root@corp.test'] });
    const parsed = await simpleParser(sent.raw);
    expect(parsed.subject).toBe('协同 CRM 系统邮箱测试');
    expect(parsed.from?.value[0]).toEqual({ name: '系统通知', address: SYSTEM });

    await admin2.put('/api/v1/system/mail', body({ password: 'wrong-one-1' }));
    const bad = await admin2.post('/api/v1/system/mail/test');
    expect(bad.statusCode).toBe(502);
    expect(bad.json().code).toBe('mail_send_failed');
    expect(bad.json().detail).toContain('535');
    await admin2.put('/api/v1/system/mail', body());
  });

  it('mails notices through a job when notifyByMail is on (not mail.new, not recipients without an address)', async () => {
    const withMail = await createUser(t.app.ctx.db, { username: 'qian', name: '钱七', email: 'qian@corp.test' });
    const without = await createUser(t.app.ctx.db, { username: 'sun', name: '孙八' });
    const before = s.sentMessages().length;

    // off: nothing queued
    await notify(t.app.ctx, [withMail.id], { type: 'customer.recycled', title: '客户已回收', link: '/customers/x' });
    await t.app.ctx.jobs.runDue();
    expect(s.sentMessages().length).toBe(before);

    await admin.put('/api/v1/system/mail', body({ notifyByMail: true }));
    await notify(t.app.ctx, [withMail.id, without.id], {
      type: 'approval.requested',
      title: '请审批：报销单',
      body: '金额 100 元',
      link: '/approvals/1',
    });
    await notify(t.app.ctx, [withMail.id], { type: 'mail.new', title: '新邮件' });
    // the in-app notice did not wait on SMTP
    expect(s.sentMessages().length).toBe(before);
    await t.app.ctx.jobs.runDue();
    const mails = s.sentMessages().slice(before);
    expect(mails.map((m) => m.envelope.to)).toEqual([['qian@corp.test']]);
    const parsed = await simpleParser(mails[0].raw);
    expect(parsed.subject).toBe('请审批：报销单');
    expect(parsed.html).toContain('金额 100 元');
    expect(parsed.html).toContain('https://crm.example.test/approvals/1');
    await admin.put('/api/v1/system/mail', body({ notifyByMail: false }));
  });
});
