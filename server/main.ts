import { parseArgs } from 'node:util';
import { loadConfig } from './config';
import { buildApp } from './app';
import { openDatabase, migrateToLatest } from './db/index';
import { commands } from './cli/commands';

const USAGE = `Usage: xietong <command> [options]
  serve                         start the server (default port 8088)
  migrate                       apply database migrations
  create-admin --username U --password P --name N [--company C] [--timezone Asia/Shanghai]
  seed --demo                   fill an empty database with a demo company
  backup FILE                   write a backup of the database to FILE
  restore FILE                  replace the database with the backup in FILE
Environment: PORT, DATA_DIR, DATABASE_URL, SECRET_KEY, REDIS_URL, LOG_LEVEL, PUBLIC_URL`;

async function serve() {
  const config = loadConfig();
  const app = await buildApp(config);
  const close = async () => {
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void close());
  process.once('SIGTERM', () => void close());
  await app.listen({ port: config.port, host: config.host });
}

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    console.log(USAGE);
    return;
  }
  if (command === 'serve') return serve();
  if (command === 'migrate') {
    const config = loadConfig();
    const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
      const applied = await migrateToLatest(database.db);
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
    } finally {
      await database.close();
    }
    return;
  }
  const run = commands[command];
  if (!run) {
    console.error(`Unknown command: ${command}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, strict: false });
  await run(loadConfig(), values as Record<string, string | boolean | undefined>, positionals);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
