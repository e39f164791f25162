// A fetch run in a process of its own, for the kill test (fetch-kill.test.ts): the parent SIGKILLs it
// mid-run. Usage: node --import tsx fetch-child.testing.ts <dataDir> <accountId> [databaseUrl]
// Prints "stored <n>" after each committed message and pauses a little, so the kill lands mid-run.
import { openDatabase } from '@server/db/index';
import { createSecrets, loadSecretKey } from '@server/platform/secrets/secrets';
import { fetchAccount } from './fetch.service';

const [dataDir, accountId, databaseUrl] = process.argv.slice(2);
const database = openDatabase({ dataDir, databaseUrl: databaseUrl || undefined, poolSize: 2 });
const ctx = {
  db: database.db,
  secrets: createSecrets(loadSecretKey(dataDir)),
  dataDir,
  realtime: { publish: async () => {} },
};
const outcome = await fetchAccount(ctx, accountId, {
  limit: 10_000,
  afterMessage: async (n) => {
    process.stdout.write(`stored ${n}\n`);
    await new Promise((r) => setTimeout(r, 40));
  },
});
process.stdout.write(`done ${JSON.stringify(outcome)}\n`);
await database.close();
