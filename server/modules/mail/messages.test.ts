import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailAccount, MailListItem, MailMessage } from '@common/schemas/mail';
import { newId } from '@server/db/ids';
import { createTestApp, loginAs, type Client, type TestApp, setupAdmin } from '@server/test/app';
import { createDepartment, createPosition, createUser, permissions } from '@server/test/factories';
import { seedContact, seedCustomer } from '@server/modules/customers/testing';
import { customerLinks, moveCustomerLinks } from '@server/modules/customers/links';
import { storeMessage, type StoreAccount } from './store';
import { rawMessage } from './mail.testing';

let t: TestApp;
let owner: Client;
let colleague: Client; // same department, mail scope 'department'
let farAway: Client; // other department
let noMail: Client; // sees customers, no mail right
let noCustomers: Client; // mail right, sees no customers
let account: StoreAccount & { accountId: string };
let customerId: string;

beforeAll(async () => {
  t = await createTestApp();
  await setupAdmin(t.app);
  const db = t.database.db;
  const d1 = await createDepartment(db, { name: '销售一部' });
  const d2 = await createDepartment(db, { name: '销售二部' });
  const sales = await createPosition(db, {
    name: '销售',
    permissions: permissions({ customers: { actions: ['view'], scope: 'all' }, mail: { actions: ['view'], scope: 'department' } }),
  });
  const plain = await createPosition(db, { name: '无邮件', permissions: permissions({ customers: { actions: ['view'], scope: 'all' } }) });
  const mailOnly = await createPosition(db, { name: '只看邮件', permissions: permissions({ mail: { actions: ['view'], scope: 'all' } }) });
  const mk = async (username: string, departmentId: string, positionId: string) => {
    const u = await createUser(db, { username, departmentId, positionId });
    return { id: u.id, client: await loginAs(t.app, u.username, u.password) };
  };
  const a = await mk('owner', d1, sales);
  owner = a.client;
  colleague = (await mk('colleague', d1, sales)).client;
  farAway = (await mk('faraway', d2, sales)).client;
  noMail = (await mk('nomail', d1, plain)).client;
  noCustomers = (await mk('nocust', d1, mailOnly)).client;

  const created = await owner.post('/api/v1/mail/accounts', {
    name: '工作',
    address: 'owner@example.test',
    incoming: { protocol: 'imap', host: 'imap.example.test', port: 993, security: 'tls' },
    smtp: { host: 'smtp.example.test', port: 465, security: 'tls' },
    username: 'owner',
    password: 'x',
    enabled: false,
  });
  const acc = created.json<MailAccount>();
  account = { id: acc.id, accountId: acc.id, user_id: a.id, address: 'owner@example.test' };

  customerId = await seedCustomer(db, { name: '华南贸易有限公司', owner_id: a.id });
  await seedContact(db, customerId, { name: '陈经理', email: 'buyer@client.test', isPrimary: true });
});
afterAll(async () => t?.close());

const store = (raw: string | Buffer) => storeMessage({ db: t.database.db, dataDir: t.config.dataDir }, account, Buffer.from(raw));

const HTML = (extra = '') =>
  [
    'From: 陈经理 <Buyer@Client.test>',
    'To: owner@example.test',
    'Subject: 询价：不锈钢管',
    `Message-ID: <html-${newId()}@client.test>`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/related; boundary="rel"',
    '',
    '--rel',
    'Content-Type: text/html; charset=utf-8',
    '',
    `<html><head><title>t</title><style>body{background:url(http://track.test/bg.png)}</style></head><body>` +
      `<p onclick="steal()">您好 <a href="javascript:alert(1)">点我</a> <a href="https://ok.test/x">链接</a></p>` +
      `<script>alert(1)</script><iframe src="https://evil.test"></iframe><form action="https://evil.test"><input name="p"></form>` +
      `<img src="https://track.test/pixel.gif" alt="t"><img src="cid:logo@client.test">` +
      `<div style="color:red;background-image:url('https://track.test/bg2.png')">红字</div>${extra}</body></html>`,
    '--rel',
    'Content-Type: image/png',
    'Content-ID: <logo@client.test>',
    'Content-Disposition: inline; filename="logo.png"',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from('89504e470d0a1a0a', 'hex').toString('base64'),
    '--rel--',
    '',
  ].join('\r\n');

