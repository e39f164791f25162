import fs from 'node:fs';
import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { MAX_FILE_BYTES, type FileInfo } from '@common/schemas/files';
import type { DbOrTx, FilesTable } from '@server/db/types';
import { newId, nowIso } from '@server/db/ids';
import { audit, type Actor } from '../audit/audit.service';
import { AppError, fieldError } from '../http/errors';
import { withTx } from '../org/caller';
import { blobPath, storeBlob, TooLargeError } from './files.storage';

/**
 * Files (附件): uploaded first (owned by the uploader, linked to nothing), then attached to a
 * record by its module in the record's transaction. Who may read an attached file is the record's
 * business: each entity registers a read check.
 */

export type FileAccessCheck = (request: FastifyRequest, entityId: string) => Promise<boolean>;

const access = new Map<string, FileAccessCheck>();

/** Declares who may read files attached to `entity` records: those the check allows (e.g. who may see the customer). */
export function registerFileAccess(entity: string, check: FileAccessCheck): void {
  access.set(entity, check);
}

export function fileAccessRegistered(entity: string): boolean {
  return access.has(entity);
}

type Row = FilesTable & { owner_name?: string | null };

export function presentFile(row: Row): FileInfo {
  return {
    id: row.id,
    name: row.name,
    mime: row.mime,
    size: row.size,
    entity: row.entity,
    entityId: row.entity_id,
    ownerId: row.owner_id,
    ownerName: row.owner_name ?? null,
    createdAt: row.created_at,
  };
}

/** A file's name as given, made safe to store and to send back: no directories, no control characters. */
export function cleanFileName(name: string | undefined): string {
  const base = (name ?? '')
    .split(/[/\\]/)
    .pop()!
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim();
  return base.slice(0, 200) || 'file';
}

const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

export function cleanMime(mime: string | undefined): string {
  const m = (mime ?? '').toLowerCase().trim();
  return MIME.test(m) ? m : 'application/octet-stream';
}

/**
 * Stores bytes and records the file, owned by `ownerId` (also how other modules save generated
 * files: export workbooks, error reports). More than 20 MB → 413 'file_too_large'.
 */
export async function saveFile(
  db: DbOrTx,
  dataDir: string,
  input: {
    name: string | undefined;
    mime: string | undefined;
    data: Readable | Buffer;
    ownerId: string | null;
    entity?: string | null;
    entityId?: string | null;
    truncated?: () => boolean;
    /** audits the upload as this actor */
    actor?: Actor;
  },
): Promise<FileInfo> {
  let blob: { sha256: string; size: number };
  try {
    blob = await storeBlob(dataDir, input.data, { maxBytes: MAX_FILE_BYTES, truncated: input.truncated });
  } catch (err) {
    if (err instanceof TooLargeError) throw new AppError('file_too_large', { max: MAX_FILE_BYTES / 1024 / 1024 });
    throw err;
  }
  const row: FilesTable = {
    id: newId(),
    name: cleanFileName(input.name),
    mime: cleanMime(input.mime),
    size: blob.size,
    sha256: blob.sha256,
    entity: input.entity ?? null,
    entity_id: input.entityId ?? null,
    owner_id: input.ownerId,
    created_at: nowIso(),
    deleted_at: null,
  };
  // the bytes are stored outside the transaction (slow I/O); an orphan blob is harmless
  await withTx(db, async (tx) => {
    await tx.insertInto('files').values(row).execute();
    if (input.actor) {
      await audit(tx, input.actor, {
        action: 'create',
        entity: 'file',
        entityId: row.id,
        after: { name: row.name, mime: row.mime, size: row.size },
        detail: row.name,
      });
    }
  });
  return presentFile(row);
}

/** A live file row, or undefined. */
export async function findFile(db: DbOrTx, id: string): Promise<FilesTable | undefined> {
  return db.selectFrom('files').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
}

/** The path of a file's bytes on disk (import reads uploaded workbooks from it). */
export function filePath(dataDir: string, file: Pick<FilesTable, 'sha256'>): string {
  return blobPath(dataDir, file.sha256);
}

export async function fileOnDisk(dataDir: string, file: Pick<FilesTable, 'sha256'>): Promise<boolean> {
  return fs.promises.access(filePath(dataDir, file)).then(
    () => true,
    () => false,
  );
}

