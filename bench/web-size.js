// `npm run bench:web-size`: the JavaScript a browser downloads to show the login page, gzip-compressed,
// measured in Debian's chromium against the built app (run `npm run build:web` first). Target < 400 KB.
// Starts `node bin/xietong.js serve` on a fresh DATA_DIR with one admin, so / leads to the login page.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('..', import.meta.url));
const webRoot = path.join(root, 'dist/web');
const PORT = 18320;
const TARGET_KB = 400;
const base = `http://127.0.0.1:${PORT}`;

if (!fs.existsSync(path.join(webRoot, 'index.html'))) {
  console.error('dist/web is missing: run `npm run build:web` first.');
  process.exit(1);
}
const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!fs.existsSync(executablePath)) {
  console.error(`chromium not found at ${executablePath} (apt-get install -y chromium)`);
  process.exit(1);
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xt-websize-'));
const env = { ...process.env, DATA_DIR: dataDir, PORT: String(PORT), HOST: '127.0.0.1', LOG_LEVEL: 'warn', DATABASE_URL: '' };
execFileSync(
  process.execPath,
  ['bin/xietong.js', 'create-admin', '--username', 'sizer', '--password', `Size-${Date.now()}-pw`, '--name', 'Sizer'],
  {
    cwd: root,
    env,
    stdio: 'ignore',
  },
);
const server = spawn(process.execPath, ['bin/xietong.js', 'serve'], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });

let browser;
try {
  const deadline = Date.now() + 30_000;
  while (
    !(await fetch(`${base}/api/v1/health`)
      .then((r) => r.ok)
      .catch(() => false))
  ) {
    if (Date.now() > deadline || server.exitCode !== null) throw new Error('the server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--headless', '--disable-gpu'] });
  const page = await browser.newPage();
  const scripts = new Set();
  page.on('request', (req) => {
    if (req.resourceType() === 'script') scripts.add(new URL(req.url()).pathname);
  });
  await page.goto(`${base}/`, { waitUntil: 'networkidle' });
  await page.locator('input[type="password"]').waitFor({ timeout: 15_000 });
  await page.waitForLoadState('networkidle');
  console.log(`login page: ${new URL(page.url()).pathname}\n`);

  let raw = 0;
  let gz = 0;
  const rows = [...scripts].map((p) => {
    const bytes = fs.readFileSync(path.join(webRoot, decodeURIComponent(p)));
    return { p, raw: bytes.length, gz: gzipSync(bytes, { level: 9 }).length };
  });
  for (const r of rows.sort((a, b) => b.gz - a.gz)) {
    raw += r.raw;
    gz += r.gz;
    console.log(`${(r.gz / 1024).toFixed(1).padStart(8)} KB gzip ${(r.raw / 1024).toFixed(1).padStart(8)} KB  ${r.p}`);
  }
  console.log(`\n${rows.length} scripts: ${(gz / 1024).toFixed(1)} KB gzip (${(raw / 1024).toFixed(1)} KB raw)`);
  console.log(`target < ${TARGET_KB} KB gzip: ${gz / 1024 < TARGET_KB ? 'MET' : 'MISSED'}`);
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  await browser?.close();
  server.kill('SIGTERM');
  await new Promise((r) => (server.exitCode !== null ? r() : server.once('exit', r)));
  fs.rmSync(dataDir, { recursive: true, force: true });
}
