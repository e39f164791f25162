import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer360 } from '@common/schemas/customers';
import { createTestApp, type TestApp } from '@server/test/app';
import { create, customersWorld, type World } from './customers.testing';

/** The customer page (360°): every part in one response, each within the viewer's scope. */

let t: TestApp;
let w: World;
let id: string;
let other: string;

beforeAll(async () => {
  t = await createTestApp();
  w = await customersWorld(t);
  const c = await create(w.alice.client, {
    name: '深圳市任我行科技有限公司',
    contacts: [
      { name: '张三', mobile: '13800000001', idNumber: '440300199001011234' },
      { name: '李四', email: 'lisi@example.cn' },
    ],
    team: [{ userId: w.bob.id, access: 'read' }],
  });
  id = c.id;
  other = (await create(w.alice.client, { name: '广州其他客户有限公司' })).id;
  for (let i = 0; i < 25; i++) {
    const at = new Date(Date.UTC(2026, 0, 1 + i, 2)).toISOString();
    const res = await w.admin.post('/api/v1/follow-ups', { customerId: id, type: 'phone', content: `第${i + 1}次电话沟通`, at });
    expect(res.statusCode, res.body).toBe(201);
  }
  const soon = new Date(Date.now() + 86_400_000).toISOString();
  for (const [customerId, title] of [
    [id, '上门拜访'],
    [other, '别的客户的日程'],
  ]) {
    const res = await w.admin.post('/api/v1/schedules', { title, startAt: soon, customerId });
    expect(res.statusCode, res.body).toBe(201);
  }
  const date = await w.admin.post('/api/v1/important-dates', {
    customerId: id,
    title: '公司成立纪念日',
    date: '2010-05-20',
    repeat: 'yearly',
  });
  expect(date.statusCode, date.body).toBe(201);
});
afterAll(() => t?.close());

describe('GET /customers/:id/360', () => {
  it('gives the owner the record, contacts, the latest 20 follow-ups, open schedules, team, owner history and dates', async () => {
    const res = await w.alice.client.get(`/api/v1/customers/${id}/360`);
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json() as Customer360;
    expect(page.customer).toMatchObject({ id, name: '深圳市任我行科技有限公司', ownerName: '王小丽' });
    expect(page.contacts.map((c) => c.name).sort()).toEqual(['张三', '李四']);
    expect(page.followUps).toHaveLength(20);
    expect(page.followUps[0].content).toBe('第25次电话沟通');
    expect(page.followUpsNextCursor).toBeTruthy();
    const rest = await w.admin.get(`/api/v1/follow-ups?customerId=${id}&cursor=${page.followUpsNextCursor}`);
    expect(rest.json().items.map((f: { content: string }) => f.content)).toEqual([5, 4, 3, 2, 1].map((n) => `第${n}次电话沟通`));
    expect(page.schedules.map((s) => s.title)).toEqual(['上门拜访']);
    expect(page.team).toEqual([{ userId: w.bob.id, name: '李大宝', access: 'read' }]);
    expect(page.ownerHistory).toMatchObject([{ toUserId: w.alice.id, reason: 'create' }]);
    expect(page.importantDates).toMatchObject([{ title: '公司成立纪念日' }]);
  });

  it('a read team member sees it without the right to edit; others get 404', async () => {
    const bob = await w.bob.client.get(`/api/v1/customers/${id}/360`);
    expect(bob.statusCode).toBe(200);
    expect((bob.json() as Customer360).customer.canEdit).toBe(false);
    expect((bob.json() as Customer360).contacts).toHaveLength(2);
    expect((await w.carol.client.get(`/api/v1/customers/${id}/360`)).statusCode).toBe(404);
    expect((await w.bob.client.get(`/api/v1/customers/${other}/360`)).statusCode).toBe(404);
  });

  it('field rules apply to the parts as well', async () => {
    const page = (await w.alice.client.get(`/api/v1/customers/${id}/360`)).json() as Customer360;
    expect(page.contacts.find((c) => c.name === '张三')?.idNumber).toBe('440300199001011234');
    expect(page.customer.hiddenFields).toEqual([]);
    // the team member sees contacts through the grant; a customer field hidden from the viewer stays hidden
    await w.db.updateTable('customers').set({ phones: '["0755-26710001"]' }).where('id', '=', id).execute();
    await w.alice.client.put(`/api/v1/customers/${id}/team`, {
      members: [
        { userId: w.bob.id, access: 'read' },
        { userId: w.intern.id, access: 'read' },
      ],
    });
    const intern = (await w.intern.client.get(`/api/v1/customers/${id}/360`)).json() as Customer360;
    expect(intern.customer).toMatchObject({ phones: [], hiddenFields: ['phones'] });
    expect(JSON.stringify(intern)).not.toContain('26710001');
  });
});