export function openFile(dataDir: string, file: Pick<FilesTable, 'sha256'>): fs.ReadStream {
  return fs.createReadStream(filePath(dataDir, file));
}

/** The owner reads their files; anyone else only what the linked record's registered check allows. */
export async function canReadFile(request: FastifyRequest, file: Pick<FilesTable, 'owner_id' | 'entity' | 'entity_id'>): Promise<boolean> {
  const userId = request.auth?.user.id;
  if (userId && file.owner_id === userId) return true;
  if (!file.entity || !file.entity_id) return false;
  const check = access.get(file.entity);
  return check ? check(request, file.entity_id) : false;
}

/** A live file the caller may read, else 404 (as if absent). */
export async function readableFile(db: DbOrTx, request: FastifyRequest, id: string): Promise<FilesTable> {
  const file = await findFile(db, id);
  if (!file || !(await canReadFile(request, file))) throw new AppError('not_found');
  return file;
}

/** Files attached to a record, oldest first; 404 unless the record's check allows the caller. */
export async function listFilesOf(db: DbOrTx, request: FastifyRequest, entity: string, entityId: string): Promise<FileInfo[]> {
  const check = access.get(entity);
  if (!check) throw fieldError('entity', 'invalid_value');
  if (!(await check(request, entityId))) throw new AppError('not_found');
  return filesOf(db, entity, entityId);
}

/** Files attached to a record, oldest first (no access check: for services that already checked). */
export async function filesOf(db: DbOrTx, entity: string, entityId: string): Promise<FileInfo[]> {
  const rows = await db
    .selectFrom('files as f')
    .leftJoin('users as u', 'u.id', 'f.owner_id')
    .selectAll('f')
    .select('u.name as owner_name')
    .where('f.entity', '=', entity)
    .where('f.entity_id', '=', entityId)
    .where('f.deleted_at', 'is', null)
    .orderBy('f.id')
    .execute();
  return rows.map(presentFile);
}

/** Soft-deletes a file: its owner or an admin; anyone else who can read it gets 403, others 404. */
export async function deleteFile(db: DbOrTx, request: FastifyRequest, id: string, actor: Actor): Promise<void> {
  await withTx(db, async (tx) => {
    const file = await readableFileOrAdmin(tx, request, id);
    const auth = request.auth!;
    if (file.owner_id !== auth.user.id && !auth.user.isAdmin) throw new AppError('forbidden');
    await tx.updateTable('files').set({ deleted_at: nowIso() }).where('id', '=', id).where('deleted_at', 'is', null).execute();
    await audit(tx, actor, {
      action: 'delete',
      entity: 'file',
      entityId: id,
      before: { name: file.name, size: file.size, entity: file.entity, entityId: file.entity_id },
      after: null,
      detail: file.name,
    });
  });
}

async function readableFileOrAdmin(db: DbOrTx, request: FastifyRequest, id: string): Promise<FilesTable> {
  const file = await findFile(db, id);
  if (file && request.auth?.user.isAdmin) return file;
  if (!file || !(await canReadFile(request, file))) throw new AppError('not_found');
  return file;
}

/**
 * Links the caller's freshly uploaded files to a record, in the record's transaction. Each id must
 * be a live file that `userId` uploaded and that is not attached yet, else
 * fieldError('attachmentIds.<i>', 'not_found'). Repeated ids count once.
 */
export async function attachFiles(tx: DbOrTx, fileIds: readonly string[], entity: string, entityId: string, userId: string): Promise<void> {
  if (fileIds.length === 0) return;
  const unique = [...new Set(fileIds)];
  const rows = await tx
    .selectFrom('files')
    .select('id')
    .where('id', 'in', unique)
    .where('owner_id', '=', userId)
    .where('entity', 'is', null)
    .where('deleted_at', 'is', null)
    .execute();
  const ok = new Set(rows.map((r) => r.id));
  const missing = fileIds.findIndex((id) => !ok.has(id));
  if (missing >= 0) throw fieldError(`attachmentIds.${missing}`, 'not_found');
  await tx.updateTable('files').set({ entity, entity_id: entityId }).where('id', 'in', unique).where('entity', 'is', null).execute();
}

/** Moves every file of one record to another (merging duplicate customers). */
export async function moveFiles(tx: DbOrTx, entity: string, fromId: string, toId: string): Promise<void> {
  await tx.updateTable('files').set({ entity_id: toId }).where('entity', '=', entity).where('entity_id', '=', fromId).execute();
}
