import { z } from 'zod';
import { idSchema } from './fields';

/** Files (附件): uploaded once (POST /files, multipart), then linked to a record by its module. */

/** 20 MB per file */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

const entityName = z.string().regex(/^[a-z][a-z0-9_]{0,49}$/, 'validation.invalid_format');

export const filesQuery = z.object({ entity: entityName, entityId: idSchema });

export type FileInfo = {
  id: string;
  name: string;
  mime: string;
  size: number;
  entity: string | null;
  entityId: string | null;
  ownerId: string | null;
  ownerName: string | null;
  createdAt: string;
};

/** ids of files the caller uploaded, attached to the record being saved */
export const attachmentIds = z.array(idSchema).max(20);
