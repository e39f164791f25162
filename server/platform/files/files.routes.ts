import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { filesQuery, MAX_FILE_BYTES } from '@common/schemas/files';
import { idParams } from '@common/schemas/platform';
import { actorOf } from '../audit/audit.service';
import { requireAuth } from '../access/check';
import { AppError, fieldError } from '../http/errors';
import { deleteFile, fileOnDisk, listFilesOf, openFile, presentFile, readableFile, saveFile } from './files.service';

/** RFC 6266 / 5987: an ASCII fallback plus the exact UTF-8 name (Chinese file names survive every browser). */
export function contentDisposition(name: string, kind: 'attachment' | 'inline' = 'attachment'): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** types a browser would run (pages, scripts, SVG): sent as plain bytes, never rendered from our origin */
const ACTIVE = /html|xml|javascript|ecmascript|svg|x-shockwave/;

/** /files: upload (multipart, one file, 20 MB), download, list a record's files, delete. */
export async function filesRoutes(root: FastifyInstance) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db, config } = root.ctx;
  const tags = ['files'];

  app.post('/files', { config: { access: 'user' }, schema: { tags, consumes: ['multipart/form-data'] } }, async (request, reply) => {
    const auth = requireAuth(request);
    if (!request.isMultipart()) throw fieldError('file', 'required');
    try {
      const part = await request.file({ limits: { fileSize: MAX_FILE_BYTES, files: 1 }, throwFileSizeLimit: false });
      if (!part) throw fieldError('file', 'required');
      const info = await saveFile(db, config.dataDir, {
        name: part.filename,
        mime: part.mimetype,
        data: part.file,
        ownerId: auth.user.id,
        truncated: () => part.file.truncated,
        actor: actorOf(request),
      });
      return await reply.code(201).send(info);
    } catch (err) {
      if (err instanceof AppError) throw err;
      // a malformed multipart body (no boundary, cut short): the client's fault, not a 500
      request.log.debug({ err }, 'bad upload');
      throw fieldError('file', 'invalid');
    }
  });

  app.get('/files', { config: { access: 'user' }, schema: { tags, querystring: filesQuery } }, async (request) => ({
    items: await listFilesOf(db, request, request.query.entity, request.query.entityId),
  }));

  app.get('/files/:id', { config: { access: 'user' }, schema: { tags, params: idParams } }, async (request, reply) => {
    const file = await readableFile(db, request, request.params.id);
    // bytes lost on disk (restored database without its files): absent, not a broken stream
    if (!(await fileOnDisk(config.dataDir, file))) throw new AppError('not_found');
    const stream = openFile(config.dataDir, file);
    return reply
      .header('content-type', ACTIVE.test(file.mime) ? 'application/octet-stream' : file.mime)
      .header('content-security-policy', "sandbox; default-src 'none'")
      .header('content-length', file.size)
      .header('content-disposition', contentDisposition(file.name))
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-cache')
      .send(stream);
  });

  app.get('/files/:id/info', { config: { access: 'user' }, schema: { tags, params: idParams } }, async (request) =>
    presentFile(await readableFile(db, request, request.params.id)),
  );

  app.delete('/files/:id', { config: { access: 'user' }, schema: { tags, params: idParams } }, async (request, reply) => {
    await deleteFile(db, request, request.params.id, actorOf(request));
    return reply.code(204).send();
  });
}
