import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
let lastMs = 0;
let counter = 0;

/**
 * Time-ordered opaque id (26 chars, Crockford base32, lower case): 48-bit milliseconds,
 * a 16-bit in-process counter, then 64 random bits. Sorting by id sorts by creation,
 * which keyset pagination relies on.
 */
export function newId(): string {
  const ms = Date.now();
  counter = ms === lastMs ? (counter + 1) & 0xffff : 0;
  lastMs = ms;
  let out = '';
  let t = ms;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[t % 32] + out;
    t = Math.floor(t / 32);
  }
  let c = counter;
  let cs = '';
  for (let i = 0; i < 4; i++) {
    cs = ALPHABET[c % 32] + cs;
    c = Math.floor(c / 32);
  }
  const rnd = randomBytes(12);
  let r = '';
  for (let i = 0; i < 12; i++) r += ALPHABET[rnd[i] % 32];
  return out + cs + r;
}

export const ID_PATTERN = /^[0-9a-z]{26}$/;

/** Current time as an ISO-8601 UTC string, the stored timestamp format. */
export function nowIso(date: Date = new Date()): string {
  return date.toISOString();
}
