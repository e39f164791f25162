// Runs the whole Vitest suite against PostgreSQL: every test file creates and drops its own database
// on the server TEST_DATABASE_URL points at. Extra arguments go to vitest (e.g. a file path).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const url = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const shown = url.replace(/\/\/([^:@/]+):[^@]*@/, '//$1:***@');

// test files connect to this database to create their own: make sure it exists on a fresh server
async function ensureDatabase() {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString() });
  try {
    await client.connect();
  } catch (err) {
    console.error(`PostgreSQL is not reachable at ${shown}: ${err.message}`);
    process.exit(1);
  }
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await client.query(`create database "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

await ensureDatabase();
console.log(`Running the test suite on PostgreSQL (${shown})`);
const vitest = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
const child = spawn(process.execPath, [vitest, 'run', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, TEST_DATABASE_URL: url },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
