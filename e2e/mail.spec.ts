import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import iconv from 'iconv-lite';
import { simpleParser } from 'mailparser';
import { startMailServers, type MailServers } from '../server/test/mail-servers';
import { BASE_URL, button, launchBrowser, openTab, screenshot, t, waitForPath, type Tab } from './browser';
import { api, logIn, setUpCompany } from './session';

/**
 * External mailboxes in the browser (issue 5), against a real Dovecot and SMTP receiver started here:
 * the admin adds an IMAP account through the form (test connection shows both sides logged in), a
 * Chinese mail with a GBK-encoded subject is delivered and received with 收取邮件, read (body in the
 * sandboxed frame), answered with 回复, and the answer is in 已发送 and went out through SMTP; on the
 * customer whose contact wrote it, the mail and the answer are on the timeline, and 写邮件 opens
 * compose addressed to the contact — whose draft is autosaved and kept on closing. A group mail to the
 * customer fills its merge fields and shows its progress live; an invitation mailed through the system
 * account carries a link whose page sets the invitee's password. Steps run in order.
 */

const ADMIN = { username: 'admin', password: 'Admin2026x', name: '张销售' };
const MAILBOX = { address: 'sales@mail.test', password: 'Mailbox-pass-1', name: '销售邮箱' };
const CLIENT = { address: 'client@mail.test', name: '王建国' };
const CUSTOMER = '华东精密机电有限公司';
const SUBJECT = '关于订购数控机床的询价（第二批）';
const BODY_LINE = '我司拟采购 5 台数控机床，请报价。';
const REPLY_LINE = '王经理您好，报价单明天发给您。';
const REPLY_SUBJECT = `${t('mailui.quote.reply_prefix')}${SUBJECT}`;
const DRAFT_SUBJECT = '二季度合作方案';
const NEWSLETTER_SUBJECT = '新品目录（含图片）';
// a 1×1 PNG, served by a small http server on a port of its own (another origin than the app)
const PIXEL = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const INVITEE = { username: 'zhao.liu', name: '赵六', email: 'zhao@mail.test', password: 'ZhaoLiu2026x' };

/** A mail as a Chinese client sends it: GBK subject and sender name (RFC 2047, base64) and a GBK HTML body. */
function gbkMail(): Buffer {
  const word = (s: string) => `=?GBK?B?${iconv.encode(s, 'gbk').toString('base64')}?=`;
  const html = `<html><body><p>张经理您好：</p><p>${BODY_LINE}</p><p>${CLIENT.name}</p></body></html>`;
  const head = [
    `From: ${word(CLIENT.name)} <${CLIENT.address}>`,
    `To: ${MAILBOX.address}`,
    `Subject: ${word(SUBJECT)}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <inquiry-${Date.now()}@mail.test>`,
    'MIME-Version: 1.0',
    'Content-Type: text/html; charset=GBK',
    'Content-Transfer-Encoding: base64',
  ].join('\r\n');
  return Buffer.concat([Buffer.from(`${head}\r\n\r\n`), Buffer.from(`${iconv.encode(html, 'gbk').toString('base64')}\r\n`)]);
}

const servers = await startMailServers();

