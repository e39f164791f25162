import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MailBatch, MailBatchRecipient } from '@common/schemas/mail';
import { createTestApp, loginAs, setupAdmin, type Client, type TestApp } from '@server/test/app';
import { createPosition, createUser, permissions, type CreatedUser } from '@server/test/factories';
import { MAIL_SERVERS_SKIPPED, startMailServers } from '@server/test/mail-servers';
import { seedCustomer } from '@server/modules/customers/testing';
import { runBatchStep } from './batches.job';
import { BATCH_JOB } from './batches.service';
import { seedAccount } from './mailsend.testing';
import { seedContact } from '../customers/testing';

/**
 * Group sending (群发) against the real SMTP receiver: 25 recipients from chosen customers and
 * contacts (only visible ones, one address once) in batches of 10/10/5, merge fields per recipient,
 * progress events, per-recipient results, a restart that sends nobody twice, cancelling.
 */

const servers = await startMailServers();

const SURNAMES = ['王', '李', '张', '刘', '陈'];
const TITLES = ['销售经理', '总经理', '工程师', null, '采购主管'];

describe.skipIf(!servers)(servers ? 'group sending' : MAIL_SERVERS_SKIPPED, () => {
  const s = servers!;
  let t: TestApp;
  let sales: CreatedUser;
  let c: Client;
  let account: { id: string; address: string };
  const customerIds: string[] = [];
  let extraContact: string;
  let foreignCustomer: string;

  /** a two-per-batch run to one customer's contacts */
  const startBatch = async (accountId: string, customerId: string, pauseSeconds: number) =>
    (
      await c.post('/api/v1/mail/batches', {
        accountId,
        customerIds: [customerId],
        subject: 's',
        html: '<p>s</p>',
        batchSize: 2,
        pauseSeconds,
      })
    ).json<MailBatch>();

  beforeAll(async () => {
    t = await createTestApp();
    await setupAdmin(t.app);
    const positionId = await createPosition(t.app.ctx.db, {
      name: '销售',
      permissions: permissions({ customers: { actions: ['view'], scope: 'self' }, contacts: { actions: ['view'], scope: 'self' } }),
    });
    sales = await createUser(t.app.ctx.db, { username: 'chen', name: '陈建国', positionId });
    const other = await createUser(t.app.ctx.db, { username: 'li', name: '李雷', positionId });
    c = await loginAs(t.app, sales.username, sales.password);
    account = await seedAccount(t.app, s, sales.id, { displayName: '陈建国' });
    // 5 customers × 5 contacts with an address, one without, one repeating an address
    for (let i = 0; i < 5; i++) {
      const id = await seedCustomer(t.app.ctx.db, { name: `客户${i}<有限公司>`, owner_id: sales.id });
      customerIds.push(id);
      for (let j = 0; j < 5; j++) {
        await seedContact(t.app.ctx.db, id, {
          name: `${SURNAMES[j]}${i}${j}号`,
          title: TITLES[j],
          email: `c${i}-${j}@client.test`,
          isPrimary: j === 0,
        });
      }
      await seedContact(t.app.ctx.db, id, { name: `无邮箱${i}`, email: null });
    }
    extraContact = await seedContact(t.app.ctx.db, customerIds[0], { name: '李大明', title: '总经理', email: 'C0-1@client.test' });
    foreignCustomer = await seedCustomer(t.app.ctx.db, { name: '别人的客户', owner_id: other.id });
    await seedContact(t.app.ctx.db, foreignCustomer, { name: '外人', email: 'x@other.test' });
  });
  afterAll(async () => {
    await t?.close();
    await s.stop();
  });

  it('sends 25 recipients in batches of 10/10/5 with merge fields, progress events and a result per recipient', async () => {
    const publish = vi.spyOn(t.app.ctx.realtime, 'publish');
    const created = await c.post('/api/v1/mail/batches', {
      accountId: account.id,
      contactIds: [extraContact],
      customerIds,
      subject: '{{salutation}}，{{companyName}}的新品资料',
      html: '<p>尊敬的{{salutation}}：</p><p>{{companyName}} / {{contactName}} / {{title}}</p><p>{{senderName}}</p>',
      batchSize: 10,
      pauseSeconds: 1,
    });
    expect(created.statusCode, created.body).toBe(201);
    const batch = created.json<MailBatch>();
    expect(batch).toMatchObject({ status: 'queued', total: 25, sent: 0, failed: 0, batchSize: 10, pauseSeconds: 1 });
    const before = s.sentMessages().length;

    const progress: number[] = [];
    let clock = Date.now();
    for (const expected of ['more', 'more', 'done'] as const) {
      publish.mockClear();
      const at = new Date(clock);
      expect(await runBatchStep(t.app.ctx, batch.id, () => at)).toBe(expected);
      const events = publish.mock.calls.filter(([, e]) => e.type === 'mail_batch').map(([userId, e]) => [userId, e.data as MailBatch]);
      expect(events).toHaveLength(1);
      expect(events[0][0]).toBe(sales.id);
      progress.push((events[0][1] as MailBatch).sent);
      if (expected === 'more') {
        // the run queues itself again after the pause
        const next = await t.app.ctx.db
          .selectFrom('jobs')
          .select('run_at')
          .where('name', '=', BATCH_JOB)
          .where('status', '=', 'scheduled')
          .orderBy('run_at', 'desc')
          .executeTakeFirstOrThrow();
        expect(Date.parse(next.run_at) - at.getTime()).toBe(1000);
      }
      clock += 1000;
    }
    expect(progress).toEqual([10, 20, 25]);

    const mails = s.sentMessages().slice(before);
    expect(mails).toHaveLength(25);
    const addresses = mails.map((m) => m.envelope.to);
    expect(addresses.every((to) => to.length === 1)).toBe(true);
    expect(new Set(addresses.flat()).size).toBe(25);
    expect(addresses.flat()).not.toContain('x@other.test');

    const first = await simpleParser(mails.find((m) => m.envelope.to[0] === 'c0-0@client.test')!.raw);
    expect(first.subject).toBe('王经理，客户0<有限公司>的新品资料');
    expect(first.html).toContain('尊敬的王经理：');
    expect(first.html).toContain('客户0&lt;有限公司&gt; / 王00号 / 销售经理');
    expect(first.html).toContain('<p>陈建国</p>');
    expect(first.to && !Array.isArray(first.to) ? first.to.value.map((v) => v.address) : []).toEqual(['c0-0@client.test']);
    const boss = await simpleParser(mails.find((m) => m.envelope.to[0] === 'c3-1@client.test')!.raw);
    expect(boss.subject).toBe('李总，客户3<有限公司>的新品资料');
    const plain = await simpleParser(mails.find((m) => m.envelope.to[0] === 'c2-3@client.test')!.raw);
    expect(plain.subject).toBe('刘先生/女士，客户2<有限公司>的新品资料');

    const detail = await c.get(`/api/v1/mail/batches/${batch.id}`);
    expect(detail.statusCode).toBe(200);
    const body = detail.json<MailBatch & { recipients: MailBatchRecipient[] }>();
    expect(body).toMatchObject({ status: 'done', total: 25, sent: 25, failed: 0 });
    expect(body.finishedAt).not.toBeNull();
    expect(body.recipients).toHaveLength(25);
    expect(body.recipients.every((r) => r.status === 'sent' && r.sentAt && r.error === null)).toBe(true);
    expect(body.recipients[0]).toMatchObject({
      address: 'c0-1@client.test',
      name: '李大明',
      contactId: extraContact,
      customerId: customerIds[0],
    });

    const stored = await t.app.ctx.db
      .selectFrom('mail_messages')
      .select(['folder', 'send_status'])
      .where('batch_id', '=', batch.id)
      .execute();
    expect(stored).toHaveLength(25);
    expect(stored.every((m) => m.folder === 'sent' && m.send_status === 'sent')).toBe(true);
    const links = await t.app.ctx.db
      .selectFrom('mail_links')
      .innerJoin('mail_messages', 'mail_messages.id', 'mail_links.message_id')
      .select('mail_links.customer_id')
      .where('mail_messages.batch_id', '=', batch.id)
      .execute();
    expect(new Set(links.map((l) => l.customer_id))).toEqual(new Set(customerIds));

    const list = await c.get('/api/v1/mail/batches');
    expect(list.json().items.map((b: MailBatch) => b.id)).toContain(batch.id);
    publish.mockRestore();
  });

  it('a restart mid-run sends nobody twice: sent ones stay sent, one caught mid-attempt is not retried', async () => {
    const created = await c.post('/api/v1/mail/batches', {
      accountId: account.id,
      customerIds: [customerIds[1], customerIds[2]],
      subject: '重启测试',
      html: '<p>{{contactName}}</p>',
      batchSize: 4,
      pauseSeconds: 0,
    });
    const batch = created.json<MailBatch>();
    expect(batch.total).toBe(10);
    const before = s.sentMessages().length;
    expect(await runBatchStep(t.app.ctx, batch.id)).toBe('more');
    // the process died while sending the 5th: its message recorded, the attempt's outcome never written
    const fifth = await t.app.ctx.db
      .selectFrom('mail_batch_recipients')
      .select('id')
      .where('batch_id', '=', batch.id)
      .where('seq', '=', 4)
      .executeTakeFirstOrThrow();
    await t.app.ctx.db.updateTable('mail_batch_recipients').set({ message_id: 'interrupted-message' }).where('id', '=', fifth.id).execute();
    // the job runs again (lease recovered) and then on until done; the queue's own run finds nothing left
    while ((await runBatchStep(t.app.ctx, batch.id)) === 'more');
    expect(await runBatchStep(t.app.ctx, batch.id)).toBe('stopped');
    await t.app.ctx.jobs.runDue();

    const to = s
      .sentMessages()
      .slice(before)
      .flatMap((m) => m.envelope.to);
    expect(to).toHaveLength(9);
    expect(new Set(to).size).toBe(9);
    const detail = (await c.get(`/api/v1/mail/batches/${batch.id}`)).json<MailBatch & { recipients: MailBatchRecipient[] }>();
    expect(detail).toMatchObject({ status: 'done', sent: 9, failed: 1 });
    expect(detail.recipients[4]).toMatchObject({ status: 'failed' });
    expect(detail.recipients[4].error).toContain('中断');
  });

  it('runs through the job queue with pause 0, and stops when cancelled', async () => {
    const quick = await startBatch(account.id, customerIds[4], 0);
    await t.app.ctx.jobs.runDue();
    expect((await c.get(`/api/v1/mail/batches/${quick.id}`)).json()).toMatchObject({ status: 'done', sent: 5 });

    const slow = await startBatch(account.id, customerIds[3], 60);
    expect(await runBatchStep(t.app.ctx, slow.id)).toBe('more');
    const cancelled = await c.post(`/api/v1/mail/batches/${slow.id}/cancel`);
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', sent: 2 });
    const before = s.sentMessages().length;
    expect(await runBatchStep(t.app.ctx, slow.id)).toBe('stopped');
    expect(s.sentMessages().length).toBe(before);
    const detail = (await c.get(`/api/v1/mail/batches/${slow.id}`)).json<MailBatch & { recipients: MailBatchRecipient[] }>();
    expect(detail.recipients.filter((r) => r.status === 'pending')).toHaveLength(3);
    expect((await c.post(`/api/v1/mail/batches/${quick.id}/cancel`)).statusCode).toBe(409);
  });

  it('a refused SMTP login fails every remaining recipient at once, in plain words', async () => {
    const bad = await seedAccount(t.app, s, sales.id, { password: 'wrong-password-1' });
    const batch = await startBatch(bad.id, customerIds[0], 0);
    const before = s.sentMessages().length;
    expect(await runBatchStep(t.app.ctx, batch.id)).toBe('done');
    expect(s.sentMessages().length).toBe(before);
    const detail = (await c.get(`/api/v1/mail/batches/${batch.id}`)).json<MailBatch & { recipients: MailBatchRecipient[] }>();
    expect(detail).toMatchObject({ status: 'done', sent: 0, failed: batch.total });
    expect(detail.recipients.every((r) => r.status === 'failed' && r.error?.includes('535'))).toBe(true);
    const stored = await t.app.ctx.db.selectFrom('mail_messages').select('send_status').where('batch_id', '=', batch.id).execute();
    expect(stored).toEqual([{ send_status: 'failed' }]);
  });

  it('only contacts the sender may see, through their own account; no address → mail_no_recipient', async () => {
    const foreign = await c.post('/api/v1/mail/batches', {
      accountId: account.id,
      customerIds: [customerIds[0], foreignCustomer],
      subject: 's',
      html: '<p>h</p>',
    });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().errors[0].field).toBe('customerIds.1');

    const noMail = await seedCustomer(t.app.ctx.db, { name: '没有邮箱的客户', owner_id: sales.id });
    await seedContact(t.app.ctx.db, noMail, { name: '赵六', email: null });
    const none = await c.post('/api/v1/mail/batches', { accountId: account.id, customerIds: [noMail], subject: 's', html: '<p>h</p>' });
    expect(none.statusCode).toBe(400);
    expect(none.json().code).toBe('mail_no_recipient');

    const admin = await loginAs(t.app, 'admin', 'Admin12345');
    expect(
      (await admin.post('/api/v1/mail/batches', { accountId: account.id, customerIds: [customerIds[0]], subject: 's', html: '<p>h</p>' }))
        .statusCode,
    ).toBe(404);
    const mine = (await c.get('/api/v1/mail/batches')).json().items[0] as MailBatch;
    expect((await admin.get(`/api/v1/mail/batches/${mine.id}`)).statusCode).toBe(404);
  });
});
