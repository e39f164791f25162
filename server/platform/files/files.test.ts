import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { FileInfo } from '@common/schemas/files';
import { MAX_FILE_BYTES } from '@common/schemas/files';
import { createTestApp, loginAs, setupAdmin, type Client, type TestApp } from '@server/test/app';
import { createUser } from '@server/test/factories';
import { idSchema } from '@common/schemas/fields';
import { attachmentIds } from '@common/schemas/files';
import { requireAuth } from '../access/check';
import { AppError } from '../http/errors';
import { attachFiles, registerFileAccess } from './files.service';
import { blobPath } from './files.storage';

/**
 * Files: multipart upload, download of the identical bytes under a Chinese name, the 20 MB limit,
 * who may read, list and delete, attaching to a record, and content-addressed storage on disk.
 * A fixture entity 'fixture_memo' stands in for a module: its memos are readable by the users
 * listed on them.
 */

const readers = new Map<string, Set<string>>();
registerFileAccess('fixture_memo', async (request, memoId) => readers.get(memoId)?.has(requireAuth(request).user.id) ?? false);

/** a fixture route that saves a memo with attachments, as a module's create would */
async function memoRoutes(app: FastifyInstance) {
  app.post(
    '/fixture-memos',
    {
      config: { access: 'user' },
      schema: { body: z.strictObject({ id: idSchema, attachmentIds, readers: z.array(z.string()).max(10) }) },
    },
    async (request, reply) => {
      const body = request.body as { id: string; attachmentIds: string[]; readers: string[] };
      const userId = requireAuth(request).user.id;
      await app.ctx.db.transaction().execute((tx) => attachFiles(tx, body.attachmentIds, 'fixture_memo', body.id, userId));
      readers.set(body.id, new Set([userId, ...body.readers]));
      return reply.code(201).send({ ok: true });
    },
  );
}

let t: TestApp;
let admin: Client;
let zhang: Client;
let li: Client;
let liId: string;

function multipart(name: string, data: Buffer, mime = 'application/octet-stream', field = 'file') {
  const boundary = `----xt${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${name}"\r\nContent-Type: ${mime}\r\n\r\n`,
    'utf8',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
  return { payload: Buffer.concat([head, data, tail]), contentType: `multipart/form-data; boundary=${boundary}` };
}

async function upload(c: Client, name: string, data: Buffer, mime?: string) {
  const { payload, contentType } = multipart(name, data, mime);
  return c.request('POST', '/api/v1/files', payload, { 'content-type': contentType });
}

