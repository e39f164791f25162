import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Content-addressed bytes under DATA_DIR/files/<sha256[0..2]>/<sha256>: written to a temporary
 * file first, then renamed into place, so a reader never sees half a file and equal uploads are
 * stored once.
 */

const SHA = /^[0-9a-f]{64}$/;

export function filesRoot(dataDir: string): string {
  return path.join(dataDir, 'files');
}

/** Where the bytes of `sha256` live. */
export function blobPath(dataDir: string, sha256: string): string {
  if (!SHA.test(sha256)) throw new Error('Invalid sha256');
  return path.join(filesRoot(dataDir), sha256.slice(0, 2), sha256);
}

export class TooLargeError extends Error {
  constructor() {
    super('file too large');
  }
}

/**
 * Stores a stream (or buffer): hashes while writing to a temp file, then moves it to its
 * content address (or drops it when those bytes are already stored). More than `maxBytes` →
 * TooLargeError, nothing kept. `truncated()` lets a caller report a limit its source enforced.
 */
export async function storeBlob(
  dataDir: string,
  source: Readable | Buffer,
  opts: { maxBytes: number; truncated?: () => boolean },
): Promise<{ sha256: string; size: number }> {
  const tmpDir = path.join(filesRoot(dataDir), 'tmp');
  await fs.promises.mkdir(tmpDir, { recursive: true });
  const tmp = path.join(tmpDir, `${Date.now()}-${randomBytes(8).toString('hex')}`);
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > opts.maxBytes) return done(new TooLargeError());
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(Buffer.isBuffer(source) ? Readable.from([source]) : source, meter, fs.createWriteStream(tmp));
    if (opts.truncated?.()) throw new TooLargeError();
    const sha256 = hash.digest('hex');
    const target = blobPath(dataDir, sha256);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    if (fs.existsSync(target)) await fs.promises.rm(tmp, { force: true });
    else await fs.promises.rename(tmp, target);
    return { sha256, size };
  } catch (err) {
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
}
