import fs from 'node:fs';
import path from 'node:path';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const KEY_FILE = 'secret.key';

/**
 * The key that encrypts secrets at rest: from SECRET_KEY when set (required when several
 * instances share one database), otherwise generated once into DATA_DIR/secret.key (mode 600).
 */
export function loadSecretKey(dataDir: string, secretKey?: string): Buffer {
  if (secretKey) return createHash('sha256').update(secretKey).digest();
  const file = path.join(dataDir, KEY_FILE);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
}

/** AES-256-GCM sealing: `v1:` + base64(iv | tag | ciphertext). */
export function createSecrets(key: Buffer) {
  return {
    encrypt(plain: string): string {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `v1:${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64')}`;
    },
    decrypt(sealed: string): string {
      if (!sealed.startsWith('v1:')) throw new Error('unknown secret format');
      const buf = Buffer.from(sealed.slice(3), 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(0, 12));
      decipher.setAuthTag(buf.subarray(12, 28));
      return Buffer.concat([decipher.update(buf.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
