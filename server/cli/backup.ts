import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import SQLite from 'better-sqlite3';
import type { Config } from '../config';
import { openDatabase, migrateToLatest } from '../db/index';
import { migrations } from '../db/migrations/index';

type Options = Record<string, string | boolean | undefined>;

/** The table Kysely's migrator keeps; a file without it is not a Xietong database. */
const MIGRATION_TABLE = 'kysely_migration';
const SQLITE_FILE = 'xietong.db';
const PG_MAGIC = 'PGDMP';

/** A failure the user can act on: printed as is, exit code 1. */
class CliError extends Error {}

function fileArgument(command: string, args: string[]): string {
  const file = args[0];
  if (!file) throw new CliError(`Usage: xietong ${command} FILE`);
  return path.resolve(file);
}

function sizeOf(file: string): string {
  const bytes = fs.statSync(file).size;
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function removeQuietly(...files: string[]) {
  for (const f of files) fs.rmSync(f, { force: true });
}

/** Stored secrets (mail, WeChat Work) are sealed with a key that is NOT inside the database. */
function secretKeyNotice(config: Config, phase: 'backup' | 'restore'): string {
  const key = config.secretKey ? 'SECRET_KEY' : path.join(config.dataDir, 'secret.key');
  const head = `Secrets in the database (mail and WeChat Work passwords) are encrypted with ${key}, which is not part of the backup: `;
  if (phase === 'restore') return `${head}it must be the same key the backup was made with.`;
  return config.secretKey
    ? `${head}keep SECRET_KEY with the backup; a restore needs the same value.`
    : `${head}copy that file with the backup (or set SECRET_KEY); without it they cannot be decrypted after a restore.`;
}

/** Refuses migrations this version does not know: the backup comes from a newer Xietong. */
function checkMigrations(file: string, names: string[]) {
  if (names.length === 0) throw new CliError(`${file} holds no applied migrations: it is not a Xietong backup.`);
  const unknown = names.filter((n) => !(n in migrations));
  if (unknown.length) {
    throw new CliError(
      `${file} was made by a newer version of Xietong (unknown migrations: ${unknown.join(', ')}). Upgrade first, then restore.`,
    );
  }
}

// ---------------------------------------------------------------- SQLite

function sqliteFile(config: Config) {
  return path.join(config.dataDir, SQLITE_FILE);
}

/** Online backup through SQLite's backup API: a consistent copy even while the server writes. */
async function backupSqlite(config: Config, target: string) {
  const source = sqliteFile(config);
  if (!fs.existsSync(source)) throw new CliError(`No database at ${source} (check DATA_DIR).`);
  const partial = `${target}.partial-${process.pid}`;
  const db = new SQLite(source, { fileMustExist: true, timeout: 5000 });
  try {
    await db.backup(partial);
    // a self-contained single file: no -wal beside it is needed to read the copy
    const copy = new SQLite(partial);
    try {
      copy.pragma('journal_mode = DELETE');
      if (copy.pragma('quick_check', { simple: true }) !== 'ok') throw new CliError('The backup copy failed its integrity check.');
    } finally {
      copy.close();
    }
    // it holds password hashes and session ids
    fs.chmodSync(partial, 0o600);
    fs.renameSync(partial, target);
  } finally {
    db.close();
    removeQuietly(partial, `${partial}-wal`, `${partial}-shm`);
  }
}

/** Opens a candidate SQLite file and checks it is a healthy Xietong database this version can migrate. */
function verifySqliteBackup(file: string, label: string) {
  let db: SQLite.Database;
  try {
    db = new SQLite(file, { fileMustExist: true });
  } catch (err) {
    throw new CliError(`${label} cannot be opened: ${(err as Error).message}`);
  }
  try {
    let names: string[];
    try {
      const check = db.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new CliError(`${label} is damaged (${String(check)}).`);
      const table = db.prepare(`select name from sqlite_master where type = 'table' and name = ?`).get(MIGRATION_TABLE);
      if (!table) throw new CliError(`${label} is not a Xietong backup (no ${MIGRATION_TABLE} table).`);
      names = db.prepare(`select name from ${MIGRATION_TABLE} order by name`).pluck().all() as string[];
    } catch (err) {
      if (err instanceof CliError) throw err;
      throw new CliError(`${label} is not a valid SQLite database: ${(err as Error).message}`);
    }
    checkMigrations(label, names);
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
}

/**
 * Proves no other process has the live database open: leaving WAL mode needs exclusive access, and the
 * server keeps its connection (and so WAL mode) for as long as it runs. Leaves the file without -wal/-shm.
 */
function ensureNotInUse(file: string) {
  const db = new SQLite(file, { fileMustExist: true, timeout: 200 });
  try {
    db.pragma('journal_mode = DELETE');
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_BUSY') {
      throw new CliError(`The database ${file} is in use (is the server running?). Stop the server, then run restore again.`);
    }
    throw new CliError(`The current database ${file} cannot be opened: ${(err as Error).message}`);
  } finally {
    db.close();
  }
  if (fs.existsSync(`${file}-wal`) || fs.existsSync(`${file}-shm`)) {
    throw new CliError(`The database ${file} still has a -wal/-shm file beside it: stop every process using it, then run restore again.`);
  }
}

/** Replaces the SQLite file: copy to a temp file, verify it, keep the old file as a hard link, then rename over. */
async function restoreSqlite(config: Config, backup: string): Promise<string | undefined> {
  const live = sqliteFile(config);
  fs.mkdirSync(config.dataDir, { recursive: true });
  const temp = `${live}.restoring-${process.pid}`;
  let kept: string | undefined;
  try {
    fs.copyFileSync(backup, temp);
    verifySqliteBackup(temp, backup);
    if (fs.existsSync(live)) {
      ensureNotInUse(live);
      kept = `${live}.before-restore-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}`;
      try {
        fs.linkSync(live, kept);
      } catch {
        fs.copyFileSync(live, kept); // file systems without hard links
      }
    }
    fs.renameSync(temp, live);
  } finally {
    removeQuietly(temp, `${temp}-wal`, `${temp}-shm`, `${temp}-journal`);
  }
  return kept;
}

// ---------------------------------------------------------------- PostgreSQL

/** The password travels in PGPASSWORD, never on a command line other users can read. */
function pgConnection(databaseUrl: string) {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  const env = { ...process.env, ...(password ? { PGPASSWORD: password } : {}) };
  return { dbname: url.toString(), env };
}

type Run = { code: number; stdout: string; stderr: string };

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'ENOENT'
          ? new CliError(`${command} not found: install the PostgreSQL client tools (Debian: apt-get install postgresql-client).`)
          : err,
      ),
    );
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

