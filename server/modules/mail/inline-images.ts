import type { FastifyRequest } from 'fastify';
import type { DbOrTx } from '@server/db/types';
import type { Auth } from '@server/platform/access/types';
import { canReadFile, filePath, findFile } from '@server/platform/files/files.service';
import type { OutgoingAttachment } from './mime';

/**
 * Images in an outgoing body that point at our own files (`/api/v1/files/<id>`: pasted into the
 * editor, or quoted from a received mail in a reply / forward) mean nothing to the recipient. Those
 * the sender may read go into the message as related parts and the HTML refers to them by `cid:`;
 * any other image (remote, data:, a file the sender may not read) is left as it is.
 */

export type EmbeddedImages = { html: string; inline: OutgoingAttachment[] };

// src="/api/v1/files/<id>" (optionally with a path or query after the id, or our own absolute origin in front)
const OWN_IMAGE = /(<img\b[^>]*?\ssrc\s*=\s*)(["'])(?:https?:\/\/[^/"'\s]+)?\/api\/v1\/files\/([A-Za-z0-9_-]{8,64})(?:[/?#][^"']*)?\2/gi;

/** Replaces readable own-file images by `cid:` references and returns the parts to embed. */
export async function embedOwnImages(db: DbOrTx, auth: Auth, dataDir: string, html: string): Promise<EmbeddedImages> {
  const ids = [...new Set([...html.matchAll(OWN_IMAGE)].map((m) => m[3]))];
  if (!ids.length) return { html, inline: [] };
  // the registered file checks read the caller from the request: the sender's own auth is all they need
  const asSender = { auth } as unknown as FastifyRequest;
  const cids = new Map<string, string>();
  const inline: OutgoingAttachment[] = [];
  for (const id of ids) {
    const file = await findFile(db, id);
    if (!file || !file.mime.toLowerCase().startsWith('image/')) continue;
    const readable = await canReadFile(asSender, file).catch(() => false);
    if (!readable) continue;
    const cid = `${id}@inline.xietong`;
    cids.set(id, cid);
    inline.push({ name: file.name, mime: file.mime, path: filePath(dataDir, file), cid });
  }
  const out = html.replace(OWN_IMAGE, (m, head: string, q: string, id: string) => {
    const cid = cids.get(id);
    return cid ? `${head}${q}cid:${cid}${q}` : m;
  });
  return { html: out, inline };
}
