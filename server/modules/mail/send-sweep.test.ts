import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailAccount, MailMessage } from '@common/schemas/mail';
import { createTestApp, setupAdmin, type Client, type TestApp } from '@server/test/app';
import { MAIL_FETCH_SCAN_JOB } from './fetch.job';

/** A send cut off by a crash between 'sending' and the SMTP answer is handed back as failed by the every-minute scan. */

let t: TestApp;
let admin: Client;
let accountId: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await setupAdmin(t.app);
  const a = await admin.post('/api/v1/mail/accounts', {
    name: '工作邮箱',
    address: 'me@example.com',
    incoming: { protocol: 'imap', host: 'imap.example.com', port: 993, security: 'tls' },
    smtp: { host: 'smtp.example.com', port: 465, security: 'tls' },
    username: 'me@example.com',
    password: 'secret',
    enabled: false, // no fetch is due: the scan only sweeps
  });
  accountId = a.json<MailAccount>().id;
});
afterAll(async () => {
  await t?.close();
});

/** A message as a crashed send leaves it: in 已发送, 'sending', last touched `minutesAgo` minutes ago. */
async function stuckSend(subject: string, minutesAgo: number): Promise<string> {
  const d = await admin.post('/api/v1/mail/drafts', { accountId, to: [{ address: 'wang@client.test' }], subject, html: '<p>您好</p>' });
  expect(d.statusCode, d.body).toBe(201);
  const id = d.json<MailMessage>().id;
  const at = new Date(Date.now() - minutesAgo * 60_000).toISOString();
  await t.app.ctx.db
    .updateTable('mail_messages')
    .set({ folder: 'sent', send_status: 'sending', updated_at: at })
    .where('id', '=', id)
    .execute();
  return id;
}

describe('mail sends stuck in sending', () => {
  it('the mail scan marks a send stuck for over 10 minutes as failed with a clear error; a recent one is left alone', async () => {
    const old = await stuckSend('崩溃前的邮件', 11);
    const recent = await stuckSend('正在发送的邮件', 2);

    await t.app.ctx.jobs.enqueue(t.app.ctx.db, MAIL_FETCH_SCAN_JOB, {});
    await t.app.ctx.jobs.runDue();

    const failed = (await admin.get(`/api/v1/mail/messages/${old}`)).json<MailMessage>();
    expect(failed).toMatchObject({ folder: 'sent', sendStatus: 'failed' });
    expect(failed.sendError).toContain('编辑后重发');
    expect((await admin.get(`/api/v1/mail/messages/${recent}`)).json<MailMessage>().sendStatus).toBe('sending');
    const audits = await t.app.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_id', '=', old)
      .where('action', '=', 'send_failed')
      .execute();
    expect(audits).toHaveLength(1);
  });
});