async function backupPostgres(databaseUrl: string, target: string) {
  const { dbname, env } = pgConnection(databaseUrl);
  const partial = `${target}.partial-${process.pid}`;
  try {
    const r = await run('pg_dump', ['--format=custom', `--file=${partial}`, `--dbname=${dbname}`], env);
    if (r.code !== 0) throw new CliError(`pg_dump failed:\n${r.stderr.trim()}`);
    fs.chmodSync(partial, 0o600);
    fs.renameSync(partial, target);
  } finally {
    removeQuietly(partial);
  }
}

/** Reads the archive's table of contents and its migration rows without touching the database. */
async function inspectPostgresBackup(file: string): Promise<Set<string>> {
  const head = Buffer.alloc(PG_MAGIC.length);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (head.toString('latin1') !== PG_MAGIC)
    throw new CliError(`${file} is not a pg_dump custom-format archive (made by xietong backup on PostgreSQL).`);
  const list = await run('pg_restore', ['--list', file], process.env);
  if (list.code !== 0) throw new CliError(`${file} cannot be read: ${list.stderr.trim()}`);
  const tables = new Set<string>();
  for (const line of list.stdout.split('\n')) {
    const m = /^\d+; \d+ \d+ TABLE (\S+) (\S+) /.exec(line);
    if (m && m[1] === 'public') tables.add(m[2]);
  }
  if (!tables.has(MIGRATION_TABLE)) throw new CliError(`${file} is not a Xietong backup (no ${MIGRATION_TABLE} table).`);
  const data = await run('pg_restore', ['--data-only', `--table=${MIGRATION_TABLE}`, '--file=-', file], process.env);
  if (data.code !== 0) throw new CliError(`${file} cannot be read: ${data.stderr.trim()}`);
  const rows = data.stdout.split(/^COPY [^\n]+ FROM stdin;\n/m)[1]?.split('\n\\.')[0] ?? '';
  checkMigrations(
    file,
    rows
      .split('\n')
      .filter(Boolean)
      .map((r) => r.split('\t')[0]),
  );
  return tables;
}