describe.skipIf(!servers)(
  servers ? 'mail in the browser' : 'mail in the browser — skipped: real mail servers (Dovecot) unavailable here',
  () => {
    const mail = servers as MailServers;
    let browser: Browser;
    let tab: Tab;
    let page: Page;
    let customerId = '';
    let step = '';
    let broken = false;
    let imageServer: Server | undefined;
    let imageHits = 0;

    beforeAll(async () => {
      await mail.addUser(MAILBOX.address, MAILBOX.password);
      await mail.addUser(CLIENT.address, 'Client-pass-1');
      browser = await launchBrowser();
      tab = await openTab(browser);
      page = tab.page;
    });
    afterAll(async () => {
      await browser?.close();
      await mail.stop();
      await new Promise((done) => (imageServer ? imageServer.close(done) : done(undefined)));
    });
    beforeEach((ctx) => {
      if (broken) ctx.skip();
    });
    afterEach(async (ctx) => {
      if (ctx.task.result?.state === 'fail') {
        broken = true;
        console.error(`[e2e] at ${page.url()} — screenshot ${await screenshot(page, `mail-${step}`)}`);
      }
      expect(tab.errors).toEqual([]);
    });

    /** Picks `text` in the antd Select `select`. */
    async function pick(select: Locator, text: string) {
      await select.click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: text }).first().click();
      // the list closes with a motion: the next pick must not find this one still showing
      await expect.poll(() => page.locator('.ant-select-dropdown:visible').count()).toBe(0);
    }

    it('adds an IMAP account through the form, after a connection test that logs in on both sides', async () => {
      step = 'account';
      await setUpCompany(page, '协同邮件测试公司', ADMIN);
      // the customer whose contact will write: created first, so the mail is linked when it arrives
      const customer = await api<{ id: string }>(page, 'POST', '/customers', {
        name: CUSTOMER,
        importance: 'high',
        phone: '021-55550000',
        contacts: [{ name: CLIENT.name, mobile: '13800001111', email: CLIENT.address, title: '采购经理' }],
      });
      customerId = customer.id;

      await page.goto('/mail/accounts');
      await button(page, 'mailui.accounts.add').click();
      const drawer = page.getByRole('dialog').filter({ hasText: t('mailui.accounts.add_title') });
      await drawer.getByLabel(t('mailui.accounts.address'), { exact: true }).fill(MAILBOX.address);
      await drawer.getByLabel(t('mailui.accounts.name'), { exact: true }).fill(MAILBOX.name);
      await drawer.getByLabel(t('mailui.accounts.host', { side: 'IMAP' }), { exact: true }).fill(mail.host);
      await drawer.getByLabel(t('mailui.accounts.host', { side: 'SMTP' }), { exact: true }).fill(mail.host);
      const security = drawer.getByLabel(t('mailui.accounts.security'), { exact: true });
      await pick(security.nth(0), t('mailui.security.starttls'));
      await pick(security.nth(1), t('mailui.security.starttls'));
      const ports = drawer.getByLabel(t('mailui.accounts.port'), { exact: true });
      await ports.nth(0).fill(String(mail.imap));
      await ports.nth(1).fill(String(mail.smtp));
      // the user name follows the address
      expect(await drawer.getByLabel(t('mailui.accounts.username'), { exact: true }).inputValue()).toBe(MAILBOX.address);
      await drawer.getByLabel(t('mailui.accounts.password'), { exact: true }).fill(MAILBOX.password);

      // the test server's certificate is self-signed: refused until the account allows it
      await button(drawer, 'mailui.accounts.test').click();
      const result = drawer.getByTestId('mail-test-result');
      await result.getByText(t('mail.test.tls_untrusted_hint'), { exact: false }).first().waitFor();
      await drawer.getByText(t('mailui.accounts.self_signed'), { exact: true }).click();
      await button(drawer, 'mailui.accounts.test').click();
      await result.getByText(t('mail.test.incoming_ok', { protocol: 'IMAP' })).waitFor();
      await result.getByText(t('mail.test.smtp_ok')).waitFor();

      await button(drawer, 'common.save').click();
      await drawer.waitFor({ state: 'hidden' });
      const row = page.locator('.ant-table-row').filter({ hasText: MAILBOX.address });
      await row.getByText(MAILBOX.name).waitFor();
    });

    it('receives a mail with a GBK subject with 收取邮件 and reads it', async () => {
      step = 'receive';
      await mail.deliver(MAILBOX.address, gbkMail());
      await page.goto('/mail');
      await button(page, 'mailui.fetch.button').click();
      const row = page.getByTestId('mail-row').filter({ hasText: SUBJECT });
      await row.waitFor();
      await row.getByText(CLIENT.name, { exact: true }).waitFor();
      // linked to the customer by the contact's address
      await row.getByText(CUSTOMER, { exact: true }).waitFor();
      await page.getByTestId('mail-folder-inbox').locator('.ant-badge-count').waitFor();

      await row.click();
      await page.getByTestId('mail-subject').getByText(SUBJECT).waitFor();
      await page.getByTestId('mail-view').getByText(`${CLIENT.name} <${CLIENT.address}>`).waitFor();
      await page.frameLocator('[data-testid="mail-body"]').getByText(BODY_LINE).waitFor();
      expect(new URL(page.url()).searchParams.get('id')).toBeTruthy();
      // opened = read: the inbox has nothing unread any more
      await expect.poll(() => page.getByTestId('mail-folder-inbox').locator('.ant-badge-count').count()).toBe(0);
    });

    it('replies (quoted original, 回复： subject) and finds the reply in 已发送', async () => {
      step = 'reply';
      await button(page.getByTestId('mail-view'), 'mailui.action.reply').click();
      const compose = page.getByTestId('compose');
      await compose.getByText(`${CLIENT.name} <${CLIENT.address}>`).waitFor();
      expect(await compose.getByLabel(t('mailui.compose.subject'), { exact: true }).inputValue()).toBe(REPLY_SUBJECT);
      await compose.frameLocator('[data-testid="mail-body"]').getByText(t('mailui.quote.separator')).waitFor();
      const editor = compose.getByTestId('mail-editor');
      await editor.click();
      await page.keyboard.press('Control+Home');
      await page.keyboard.type(REPLY_LINE);
      await button(compose, 'mailui.compose.send').click();
      await page.getByText(t('mailui.compose.sent')).waitFor();
      await compose.waitFor({ state: 'hidden' });

      // it went out through SMTP, to the sender, as a reply
      await expect.poll(() => mail.sentMessages().length).toBe(1);
      const sent = mail.sentMessages()[0];
      expect(sent.envelope.to).toEqual([CLIENT.address]);
      expect(sent.raw.toString('latin1')).toMatch(/^In-Reply-To: <inquiry-\d+@mail\.test>/m);

      await page.getByTestId('mail-folder-sent').click();
      const row = page.getByTestId('mail-row').filter({ hasText: REPLY_SUBJECT });
      await row.waitFor();
      await row.click();
      await page.frameLocator('[data-testid="mail-body"]').getByText(REPLY_LINE).waitFor();
    });

    it('holds back a remote image until 显示图片, then shows it (the body page has its own CSP)', async () => {
      step = 'images';
      imageServer = createServer((_req, res) => {
        imageHits++;
        res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'no-store' }).end(PIXEL);
      });
      await new Promise<void>((done) => imageServer!.listen(0, '127.0.0.1', done));
      const src = `http://127.0.0.1:${(imageServer.address() as AddressInfo).port}/pixel.png`;
      await mail.deliver(
        MAILBOX.address,
        [
          'From: News <news@promo.test>',
          `To: ${MAILBOX.address}`,
          `Subject: =?UTF-8?B?${Buffer.from(NEWSLETTER_SUBJECT).toString('base64')}?=`,
          `Date: ${new Date().toUTCString()}`,
          `Message-ID: <news-${Date.now()}@promo.test>`,
          'MIME-Version: 1.0',
          'Content-Type: text/html; charset=utf-8',
          '',
          `<p>本季新品</p><p><img id="remote" src="${src}" width="40" height="40" alt="pixel"></p>`,
          '',
        ].join('\r\n'),
      );
      await page.getByTestId('mail-folder-inbox').click();
      await button(page, 'mailui.fetch.button').click();
      const row = page.getByTestId('mail-row').filter({ hasText: NEWSLETTER_SUBJECT });
      await row.waitFor();
      await row.click();
      const body = page.frameLocator('[data-testid="mail-body"]');
      await body.getByText('本季新品').waitFor();
      const blocked = page.getByTestId('remote-images-blocked');
      await blocked.waitFor();
      expect(await body.locator('img').getAttribute('src')).toBeNull();
      expect(imageHits).toBe(0);

      await blocked.getByText(t('mailui.read.show_images')).click();
      await blocked.waitFor({ state: 'hidden' });
      const img = body.locator('img');
      await expect.poll(() => img.getAttribute('src')).toBe(src);
      // loaded, not refused by a Content-Security-Policy
      await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBe(1);
      expect(imageHits).toBeGreaterThan(0);
    });

    it("shows both mails on the customer's timeline; 写邮件 opens compose to the contact and keeps the draft", async () => {
      step = 'customer';
      await page.goto(`/customers/${customerId}`);
      await page.getByRole('tab', { name: t('customersui.tab.followups') }).click();
      const entries = page.getByTestId('timeline-mail');
      await entries
        .filter({ hasText: SUBJECT })
        .filter({ hasText: t('mailui.timeline.received') })
        .first()
        .waitFor();
      await entries
        .filter({ hasText: REPLY_SUBJECT })
        .filter({ hasText: t('mailui.timeline.sent') })
        .waitFor();
      // opening one shows it read-only
      await entries.filter({ hasText: REPLY_SUBJECT }).getByText(REPLY_SUBJECT).click();
      const reader = page.getByRole('dialog').filter({ hasText: t('mailui.timeline.mail') });
      await reader.frameLocator('[data-testid="mail-body"]').getByText(REPLY_LINE).waitFor();
      await reader.locator('.ant-drawer-close').click();

      await page.getByTestId('write-mail').click();
      const compose = page.getByTestId('compose');
      await compose.getByText(`${CLIENT.name} <${CLIENT.address}>`).waitFor();
      await compose.getByLabel(t('mailui.compose.subject'), { exact: true }).fill(DRAFT_SUBJECT);
      // autosaved a few seconds after the last change
      await compose
        .getByTestId('draft-status')
        .getByText(/\d+:\d+/)
        .waitFor({ timeout: 10_000 });
      await page.locator('.ant-drawer').filter({ has: compose }).locator('.ant-drawer-close').click();
      const ask = page.getByRole('dialog').filter({ hasText: t('mailui.compose.close_title') });
      await button(ask, 'mailui.compose.keep').click();
      await page.getByText(t('mailui.compose.draft_kept')).waitFor();

      await page.goto('/mail?folder=drafts');
      await waitForPath(page, '/mail');
      await page.getByTestId('mail-row').filter({ hasText: DRAFT_SUBJECT }).waitFor();
    });

    it('sends a group mail to the customer with merge fields; its progress reaches done live', async () => {
      step = 'batch';
      await page.goto('/mail/batches');
      await button(page, 'mailui.batches.new').click();
      const drawer = page.locator('.ant-drawer').filter({ hasText: t('mailui.batches.merge_fields') });
      const picker = drawer.locator('.ant-select').filter({ hasText: t('customersui.picker.placeholder') });
      await picker.click();
      await page.keyboard.type(CUSTOMER.slice(0, 4));
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: CUSTOMER }).click();
      await drawer.getByTestId('batch-customer').getByText(CUSTOMER).waitFor();
      await drawer.getByLabel(t('mailui.compose.subject'), { exact: true }).fill('{{companyName}} 新品推介');
      await drawer.getByLabel(t('mailui.batches.pause'), { exact: true }).fill('0');
      await button(drawer, 'mailui.batches.send').click();
      await page.getByText(t('mailui.batches.created', { total: 1 })).waitFor();

      // the run's drawer opens and follows it to the end
      const run = page.locator('.ant-drawer').filter({ hasText: t('mailui.batches.recipient') });
      await run.getByText(t('mailui.batches.status_done')).waitFor({ timeout: 20_000 });
      await run.locator('.ant-table-row').filter({ hasText: CLIENT.address }).getByText(t('mailui.batches.recipient_sent')).waitFor();
      await run.getByText(t('mailui.batches.counts', { sent: 1, failed: 0, total: 1 })).waitFor();

      const sent = mail.sentMessages().at(-1)!;
      expect(sent.envelope.to).toEqual([CLIENT.address]);
      const parsed = await simpleParser(sent.raw);
      expect(parsed.subject).toBe(`${CUSTOMER} 新品推介`);
      // 称呼: the surname and the contact's title
      expect(parsed.text).toContain('王经理');
    });

    it('mails an invitation from the users page; its link sets the password and the invitee signs in', async () => {
      step = 'invite';
      await api(page, 'PUT', '/system/mail', {
        enabled: true,
        fromAddress: 'noreply@mail.test',
        fromName: '协同 CRM',
        smtp: { host: mail.host, port: mail.smtp, security: 'starttls' },
        username: MAILBOX.address,
        password: MAILBOX.password,
        allowSelfSignedCertificate: true,
        publicUrl: BASE_URL,
        notifyByMail: false,
      });
      const { items } = await api<{ items: { id: string; parentId: string | null }[] }>(page, 'GET', '/departments');
      await api(page, 'POST', '/users', {
        username: INVITEE.username,
        name: INVITEE.name,
        email: INVITEE.email,
        departmentId: items.find((d) => d.parentId === null)!.id,
        password: 'Initial2026x',
      });

      await page.goto('/org/users');
      const row = page.locator('.ant-table-row').filter({ hasText: INVITEE.name });
      await row.getByRole('button', { name: t('admin.more') }).click();
      await page.getByRole('menuitem', { name: t('mailui.invite.action') }).click();
      const confirm = page.getByRole('dialog').filter({ hasText: t('mailui.invite.confirm', { name: INVITEE.name }) });
      await button(confirm, 'mailui.invite.send').click();
      await page.getByText(t('mailui.invite.sent', { email: INVITEE.email })).waitFor();

      // the mail goes out from a job: wait for it, then follow its link
      await expect.poll(() => mail.sentMessages().some((m) => m.envelope.to.includes(INVITEE.email)), { timeout: 20_000 }).toBe(true);
      const invitation = await simpleParser(mail.sentMessages().find((m) => m.envelope.to.includes(INVITEE.email))!.raw);
      const link = /href="([^"]*\/set-password\?token=[^"]+)"/.exec(String(invitation.html))?.[1];
      expect(link?.startsWith(`${BASE_URL}/set-password?token=`)).toBe(true);

      const invitee = await openTab(browser);
      try {
        await invitee.page.goto(link!);
        await invitee.page.getByText(t('mailui.setPassword.for_user', { username: INVITEE.username })).waitFor();
        await invitee.page.getByLabel(t('mailui.setPassword.new'), { exact: true }).fill(INVITEE.password);
        await invitee.page.getByLabel(t('auth.password.confirm'), { exact: true }).fill(INVITEE.password);
        await button(invitee.page, 'mailui.setPassword.submit').click();
        await invitee.page.getByText(t('mailui.setPassword.done')).waitFor();
        // single use
        await invitee.page.goto(link!);
        await invitee.page.getByText(t('mailui.setPassword.invalid')).waitFor();
        await invitee.page.goto('/login');
        await logIn(invitee.page, INVITEE.username, INVITEE.password);
        await invitee.page.getByTestId('user-menu').getByText(INVITEE.name).waitFor();
        expect(invitee.errors).toEqual([]);
      } finally {
        await invitee.context.close();
      }
    });
  },
);
