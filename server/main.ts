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
  const { values, positionals } = parseOptions(rest);
  await run(loadConfig(), values, positionals);
}

/** Options that take no value; every other `--name` takes the next argument (or `--name=value`). */
const FLAGS = new Set(['demo', 'force', 'help']);

// node:util parseArgs without declared options reads `--username U` as a flag plus a positional
function parseOptions(args: string[]) {
  const values: Record<string, string | boolean | undefined> = {};
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq > 0 ? eq : undefined);
    if (eq > 0) values[name] = arg.slice(eq + 1);
    else if (FLAGS.has(name) || i + 1 >= args.length) values[name] = true;
    else values[name] = args[++i];
  }
  return { values, positionals };
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