/**
 * pg_restore's SQL goes through psql inside ONE transaction, preceded by dropping tables the backup does not
 * have (created by a later upgrade). COMMIT is sent only once pg_restore has finished cleanly, so a failure
 * anywhere leaves the database exactly as it was.
 */
async function restorePostgres(databaseUrl: string, backup: string) {
  const tables = await inspectPostgresBackup(backup);
  // loaded here, not at the top: `serve` imports this file, and SQLite installs never need pg
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let extra: string[];
  try {
    const r = await client.query<{ tablename: string }>(`select tablename from pg_tables where schemaname = 'public'`);
    extra = r.rows.map((row) => row.tablename).filter((t) => !tables.has(t));
  } finally {
    await client.end();
  }
  const { dbname, env } = pgConnection(databaseUrl);
  const psql = spawn('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', '-', `--dbname=${dbname}`], {
    env,
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  const restore = spawn('pg_restore', ['--clean', '--if-exists', '--no-owner', '--no-privileges', '--file=-', backup], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  psql.stderr.on('data', (d: Buffer) => (errors += d.toString()));
  restore.stderr.on('data', (d: Buffer) => (errors += d.toString()));
  const exited = (child: ChildProcess) =>
    new Promise<number>((resolve, reject) => {
      child.on('error', (err: NodeJS.ErrnoException) =>
        reject(
          err.code === 'ENOENT'
            ? new CliError('psql/pg_restore not found: install the PostgreSQL client tools (apt-get install postgresql-client).')
            : err,
        ),
      );
      child.on('close', (code) => resolve(code ?? 1));
    });
  const psqlExit = exited(psql);
  const restoreExit = exited(restore);
  // psql stops at the first error: its stdin closes, and pg_restore must not block on a full pipe
  psql.stdin.on('error', () => {});
  psql.on('close', () => restore.exitCode === null && restore.kill());
  psql.stdin.write('BEGIN;\n');
  for (const t of extra) psql.stdin.write(`DROP TABLE IF EXISTS public."${t.replace(/"/g, '""')}" CASCADE;\n`);
  restore.stdout.pipe(psql.stdin, { end: false });
  const restoreCode = await restoreExit;
  psql.stdin.end(restoreCode === 0 ? 'COMMIT;\n' : 'ROLLBACK;\n');
  const psqlCode = await psqlExit;
  if (psqlCode !== 0 || restoreCode !== 0) {
    throw new CliError(`Restore failed; the database was left unchanged:\n${errors.trim()}`);
  }
}

// ---------------------------------------------------------------- commands

/** backup FILE: SQLite online backup, or pg_dump -Fc on PostgreSQL. Refuses to overwrite FILE without --force. */
export async function backupCommand(config: Config, options: Options, args: string[]): Promise<void> {
  try {
    const target = fileArgument('backup', args);
    if (fs.existsSync(target) && options.force !== true) throw new CliError(`${target} already exists (use --force to overwrite).`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (config.databaseUrl) await backupPostgres(config.databaseUrl, target);
    else await backupSqlite(config, target);
    console.log(`Backup written to ${target} (${sizeOf(target)}).`);
    console.log(secretKeyNotice(config, 'backup'));
  } catch (err) {
    throw err instanceof CliError ? new Error(`backup: ${err.message}`) : err;
  }
}

/** restore FILE: replaces the whole database with the backup, then applies migrations. */
export async function restoreCommand(config: Config, _options: Options, args: string[]): Promise<void> {
  try {
    const backup = fileArgument('restore', args);
    if (!fs.existsSync(backup) || !fs.statSync(backup).isFile()) throw new CliError(`Backup file not found: ${backup}`);
    let kept: string | undefined;
    if (config.databaseUrl) await restorePostgres(config.databaseUrl, backup);
    else kept = await restoreSqlite(config, backup);
    const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
      const applied = await migrateToLatest(database.db);
      console.log(`Restored ${backup}.${applied.length ? ` Applied migrations: ${applied.join(', ')}.` : ''}`);
    } finally {
      await database.close();
    }
    if (kept) console.log(`The previous database was kept as ${kept} (delete it once you are satisfied).`);
    console.log(secretKeyNotice(config, 'restore'));
  } catch (err) {
    throw err instanceof CliError ? new Error(`restore: ${err.message}`) : err;
  }
}
