import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSecrets, loadSecretKey } from './secrets';

describe('secrets at rest', () => {
  it('generates a key file once and round-trips; another key cannot open it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xt-secret-'));
    const key = loadSecretKey(dir);
    expect(loadSecretKey(dir).equals(key)).toBe(true);
    expect(fs.statSync(path.join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
    const s = createSecrets(key);
    const sealed = s.encrypt('授权码 abc');
    expect(sealed).not.toContain('abc');
    expect(s.decrypt(sealed)).toBe('授权码 abc');
    expect(() => createSecrets(loadSecretKey(dir, 'other')).decrypt(sealed)).toThrow();
  });
});