async function uploaded(c: Client, name: string, data: Buffer, mime?: string): Promise<FileInfo> {
  const res = await upload(c, name, data, mime);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const blobs = () => {
  const root = path.join(t.config.dataDir, 'files');
  return fs
    .readdirSync(root)
    .filter((d) => d !== 'tmp')
    .flatMap((d) => fs.readdirSync(path.join(root, d)));
};

beforeAll(async () => {
  t = await createTestApp({}, { plugins: [memoRoutes] });
  admin = await setupAdmin(t.app);
  const z1 = await createUser(t.database.db, { username: 'zhang.san', name: '张三' });
  const l = await createUser(t.database.db, { username: 'li.si', name: '李四' });
  liId = l.id;
  zhang = await loginAs(t.app, z1.username, z1.password);
  li = await loginAs(t.app, l.username, l.password);
});
afterAll(() => t.close());

describe('upload and download', () => {
  it('stores a file with a Chinese name and gives back the identical bytes, named in UTF-8', async () => {
    const data = randomBytes(300_000);
    const info = await uploaded(zhang, '报价单（2024）.pdf', data, 'application/pdf');
    expect(info).toMatchObject({ name: '报价单（2024）.pdf', mime: 'application/pdf', size: data.length, entity: null, entityId: null });
    const res = await zhang.get(`/api/v1/files/${info.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(data)).toBe(true);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('报价单（2024）.pdf')}`);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="[\x20-\x7e]+"/);
    const row = await t.database.db.selectFrom('files').selectAll().where('id', '=', info.id).executeTakeFirstOrThrow();
    expect(row.sha256).toBe(createHash('sha256').update(data).digest('hex'));
    expect(fs.readFileSync(blobPath(t.config.dataDir, row.sha256)).equals(data)).toBe(true);
    const audit = await t.database.db.selectFrom('audit_log').select(['action', 'actor_name']).where('entity_id', '=', info.id).execute();
    expect(audit).toEqual([{ action: 'create', actor_name: '张三' }]);
  });

  it('stores equal bytes once on disk, however many times and by whom they are uploaded', async () => {
    const data = Buffer.from('同一份合同'.repeat(1000));
    const before = blobs().length;
    const a = await uploaded(zhang, '合同.docx', data);
    const b = await uploaded(li, '合同副本.docx', data);
    expect(a.id).not.toBe(b.id);
    expect(blobs().length).toBe(before + 1);
    expect(fs.readdirSync(path.join(t.config.dataDir, 'files', 'tmp'))).toEqual([]);
  });

  it('refuses a file over 20 MB with 413 file_too_large, keeping nothing', async () => {
    const before = blobs().length;
    const rows = await t.database.db.selectFrom('files').select('id').execute();
    const res = await upload(zhang, '太大了.zip', Buffer.alloc(MAX_FILE_BYTES + 1, 7));
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'file_too_large' });
    expect(res.json().detail).toContain('20 MB');
    expect(blobs().length).toBe(before);
    expect(await t.database.db.selectFrom('files').select('id').execute()).toHaveLength(rows.length);
    expect(fs.readdirSync(path.join(t.config.dataDir, 'files', 'tmp'))).toEqual([]);
    // exactly 20 MB is fine
    expect((await upload(zhang, '刚好.zip', Buffer.alloc(MAX_FILE_BYTES, 7))).statusCode).toBe(201);
  });

  it('refuses a request without a file, a JSON body, a broken multipart body — 400, never 500', async () => {
    const boundary = '----xtempty';
    const onlyField = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n--${boundary}--\r\n`);
    const noFile = await zhang.request('POST', '/api/v1/files', onlyField, { 'content-type': `multipart/form-data; boundary=${boundary}` });
    expect(noFile.statusCode).toBe(400);
    expect(noFile.json().errors[0]).toMatchObject({ field: 'file', code: 'required' });
    expect((await zhang.post('/api/v1/files', { name: 'x' })).statusCode).toBe(400);
    const cut = await zhang.request(
      'POST',
      '/api/v1/files',
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nabc`),
      {
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
    );
    expect(cut.statusCode).toBe(400);
    expect((await zhang.request('POST', '/api/v1/files', Buffer.from('x'), { 'content-type': 'multipart/form-data' })).statusCode).toBe(
      400,
    );
  });

  it('leaves JSON routes alone: multipart sent to one is refused as bad input', async () => {
    const { payload, contentType } = multipart('a.txt', Buffer.from('a'));
    const res = await zhang.request('POST', '/api/v1/saved-views', payload, { 'content-type': contentType });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('keeps only the base name of a path-like file name; serves active content as an inert download', async () => {
    const info = await uploaded(zhang, '..\\..\\etc\\密码.html', Buffer.from('<script>alert(1)</script>'), 'text/html; charset=utf-8');
    expect(info.name).toBe('密码.html');
    expect(info.mime).toBe('text/html');
    const res = await zhang.get(`/api/v1/files/${info.id}`);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.headers['content-security-policy']).toContain('sandbox');
    expect((await uploaded(zhang, 'x.bin', Buffer.from('x'), '../../weird')).mime).toBe('application/octet-stream');
  });

  it('still requires the CSRF header for uploads', async () => {
    const { payload, contentType } = multipart('a.txt', Buffer.from('a'));
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/files',
      payload,
      headers: { cookie: zhang.cookie ?? '', 'content-type': contentType },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('csrf');
  });
});

