#!/usr/bin/env node
// Browser tests: build, then for each e2e/*.spec.ts start the built server on a free port with a fresh
// data directory (and a fresh database), wait for /api/v1/health, run that spec (Vitest + playwright-core
// in Debian's chromium), stop the server. Every spec starts from an empty, not yet set-up server, so none
// depends on another having run before it.
//
//   npm run test:e2e                       build, then every spec
//   npm run test:e2e -- --no-build         reuse dist/ (faster while iterating)
//   npm run test:e2e -- e2e/platform.spec.ts
// Environment: E2E_PORT (default: a free port); E2E_DATABASE_URL: a PostgreSQL server to create a fresh
// database on (default: SQLite in the temp dir); CHROMIUM_PATH (default /usr/bin/chromium);
// E2E_KEEP=1 keeps the data directory (and the Postgres database).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const build = !args.includes('--no-build');
const specs = args.filter((a) => !a.startsWith('--'));
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const log = (msg) => console.log(`\x1b[36m[e2e]\x1b[0m ${msg}`);

/** Runs a command to completion with inherited output; resolves to its exit code. */
function run(cmd, cmdArgs, env = process.env) {
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, { cwd: root, env, stdio: 'inherit' });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHealth(base, server, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`server exited early with code ${server.exitCode}`);
    try {
      const res = await fetch(`${base}/api/v1/health`);
      if (res.ok) return await res.json();
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no answer from ${base}/api/v1/health within ${timeoutMs / 1000}s`);
}

/** A fresh, empty Postgres database on the server of `baseUrl`; returns its URL and how to drop it. */
async function freshPostgres(baseUrl) {
  const { default: pg } = await import('pg');
  const name = `xt_e2e_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** Stops the server we started, by its pid: SIGTERM, then SIGKILL after 10 s. */
async function stop(server) {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((r) => server.once('exit', r));
  process.kill(server.pid, 'SIGTERM');
  const timer = setTimeout(() => server.exitCode === null && process.kill(server.pid, 'SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function main() {
  if (!fs.existsSync(chromium)) {
    console.error(`[e2e] chromium not found at ${chromium}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
    return 1;
  }
  if (build) {
    log('building (npm run build)…');
    const code = await run('npm', ['run', 'build']);
    if (code !== 0) {
      console.error('[e2e] build failed');
      return code;
    }
  } else if (!fs.existsSync(path.join(root, 'dist/web/index.html'))) {
    console.error('[e2e] --no-build given but dist/web is missing: run npm run build first');
    return 1;
  }

  const files = specs.length
    ? specs
    : fs
        .readdirSync(path.join(root, 'e2e'))
        .filter((f) => f.endsWith('.spec.ts'))
        .sort()
        .map((f) => `e2e/${f}`);
  if (!files.length) {
    console.error('[e2e] no spec files found');
    return 1;
  }
  const failed = [];
  for (const spec of files) {
    const code = await runSpec(spec);
    if (code !== 0) failed.push(spec);
  }
  console.log(
    failed.length === 0 ? '\x1b[32m[e2e] PASS: every browser test passed\x1b[0m' : `\x1b[31m[e2e] FAIL: ${failed.join(', ')}\x1b[0m`,
  );
  return failed.length === 0 ? 0 : 1;
}

/** One spec file against its own server, data directory and (with E2E_DATABASE_URL) database; resolves to its exit code. */
async function runSpec(spec) {
  const port = Number(process.env.E2E_PORT) || (await freePort());
  const base = `http://127.0.0.1:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xt-e2e-'));
  const serverLog = path.join(dataDir, 'server.log');
  const out = fs.openSync(serverLog, 'a');
  const postgres = process.env.E2E_DATABASE_URL ? await freshPostgres(process.env.E2E_DATABASE_URL) : undefined;
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    DATABASE_URL: postgres?.url ?? '',
  };
  delete env.SECRET_KEY;
  log(`${spec}: starting the server on ${base} (data in ${dataDir})`);
  const server = spawn(process.execPath, ['bin/xietong.js', 'serve'], { cwd: root, env, stdio: ['ignore', out, out] });
  const onSignal = () => void stop(server).then(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  let code = 1;
  try {
    const health = await waitForHealth(base, server);
    log(`server ready (${health.database}), pid ${server.pid}`);
    code = await run(
      process.execPath,
      [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--config', 'e2e/vitest.config.ts', spec],
      {
        ...process.env,
        E2E_BASE_URL: base,
        CHROMIUM_PATH: chromium,
      },
    );
  } catch (e) {
    console.error(`[e2e] ${e.message}`);
  } finally {
    await stop(server);
    fs.closeSync(out);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
  if (code !== 0) {
    const tail = fs.readFileSync(serverLog, 'utf8').split('\n').slice(-40).join('\n');
    if (tail.trim()) console.error(`[e2e] last lines of the server log (${serverLog}):\n${tail}`);
  }
  if (process.env.E2E_KEEP !== '1') {
    await postgres?.drop();
    if (code === 0) fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return code;
}

process.exit(await main());
