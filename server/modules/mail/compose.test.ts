import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailMessage } from '@common/schemas/mail';
import { createTestApp, loginAs, setupAdmin, type Client, type TestApp } from '@server/test/app';
import { createPosition, createUser, permissions, type CreatedUser } from '@server/test/factories';
import { MAIL_SERVERS_SKIPPED, startMailServers } from '@server/test/mail-servers';
import { seedCustomer } from '@server/modules/customers/testing';
import { upload } from '@server/modules/customers/excel.testing';
import { openImap } from './protocol/imap';
import { seedAccount, seedReceived } from './mailsend.testing';
import { seedContact } from '../customers/testing';

/**
 * Sending through the user's own account against the real SMTP receiver and Dovecot: the MIME the
 * server accepted, the stored sent copy with its customer link and the IMAP Sent copy, reply and
 * forward headers / attachments, a refused login (nothing lost), and drafts.
 */

const servers = await startMailServers();

describe.skipIf(!servers)(servers ? 'sending mail' : MAIL_SERVERS_SKIPPED, () => {
  const s = servers!;
  let t: TestApp;
  let sales: CreatedUser;
  let c: Client;
  let other: Client;
  let otherUser: CreatedUser;
  let account: { id: string; address: string; password: string };
  let customerId: string;

  beforeAll(async () => {
    t = await createTestApp();
    await setupAdmin(t.app);
    const positionId = await createPosition(t.app.ctx.db, {
      name: '销售',
      permissions: permissions({ customers: { actions: ['view'], scope: 'self' } }),
    });
    sales = await createUser(t.app.ctx.db, { username: 'chen', name: '陈建国', email: 'chen@corp.test', positionId });
    otherUser = await createUser(t.app.ctx.db, { username: 'li', name: '李雷' });
    c = await loginAs(t.app, sales.username, sales.password);
    other = await loginAs(t.app, otherUser.username, otherUser.password);
    account = await seedAccount(t.app, s, sales.id, { displayName: '陈建国（星辰科技）' });
    customerId = await seedCustomer(t.app.ctx.db, { name: '深圳市大华贸易有限公司', owner_id: sales.id });
    await seedContact(t.app.ctx.db, customerId, { name: '王大华', email: 'wang@client.test', title: '总经理', isPrimary: true });
  });
  afterAll(async () => {
    await t?.close();
    await s.stop();
  });

  const lastSent = () => s.sentMessages()[s.sentMessages().length - 1];

  it('sends through the own SMTP account: encoded Chinese subject, html + text, attachment; stored, linked, appended to Sent', async () => {
    const file = await upload(c, '报价单（2026）.txt', Buffer.from('单价 100 元\n'), 'text/plain');
    const before = s.sentMessages().length;
    const res = await c.post('/api/v1/mail/messages', {
      accountId: account.id,
      to: [{ name: '王总', address: 'wang@client.test' }],
      bcc: [{ address: 'boss@corp.test' }],
      subject: '关于贵司询价的报价单',
      html: '<p>王总，您好：</p><p>附件是<b>报价单</b>，请查收。</p>',
      attachments: [file.id],
    });
    expect(res.statusCode, res.body).toBe(201);
    const sent = res.json<MailMessage>();
    expect(sent).toMatchObject({
      folder: 'sent',
      sendStatus: 'sent',
      subject: '关于贵司询价的报价单',
      hasAttachments: true,
      sendError: null,
    });
    expect(sent.customers).toEqual([{ id: customerId, name: '深圳市大华贸易有限公司' }]);
    expect(sent.attachments.map((a) => a.fileId)).toEqual([file.id]);

    expect(s.sentMessages().length).toBe(before + 1);
    const got = lastSent();
    expect(got.envelope.from).toBe(account.address);
    expect(got.envelope.to.sort()).toEqual(['boss@corp.test', 'wang@client.test']);
    const head = got.raw.toString('latin1').split('\r\n\r\n')[0];
    expect(head).toMatch(/^Subject: =\?UTF-8\?[BQ]\?/m);
    expect(head).not.toMatch(/^Bcc:/im);
    const parsed = await simpleParser(got.raw);
    expect(parsed.subject).toBe('关于贵司询价的报价单');
    expect(parsed.from?.value[0]).toEqual({ name: '陈建国（星辰科技）', address: account.address });
    expect(parsed.html).toContain('<b>报价单</b>');
    expect(parsed.text).toContain('附件是报价单，请查收。');
    expect(parsed.attachments.map((a) => [a.filename, a.content.toString()])).toEqual([['报价单（2026）.txt', '单价 100 元\n']]);

    const row = await t.app.ctx.db.selectFrom('mail_messages').selectAll().where('id', '=', sent.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      folder: 'sent',
      dedupe_key: `o:${sent.id}`,
      send_status: 'sent',
      user_id: sales.id,
      message_id: parsed.messageId,
    });
    expect(JSON.parse(row.bcc_addresses)).toEqual([{ name: null, address: 'boss@corp.test' }]);
    const raw = await t.app.ctx.db.selectFrom('files').selectAll().where('id', '=', row.raw_file_id!).executeTakeFirstOrThrow();
    expect(raw).toMatchObject({ entity: 'mail_message', entity_id: sent.id, size: got.raw.length });
    const links = await t.app.ctx.db.selectFrom('mail_links').selectAll().where('message_id', '=', sent.id).execute();
    expect(links.map((l) => [l.customer_id, l.address])).toEqual([[customerId, 'wang@client.test']]);
    const audits = await t.app.ctx.db.selectFrom('audit_log').selectAll().where('entity_id', '=', sent.id).execute();
    expect(audits.map((a) => a.action)).toEqual(['send']);
    expect(JSON.stringify(audits)).not.toContain('请查收');

    // the IMAP copy: appended by a job into the server's Sent folder, flagged \Seen
    await t.app.ctx.jobs.runDue();
    let sentPath = '';
    const imap = await openImap({
      host: s.host,
      port: s.imap,
      security: 'none',
      username: account.address,
      password: account.password,
      allowSelfSigned: false,
    });
    try {
      const boxes = await imap.list();
      const sentBox = boxes.find((b) => b.specialUse === '\\Sent') ?? boxes.find((b) => b.path === 'Sent');
      expect(sentBox).toBeDefined();
      sentPath = sentBox!.path;
      const lock = await imap.getMailboxLock(sentBox!.path);
      try {
        const msgs = [];
        for await (const m of imap.fetch('1:*', { envelope: true, flags: true })) msgs.push(m);
        expect(msgs.map((m) => m.envelope?.subject)).toEqual(['关于贵司询价的报价单']);
        expect([...(msgs[0].flags ?? [])]).toContain('\\Seen');
      } finally {
        lock.release();
      }
    } finally {
      await imap.logout();
    }
    const appended = await t.app.ctx.db
      .selectFrom('mail_messages')
      .select('remote_folder')
      .where('id', '=', sent.id)
      .executeTakeFirstOrThrow();
    expect(appended.remote_folder).toBe(sentPath);
  });

  it('replies with In-Reply-To and References of the own original; not to someone else’s mail', async () => {
    const original = await seedReceived(t.app, sales.id, account.id, { messageId: '<q-1@client.test>', references: '<root@client.test>' });
    const res = await c.post('/api/v1/mail/messages', {
      accountId: account.id,
      to: [{ address: 'wang@client.test' }],
      subject: 'Re: 询价',
      html: '<p>收到</p><blockquote><p>询价</p></blockquote>',
      replyToId: original,
    });
    expect(res.statusCode, res.body).toBe(201);
    const parsed = await simpleParser(lastSent().raw);
    expect(parsed.inReplyTo).toBe('<q-1@client.test>');
    expect(parsed.references).toEqual(['<root@client.test>', '<q-1@client.test>']);
    expect(res.json<MailMessage>().inReplyTo).toBe('<q-1@client.test>');

    const otherAccount = await seedAccount(t.app, s, otherUser.id);
    const foreign = await seedReceived(t.app, otherUser.id, otherAccount.id);
    const refused = await c.post('/api/v1/mail/messages', {
      accountId: account.id,
      to: [{ address: 'wang@client.test' }],
      replyToId: foreign,
    });
    expect(refused.statusCode).toBe(404);
    // nor through someone else's account
    const viaOther = await c.post('/api/v1/mail/messages', { accountId: otherAccount.id, to: [{ address: 'wang@client.test' }] });
    expect(viaOther.statusCode).toBe(404);
  });

  it('forwards the attachments of the original; files of others are refused naming the field', async () => {
    const file = await upload(c, '合同.pdf', Buffer.from('%PDF-1.4 contract'), 'application/pdf');
    const original = await seedReceived(t.app, sales.id, account.id, {
      attachments: [{ fileId: file.id, name: '合同.pdf', mime: 'application/pdf', size: file.size }],
    });
    const res = await c.post('/api/v1/mail/messages', {
      accountId: account.id,
      to: [{ address: 'zhao@client.test' }],
      subject: 'Fwd: 合同',
      html: '<p>转发</p>',
      forwardOfId: original,
      attachments: [file.id],
    });
    expect(res.statusCode, res.body).toBe(201);
    const parsed = await simpleParser(lastSent().raw);
    expect(parsed.attachments.map((a) => [a.filename, a.content.toString()])).toEqual([['合同.pdf', '%PDF-1.4 contract']]);

    const theirs = await upload(other, 'x.txt', Buffer.from('x'), 'text/plain');
    const refused = await c.post('/api/v1/mail/messages', {
      accountId: account.id,
      to: [{ address: 'zhao@client.test' }],
      attachments: [theirs.id],
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0].field).toBe('attachments.0');
  });

  it('embeds our own quoted images the sender may read as cid: related parts; other images are left as they are', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    // the original's inline image: stored as a file of the received message (readable through it, not owned)
    const logo = await upload(other, 'logo.png', png, 'image/png');
    const original = await seedReceived(t.app, sales.id, account.id, {
      attachments: [{ fileId: logo.id, name: 'logo.png', mime: 'image/png', size: logo.size }],
    });
    // someone else's image the sender may not read
    const theirs = await upload(other, 'secret.png', png, 'image/png');
    const res = await c.post('/api/v1/mail/messages', {
      accountId: account.id,
      to: [{ address: 'wang@client.test' }],
      subject: 'Re: 询价（带图）',
      html:
        `<p>收到</p><blockquote><p><img src="/api/v1/files/${logo.id}" alt="logo"></p>` +
        `<p><img src="https://cdn.client.test/banner.png"></p><p><img src="/api/v1/files/${theirs.id}"></p></blockquote>`,
      replyToId: original,
    });
    expect(res.statusCode, res.body).toBe(201);

    const raw = lastSent().raw.toString('latin1');
    expect(raw).toMatch(/Content-Type: multipart\/related/i);
    // keep cid: links as sent (mailparser would turn them into data: URLs)
    const parsed = await simpleParser(lastSent().raw, { skipImageLinks: true });
    const image = parsed.attachments.find((a) => a.filename === 'logo.png')!;
    expect(image).toBeTruthy();
    expect(image.contentType).toBe('image/png');
    expect(image.related).toBe(true);
    expect(image.content.equals(png)).toBe(true);
    const html = String(parsed.html);
    expect(html).toContain(`src="cid:${image.cid}"`);
    expect(html).not.toContain(`/api/v1/files/${logo.id}`);
    expect(html).toContain('src="https://cdn.client.test/banner.png"');
    expect(html).toContain(`src="/api/v1/files/${theirs.id}"`);
    expect(parsed.attachments.map((a) => a.filename)).toEqual(['logo.png']);
    // the stored sent copy keeps the links our own pages can show
    expect(res.json<MailMessage>().html).toContain(`/api/v1/files/${logo.id}`);
  });

  it('refuses a mail without recipients', async () => {
    const res = await c.post('/api/v1/mail/messages', { accountId: account.id, subject: '无收件人', html: '<p>x</p>' });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('mail_no_recipient');
  });

  it('a refused SMTP login answers 502 in plain words and keeps the mail as a failed send, which can be sent again', async () => {
    const bad = await seedAccount(t.app, s, sales.id, { password: 'wrong-password-1' });
    const before = s.sentMessages().length;
    const res = await c.post('/api/v1/mail/messages', {
      accountId: bad.id,
      to: [{ address: 'wang@client.test' }],
      subject: '发不出去',
      html: '<p>内容保留</p>',
    });
    expect(res.statusCode, res.body).toBe(502);
    const problem = res.json();
    expect(problem.code).toBe('mail_send_failed');
    expect(problem.detail).toContain('535');
    expect(s.sentMessages().length).toBe(before);
    const row = await t.app.ctx.db.selectFrom('mail_messages').selectAll().where('account_id', '=', bad.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ folder: 'sent', send_status: 'failed', subject: '发不出去', html_body: '<p>内容保留</p>' });
    expect(row.send_error).toContain('535');

    // the password fixed, the failed mail goes out with its id as draftId (no second copy)
    await t.app.ctx.db
      .updateTable('mail_accounts')
      .set({ password_enc: t.app.ctx.secrets.encrypt(account.password) })
      .where('id', '=', bad.id)
      .execute();
    await t.app.ctx.db.updateTable('mail_accounts').set({ username: account.address }).where('id', '=', bad.id).execute();
    const again = await c.post('/api/v1/mail/messages', {
      accountId: bad.id,
      to: [{ address: 'wang@client.test' }],
      subject: '发不出去',
      html: '<p>内容保留</p>',
      draftId: row.id,
    });
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json<MailMessage>()).toMatchObject({ id: row.id, sendStatus: 'sent', sendError: null });
    const copies = await t.app.ctx.db.selectFrom('mail_messages').select('id').where('account_id', '=', bad.id).execute();
    expect(copies).toHaveLength(1);
  });

  it('drafts: create, autosave with version (stale → 409), send removes the draft, delete', async () => {
    const file = await upload(c, '附件.txt', Buffer.from('draft file'), 'text/plain');
    const created = await c.post('/api/v1/mail/drafts', {
      accountId: account.id,
      subject: '草稿',
      html: '<p>第一版</p>',
      attachments: [file.id],
    });
    expect(created.statusCode, created.body).toBe(201);
    const d1 = created.json<MailMessage>();
    expect(d1).toMatchObject({ folder: 'drafts', sendStatus: 'draft', version: 1 });

    const saved = await c.patch(`/api/v1/mail/drafts/${d1.id}`, {
      accountId: account.id,
      to: [{ address: 'wang@client.test' }],
      subject: '草稿',
      html: '<p>第二版</p>',
      attachments: [file.id],
      version: 1,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json<MailMessage>()).toMatchObject({ version: 2, html: '<p>第二版</p>' });
    const stale = await c.patch(`/api/v1/mail/drafts/${d1.id}`, { accountId: account.id, html: '<p>旧标签页</p>', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('stale_version');
    // someone else cannot see or touch it
    expect((await other.patch(`/api/v1/mail/drafts/${d1.id}`, { accountId: account.id, version: 2 })).statusCode).toBe(404);

    const sent = await c.post('/api/v1/mail/messages', {
      accountId: account.id,
      to: [{ address: 'wang@client.test' }],
      subject: '草稿',
      html: '<p>第二版</p>',
      attachments: [file.id],
      draftId: d1.id,
    });
    expect(sent.statusCode, sent.body).toBe(201);
    expect(sent.json<MailMessage>()).toMatchObject({ id: d1.id, folder: 'sent', sendStatus: 'sent' });
    const parsed = await simpleParser(lastSent().raw);
    expect(parsed.attachments.map((a) => a.filename)).toEqual(['附件.txt']);
    const drafts = await t.app.ctx.db
      .selectFrom('mail_messages')
      .select('id')
      .where('user_id', '=', sales.id)
      .where('folder', '=', 'drafts')
      .execute();
    expect(drafts).toEqual([]);

    const d2 = (await c.post('/api/v1/mail/drafts', { accountId: account.id, subject: '不要了' })).json<MailMessage>();
    expect((await c.delete(`/api/v1/mail/drafts/${d2.id}`)).statusCode).toBe(204);
    expect((await c.delete(`/api/v1/mail/drafts/${d2.id}`)).statusCode).toBe(404);
  });
});