describe('who may read, list and delete', () => {
  it('refuses another user an unattached file (404), lets its owner read it', async () => {
    const info = await uploaded(zhang, '草稿.txt', Buffer.from('草稿'));
    expect((await li.get(`/api/v1/files/${info.id}`)).statusCode).toBe(404);
    expect((await admin.get(`/api/v1/files/${info.id}`)).statusCode).toBe(404);
    expect((await zhang.get(`/api/v1/files/${info.id}/info`)).json()).toMatchObject({ name: '草稿.txt' });
  });

  it('attaches only the caller’s own unattached files, naming the bad one', async () => {
    const mine = await uploaded(zhang, '附件一.txt', Buffer.from('1'));
    const theirs = await uploaded(li, '别人的.txt', Buffer.from('2'));
    const memoId = '0000000000000000000000memo';
    const res = await zhang.post('/api/v1/fixture-memos', { id: memoId, attachmentIds: [mine.id, theirs.id], readers: [] });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ field: 'attachmentIds.1', code: 'not_found' });
    // nothing was attached
    expect(
      (await t.database.db.selectFrom('files').select('entity').where('id', '=', mine.id).executeTakeFirstOrThrow()).entity,
    ).toBeNull();
    expect((await zhang.post('/api/v1/fixture-memos', { id: memoId, attachmentIds: [mine.id], readers: [] })).statusCode).toBe(201);
    // an attached file cannot be attached again elsewhere
    const again = await zhang.post('/api/v1/fixture-memos', { id: '0000000000000000000000memp', attachmentIds: [mine.id], readers: [] });
    expect(again.json().errors[0]).toMatchObject({ field: 'attachmentIds.0', code: 'not_found' });
  });

  it('lets whoever the record’s check allows read and list its files; others get 404', async () => {
    const f = await uploaded(zhang, '拜访记录.jpg', Buffer.from('jpeg'), 'image/jpeg');
    const memoId = '0000000000000000000000memq';
    expect((await zhang.post('/api/v1/fixture-memos', { id: memoId, attachmentIds: [f.id], readers: [liId] })).statusCode).toBe(201);
    expect((await li.get(`/api/v1/files/${f.id}`)).statusCode).toBe(200);
    const list = await li.get(`/api/v1/files?entity=fixture_memo&entityId=${memoId}`);
    expect(list.statusCode).toBe(200);
    expect((list.json().items as FileInfo[]).map((x) => [x.name, x.ownerName])).toEqual([['拜访记录.jpg', '张三']]);
    readers.set(
      memoId,
      new Set([(await t.database.db.selectFrom('users').select('id').where('username', '=', 'zhang.san').executeTakeFirstOrThrow()).id]),
    );
    expect((await li.get(`/api/v1/files/${f.id}`)).statusCode).toBe(404);
    expect((await li.get(`/api/v1/files?entity=fixture_memo&entityId=${memoId}`)).statusCode).toBe(404);
    expect((await li.get(`/api/v1/files?entity=spaceship&entityId=${memoId}`)).statusCode).toBe(400);
  });

  it('lets the owner or an admin delete; a reader who is neither gets 403', async () => {
    const f = await uploaded(zhang, '可删除.txt', Buffer.from('d'));
    const g = await uploaded(zhang, '管理员删.txt', Buffer.from('e'));
    const memoId = '0000000000000000000000memr';
    await zhang.post('/api/v1/fixture-memos', { id: memoId, attachmentIds: [f.id, g.id], readers: [liId] });
    expect((await li.delete(`/api/v1/files/${f.id}`)).statusCode).toBe(403);
    expect((await zhang.delete(`/api/v1/files/${f.id}`)).statusCode).toBe(204);
    expect((await zhang.get(`/api/v1/files/${f.id}`)).statusCode).toBe(404);
    expect((await admin.delete(`/api/v1/files/${g.id}`)).statusCode).toBe(204);
    const names = ((await zhang.get(`/api/v1/files?entity=fixture_memo&entityId=${memoId}`)).json().items as FileInfo[]).map((x) => x.name);
    expect(names).toEqual([]);
    const audit = await t.database.db.selectFrom('audit_log').select(['action', 'actor_name']).where('entity_id', '=', g.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['create', 'delete']);
  });

  it('attachFiles refuses ids that do not exist', async () => {
    const err = await t.database.db
      .transaction()
      .execute((tx) => attachFiles(tx, ['0000000000000000000000none'], 'fixture_memo', 'x', liId))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).fieldErrors[0]).toMatchObject({ field: 'attachmentIds.0', code: 'not_found' });
  });
});
