// Dovecot for the mail tests: found on the PATH or in /usr/sbin, installed from Debian's packages when this
// process may (root with apt-get), once per machine even when several test files start at the same time.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PACKAGES = ['dovecot-imapd', 'dovecot-pop3d', 'dovecot-lmtpd'];
const LOCK = '/tmp/xietong-dovecot-install.lock';

/** The Dovecot binaries, or null when they are not installed. */
export function findDovecot(): { dovecot: string; doveadm: string } | null {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/bin', '/usr/local/sbin'];
  const find = (name: string) => dirs.map((d) => `${d}/${name}`).find((p) => isExecutable(p));
  const dovecot = find('dovecot');
  const doveadm = find('doveadm');
  // the LMTP and POP3 servers are separate packages from the IMAP one
  const libexec = ['/usr/lib/dovecot', '/usr/libexec/dovecot'].find((d) => fs.existsSync(`${d}/imap`));
  if (!dovecot || !doveadm || !libexec) return null;
  if (!fs.existsSync(`${libexec}/pop3`) || !fs.existsSync(`${libexec}/lmtp`)) return null;
  return { dovecot, doveadm };
}

function isExecutable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Resolves null when Dovecot is usable, else the reason it is not (tests skip with it). */
export async function ensureDovecot(): Promise<string | null> {
  if (findDovecot()) return null;
  if (process.getuid?.() !== 0) {
    return `Dovecot is not installed and this process is not root, so it cannot install ${PACKAGES.join(' ')}`;
  }
  if (!isExecutable('/usr/bin/apt-get')) {
    return `Dovecot is not installed and there is no apt-get to install ${PACKAGES.join(' ')}`;
  }
  const deadline = Date.now() + 5 * 60_000;
  while (!takeLock()) {
    // another test file is installing: wait for it
    if (Date.now() > deadline) return 'timed out waiting for another process installing Dovecot';
    await new Promise((r) => setTimeout(r, 500));
    if (findDovecot()) return null;
  }
  try {
    if (findDovecot()) return null;
    console.warn(`[mail-servers] installing ${PACKAGES.join(' ')} with apt-get (about 10 s)`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const opts = ['-o', 'DPkg::Lock::Timeout=120'];
    await run('apt-get', ['update', '-qq', ...opts], { env, maxBuffer: 64 * 1024 * 1024 });
    await run('apt-get', ['install', '-y', '-qq', ...opts, ...PACKAGES], { env, maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    return `installing Dovecot failed: ${(err as Error).message.split('\n').slice(0, 5).join(' ')}`;
  } finally {
    fs.rmSync(LOCK, { force: true });
  }
  return findDovecot() ? null : `installed ${PACKAGES.join(' ')} but the Dovecot binaries are still missing`;
}

/** An exclusive lock file; one older than 10 minutes is left over from a killed run and taken over. */
function takeLock(): boolean {
  try {
    fs.writeFileSync(LOCK, String(process.pid), { flag: 'wx' });
    return true;
  } catch {
    try {
      if (Date.now() - fs.statSync(LOCK).mtimeMs > 10 * 60_000) fs.rmSync(LOCK, { force: true });
    } catch {
      /* gone meanwhile */
    }
    return false;
  }
}
