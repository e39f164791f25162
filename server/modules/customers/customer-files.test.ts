import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '@common/schemas/customers';
import type { FileInfo } from '@common/schemas/files';
import { newId } from '@server/db/ids';
import { createTestApp, type Client, type TestApp } from '@server/test/app';
import { create, customersWorld, type World } from './customers.testing';
import { download, upload } from './excel.testing';

/**
 * 附件 of a customer: files uploaded by the user and attached to a customer they may edit, read
 * (list and download) by whoever sees the customer, removed by whoever may edit it; all audited.
 */

let t: TestApp;
let w: World;
let customer: Customer;
let other: Customer;

beforeAll(async () => {
  t = await createTestApp();
  w = await customersWorld(t);
  customer = await create(w.alice.client, { name: '深圳附件测试有限公司', team: [{ userId: w.gina.id, access: 'read' }] });
  other = await create(w.alice.client, { name: '深圳另一家有限公司' });
});
afterAll(() => t?.close());

const attach = (c: Client, id: string, fileIds: string[]) => c.post(`/api/v1/customers/${id}/attachments`, { fileIds });
const list = (c: Client, id: string) => c.get(`/api/v1/files?entity=customer&entityId=${id}`);
const mime = 'text/plain';

async function actionsOf(id: string) {
  const rows = await w.db
    .selectFrom('audit_log')
    .select(['action', 'detail'])
    .where('entity', '=', 'customer')
    .where('entity_id', '=', id)
    .orderBy('id')
    .execute();
  return rows.filter((r) => r.action === 'attach' || r.action === 'detach');
}

describe('customer attachments', () => {
  it('attaches the uploader’s files; whoever sees the customer lists and downloads them, others get 404', async () => {
    const a = await upload(w.alice.client, '报价单.txt', Buffer.from('报价 100 元'), mime);
    const b = await upload(w.alice.client, '合同.txt', Buffer.from('合同'), mime);
    const res = await attach(w.alice.client, customer.id, [a.id, b.id, a.id]);
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json().items as FileInfo[]).map((f) => [f.name, f.entity, f.entityId, f.ownerName])).toEqual([
      ['报价单.txt', 'customer', customer.id, '王小丽'],
      ['合同.txt', 'customer', customer.id, '王小丽'],
    ]);
    expect(await actionsOf(customer.id)).toEqual([{ action: 'attach', detail: '报价单.txt, 合同.txt' }]);

    // the owner, the department manager, the read team member and the all-scope viewer see them
    for (const who of [w.alice, w.dm, w.gina, w.boss]) {
      const got = await list(who.client, customer.id);
      expect(got.statusCode, `${who.name}: ${got.body}`).toBe(200);
      expect(got.json().items.map((f: FileInfo) => f.id)).toEqual([a.id, b.id]);
      expect((await download(who.client, a.id)).toString()).toBe('报价 100 元');
    }
    // a peer outside the scope: as if absent
    expect((await list(w.bob.client, customer.id)).statusCode).toBe(404);
    const foreign = await w.bob.client.get(`/api/v1/files/${a.id}`);
    expect(foreign.statusCode).toBe(404);
  });

  it('refuses files that are not the caller’s fresh uploads, and callers who may not edit the customer', async () => {
    const mine = await upload(w.alice.client, '说明.txt', Buffer.from('说明'), mime);
    const bobs = await upload(w.bob.client, '李的文件.txt', Buffer.from('李'), mime);
    const foreign = await attach(w.alice.client, customer.id, [mine.id, bobs.id]);
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().errors).toMatchObject([{ field: 'fileIds.1', code: 'not_found' }]);
    expect((await attach(w.alice.client, customer.id, [newId()])).json().errors).toMatchObject([{ field: 'fileIds.0', code: 'not_found' }]);
    expect((await attach(w.alice.client, customer.id, [])).statusCode).toBe(400);

    // not in scope: 404; a read-only team member: 403; view right only: 403
    expect((await attach(w.bob.client, customer.id, [bobs.id])).statusCode).toBe(404);
    const gina = await upload(w.gina.client, '广州.txt', Buffer.from('广州'), mime);
    expect((await attach(w.gina.client, customer.id, [gina.id])).statusCode).toBe(403);
    const boss = await upload(w.boss.client, '总监.txt', Buffer.from('总监'), mime);
    expect((await attach(w.boss.client, customer.id, [boss.id])).statusCode).toBe(403);

    // a file attached once cannot go on another customer
    const ok = await attach(w.alice.client, customer.id, [mine.id]);
    expect(ok.statusCode, ok.body).toBe(200);
    const again = await attach(w.alice.client, other.id, [mine.id]);
    expect(again.statusCode).toBe(400);
    expect(again.json().errors).toMatchObject([{ field: 'fileIds.0', code: 'not_found' }]);
    expect((await list(w.alice.client, other.id)).json().items).toEqual([]);
  });

  it('removes a file for whoever may edit the customer, audited; elsewhere or twice is 404', async () => {
    const before = (await list(w.alice.client, customer.id)).json().items as FileInfo[];
    const target = before.find((f) => f.name === '合同.txt')!;
    const del = (c: Client, customerId: string, fileId: string) => c.delete(`/api/v1/customers/${customerId}/attachments/${fileId}`);
    expect((await del(w.gina.client, customer.id, target.id)).statusCode).toBe(403);
    expect((await del(w.bob.client, customer.id, target.id)).statusCode).toBe(404);
    expect((await del(w.dm.client, other.id, target.id)).statusCode).toBe(404);
    // the department manager may edit the customer, so may remove a file the owner attached
    expect((await del(w.dm.client, customer.id, target.id)).statusCode).toBe(204);
    expect((await del(w.dm.client, customer.id, target.id)).statusCode).toBe(404);
    const after = (await list(w.alice.client, customer.id)).json().items as FileInfo[];
    expect(after.map((f) => f.name)).toEqual(before.filter((f) => f.id !== target.id).map((f) => f.name));
    expect((await w.alice.client.get(`/api/v1/files/${target.id}`)).statusCode).toBe(404);
    expect((await actionsOf(customer.id)).map((a) => `${a.action}:${a.detail}`)).toEqual([
      'attach:报价单.txt, 合同.txt',
      'attach:说明.txt',
      'detach:合同.txt',
    ]);
  });
});