describe('the mailbox', () => {
  it('reads sanitised HTML: no scripts, frames, forms, handlers or javascript: links; remote images held back; cid images served', async () => {
    const r = await store(HTML());
    expect(r.created).toBe(true);
    const res = await owner.get(`/api/v1/mail/messages/${r.id}`);
    expect(res.statusCode).toBe(200);
    const msg = res.json<MailMessage>();
    const html = msg.html!;
    for (const bad of [
      '<script',
      'alert(1)',
      '<iframe',
      '<form',
      '<input',
      'onclick',
      'javascript:',
      'track.test/bg',
      '<style',
      ' src="https://track.test',
    ]) {
      expect(html).not.toContain(bad);
    }
    expect(html).toContain('data-blocked-src="https://track.test/pixel.gif"');
    expect(html).toContain('href="https://ok.test/x"');
    expect(html).toContain('rel="noopener noreferrer nofollow"');
    expect(html).toContain('color:red');
    const logo = msg.attachments.find((a) => a.inline)!;
    expect(logo).toMatchObject({ name: 'logo.png', mime: 'image/png' });
    expect(html).toContain(`src="/api/v1/files/${logo.fileId}"`);
    expect(msg.remoteImagesBlocked).toBe(true);
    expect(msg.hasAttachments).toBe(false);

    const shown = (await owner.get(`/api/v1/mail/messages/${r.id}?images=1`)).json<MailMessage>();
    expect(shown.html).toContain('src="https://track.test/pixel.gif"');
    expect(shown.html).not.toContain('javascript:');
    expect(shown.remoteImagesBlocked).toBe(false);
    expect((await owner.get(`/api/v1/files/${logo.fileId}`)).statusCode).toBe(200);
  });

  it('serves the body as its own page with a strict CSP; remote images only with images=1; same access as the message', async () => {
    const r = await store(HTML());
    const res = await owner.get(`/api/v1/mail/messages/${r.id}/body`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("img-src 'self' data:;");
    expect(csp).not.toMatch(/https?:/);
    expect(csp).toContain("style-src 'unsafe-inline'");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).not.toContain('script-src');
    expect(res.body).toMatch(/^<!doctype html>/);
    expect(res.body).toContain('data-blocked-src="https://track.test/pixel.gif"');
    expect(res.body).not.toContain(' src="https://track.test');
    expect(res.body).not.toContain('<script');
    expect(res.body).toMatch(/src="\/api\/v1\/files\/[^"]+"/);
    // reading the body alone does not mark the message read
    expect((await t.database.db.selectFrom('mail_messages').select('seen').where('id', '=', r.id).executeTakeFirstOrThrow()).seen).toBe(0);

    const shown = await owner.get(`/api/v1/mail/messages/${r.id}/body?images=1`);
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('src="https://track.test/pixel.gif"');
    expect(shown.body).not.toContain('javascript:');
    expect(String(shown.headers['content-security-policy'])).toContain("img-src 'self' data: http: https:;");

    // someone who may not read the message gets 404, not the body
    expect((await farAway.get(`/api/v1/mail/messages/${r.id}/body?images=1`)).statusCode).toBe(404);
    expect((await noMail.get(`/api/v1/mail/messages/${r.id}/body`)).statusCode).toBe(404);
  });

  it('lists newest first with search, unread filter and cursor; opening marks read; unread count follows', async () => {
    const ids: string[] = [];
    for (const subject of ['合同草稿', '会议纪要', '合同终稿'])
      ids.push((await store(rawMessage({ subject, to: 'owner@example.test' }))).id);
    const before = (await owner.get('/api/v1/mail/unread-count')).json<{ count: number; byAccount: Record<string, number> }>();
    const page1 = (await owner.get('/api/v1/mail/messages?limit=2')).json<{ items: MailListItem[]; nextCursor: string }>();
    expect(page1.items.map((m) => m.subject)).toEqual(['合同终稿', '会议纪要']);
    const page2 = (await owner.get(`/api/v1/mail/messages?limit=2&cursor=${page1.nextCursor}`)).json<{ items: MailListItem[] }>();
    expect(page2.items[0].subject).toBe('合同草稿');
    const found = (await owner.get(`/api/v1/mail/messages?q=${encodeURIComponent('合同')}`)).json<{ items: MailListItem[] }>();
    expect(found.items.map((m) => m.subject)).toEqual(['合同终稿', '合同草稿']);

    await owner.get(`/api/v1/mail/messages/${ids[0]}`);
    const unread = (await owner.get('/api/v1/mail/messages?unread=true')).json<{ items: MailListItem[] }>();
    expect(unread.items.map((m) => m.id)).not.toContain(ids[0]);
    const all = (await owner.get('/api/v1/mail/messages?unread=false')).json<{ items: MailListItem[] }>();
    expect(all.items.map((m) => m.id)).toContain(ids[0]);
    const after = (await owner.get('/api/v1/mail/unread-count')).json<{ count: number; byAccount: Record<string, number> }>();
    expect(after.count).toBe(before.count - 1);
    expect(after.byAccount[account.id]).toBe(after.count);
    // someone else's mailbox is not theirs to see
    expect((await colleague.get(`/api/v1/mail/messages/${ids[0]}`)).statusCode).toBe(404);
    expect((await colleague.get('/api/v1/mail/messages')).json<{ items: unknown[] }>().items).toEqual([]);
  });

  it('flags, trash and back, delete from trash; a deleted message is not stored again', async () => {
    const raw = rawMessage({ subject: '要删除的' });
    const { id } = await store(raw);
    const starred = await owner.patch(`/api/v1/mail/messages/${id}`, { starred: true, seen: true });
    expect(starred.json<MailListItem>()).toMatchObject({ starred: true, seen: true });
    expect((await owner.patch(`/api/v1/mail/messages/${id}`, { folder: 'trash' })).json<MailListItem>().folder).toBe('trash');
    const row = await t.database.db.selectFrom('mail_messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ folder: 'trash', previous_folder: 'inbox' });
    expect((await owner.patch(`/api/v1/mail/messages/${id}`, { folder: 'inbox' })).json<MailListItem>().folder).toBe('inbox');
    expect((await colleague.patch(`/api/v1/mail/messages/${id}`, { starred: false })).statusCode).toBe(404);

    expect((await owner.delete(`/api/v1/mail/messages/${id}`)).statusCode).toBe(204);
    const trash = (await owner.get('/api/v1/mail/messages?folder=trash')).json<{ items: MailListItem[] }>();
    expect(trash.items.map((m) => m.id)).toContain(id);
    expect((await owner.delete(`/api/v1/mail/messages/${id}`)).statusCode).toBe(204);
    expect((await owner.get(`/api/v1/mail/messages/${id}`)).statusCode).toBe(404);
    expect((await store(raw)).created).toBe(false);
    const audits = await t.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', id).execute();
    expect(audits.map((a) => a.action).sort()).toEqual(['delete', 'update', 'update', 'update']);
  });
});

describe('storing the same message twice at once', () => {
  it('keeps one: the second insert is a no-op answered with the first one', async () => {
    const raw = rawMessage({ subject: '并发' });
    const [x, y] = await Promise.all([store(raw), store(raw)]);
    expect([x.created, y.created].sort()).toEqual([false, true]);
    expect(x.id).toBe(y.id);
    const rows = await t.database.db.selectFrom('mail_messages').select('id').where('subject', '=', '并发').execute();
    expect(rows).toHaveLength(1);
    const files = await t.database.db.selectFrom('files').select('id').where('entity_id', '=', x.id).execute();
    expect(files).toHaveLength(1);
  });
});

describe('mail on the customer timeline', () => {
  it("links mail to the customer of a contact's address and shows it within the reader's scope", async () => {
    expect(customerLinks().some((l) => l.table === 'mail_links' && l.column === 'customer_id')).toBe(true);
    const linked = await store(HTML('<p>附报价</p>'));
    const unrelated = await store(rawMessage({ subject: '无关', from: 'x@else.test' }));
    const links = await t.database.db.selectFrom('mail_links').selectAll().where('message_id', '=', linked.id).execute();
    expect(links).toMatchObject([{ customer_id: customerId, address: 'buyer@client.test' }]);
    expect(links[0].contact_id).not.toBeNull();

    const mine = (await owner.get(`/api/v1/mail/messages?customerId=${customerId}`)).json<{ items: MailListItem[] }>();
    expect(mine.items.map((m) => m.id)).toContain(linked.id);
    expect(mine.items.map((m) => m.id)).not.toContain(unrelated.id);
    expect(mine.items.find((m) => m.id === linked.id)!.customers).toEqual([{ id: customerId, name: '华南贸易有限公司' }]);

    // same department, mail scope 'department': sees it, reads it without marking it read, may download its parts
    const shared = (await colleague.get(`/api/v1/mail/messages?customerId=${customerId}`)).json<{ items: MailListItem[] }>();
    expect(shared.items.map((m) => m.id)).toContain(linked.id);
    const read = await colleague.get(`/api/v1/mail/messages/${linked.id}`);
    expect(read.statusCode).toBe(200);
    const file = read.json<MailMessage>().attachments[0];
    expect((await colleague.get(`/api/v1/files/${file.fileId}`)).statusCode).toBe(200);
    const row = await t.database.db.selectFrom('mail_messages').select('seen').where('id', '=', linked.id).executeTakeFirstOrThrow();
    expect(row.seen).toBe(0);
    expect((await colleague.patch(`/api/v1/mail/messages/${linked.id}`, { starred: true })).statusCode).toBe(404);
    expect((await colleague.get(`/api/v1/mail/messages/${unrelated.id}`)).statusCode).toBe(404);

    // another department, or no mail right: the customer's page shows none of the owner's mail
    for (const c of [farAway, noMail]) {
      const res = await c.get(`/api/v1/mail/messages?customerId=${customerId}`);
      expect(res.statusCode).toBe(200);
      expect(res.json<{ items: unknown[] }>().items).toEqual([]);
      expect((await c.get(`/api/v1/mail/messages/${linked.id}`)).statusCode).toBe(404);
      expect((await c.get(`/api/v1/files/${file.fileId}`)).statusCode).toBe(404);
    }
    // a customer the reader does not see: 404
    expect((await noCustomers.get(`/api/v1/mail/messages?customerId=${customerId}`)).statusCode).toBe(404);

    // trashed by the owner: off the timeline for others
    await owner.patch(`/api/v1/mail/messages/${linked.id}`, { folder: 'trash' });
    const gone = (await colleague.get(`/api/v1/mail/messages?customerId=${customerId}`)).json<{ items: MailListItem[] }>();
    expect(gone.items.map((m) => m.id)).not.toContain(linked.id);
  });
});

describe('merging customers', () => {
  it('moves mail links to the kept customer, also when both were linked by the same address', async () => {
    const db = t.database.db;
    const owner = await db.selectFrom('users').select('id').where('username', '=', 'owner').executeTakeFirstOrThrow();
    const a = await seedCustomer(db, { name: '甲公司', owner_id: owner.id });
    const b = await seedCustomer(db, { name: '甲公司（重复）', owner_id: owner.id });
    for (const customer of [a, b]) await seedContact(db, customer, { name: '王五', email: 'wangwu@jia.test' });
    const m = await store(rawMessage({ subject: '合并前', from: 'wangwu@jia.test' }));
    expect(await db.selectFrom('mail_links').select('customer_id').where('message_id', '=', m.id).orderBy('customer_id').execute()).toEqual(
      [{ customer_id: a }, { customer_id: b }].sort((x, y) => (x.customer_id < y.customer_id ? -1 : 1)),
    );
    const moved = await db.transaction().execute((tx) => moveCustomerLinks(tx, b, a));
    expect(moved['mail_links.customer_id']).toBe(0);
    expect(await db.selectFrom('mail_links').select('customer_id').where('message_id', '=', m.id).execute()).toEqual([{ customer_id: a }]);
  });
});
