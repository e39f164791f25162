// `npm run bench:cold-start`: time from spawning `node bin/xietong.js serve` to the first 200 from
// /api/v1/health, on SQLite. Builds the server bundle first (not timed; the web build is not needed).
// Three first starts on a fresh DATA_DIR (migrations included) and three restarts on an existing one.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const PORT = 18310;
const TARGET_MS = 1500;
const TIMEOUT_MS = 30_000;

async function healthy(): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${PORT}/api/v1/health`);
    return res.status === 200;
  } catch {
    return false;
  }
}

/** CPU time (ms) a process has used so far, from /proc on Linux: robust against other load, unlike wall time. */
function cpuMs(pid: number | undefined): number {
  const stat = pid ? `/proc/${pid}/stat` : '';
  if (!stat || !fs.existsSync(stat)) return NaN;
  const fields = fs.readFileSync(stat, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in USER_HZ (100 on Linux)
}

type Start = { wall: number; cpu: number };

/** Spawns the CLI and polls /health every 5 ms; resolves with the milliseconds to the first 200. */
async function coldStart(dataDir: string): Promise<Start> {
  if (await healthy()) throw new Error(`port ${PORT} is already serving: stop that server first`);
  const started = performance.now();
  const child = spawn(process.execPath, ['bin/xietong.js', 'serve'], {
    cwd: root,
    env: { ...process.env, PORT: String(PORT), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let exited = false;
  child.once('exit', () => (exited = true));
  try {
    while (!(await healthy())) {
      if (exited) throw new Error('the server exited before answering');
      if (performance.now() - started > TIMEOUT_MS) throw new Error(`no 200 within ${TIMEOUT_MS} ms`);
      await new Promise((r) => setTimeout(r, 5));
    }
    return { wall: performance.now() - started, cpu: cpuMs(child.pid) };
  } finally {
    child.kill('SIGTERM');
    if (!exited) await new Promise((r) => child.once('exit', r));
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main() {
  console.log('building the server bundle (npm run build:server; not timed)');
  execFileSync(process.execPath, ['scripts/build-server.js'], { cwd: root, stdio: 'inherit' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xt-cold-'));
  try {
    const first: Start[] = [];
    const again: Start[] = [];
    for (let i = 0; i < 3; i++) {
      const dataDir = path.join(dir, `data-${i}`);
      first.push(await coldStart(dataDir));
      again.push(await coldStart(dataDir));
    }
    const load = os.loadavg().map((l) => l.toFixed(1));
    console.log(`\nload average now: ${load.join(' ')} (wall times are only comparable on an otherwise idle machine)`);
    const report = (label: string, xs: Start[]) => {
      const wall = median(xs.map((x) => x.wall));
      const cpu = median(xs.map((x) => x.cpu));
      const runs = xs.map((x) => Math.round(x.wall)).join(', ');
      const verdict = wall < TARGET_MS ? 'MET' : 'MISSED';
      console.log(
        `${label.padEnd(48)} ${runs} ms; median ${Math.round(wall)} ms, server CPU ${Math.round(cpu)} ms; target < ${TARGET_MS} ms ${verdict}`,
      );
    };
    report('first start, fresh DATA_DIR (runs migrations):', first);
    report('restart, existing DATA_DIR:', again);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
