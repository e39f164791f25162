import type { Config } from '../config';
import { openDatabase, migrateToLatest } from '../db/index';
import { setupBody } from '@common/schemas/auth';
import { setup } from '../platform/auth/auth.service';
import { SYSTEM_ACTOR } from '../platform/audit/audit.service';
import { backupCommand, restoreCommand } from './backup';
import { seedCommand } from './seed';

type Options = Record<string, string | boolean | undefined>;
export type Command = (config: Config, options: Options, args: string[]) => Promise<void>;

const str = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);

/** create-admin: the browser-less first-run set-up. Refused once any user exists. */
const createAdmin: Command = async (config, o) => {
  const parsed = setupBody.safeParse({
    companyName: str(o.company) ?? '我的公司',
    timezone: str(o.timezone) ?? 'Asia/Shanghai',
    admin: { name: str(o.name), username: str(o.username), password: str(o.password) },
  });
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
  }
  const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(database.db);
    await setup(database.db, parsed.data, { ...SYSTEM_ACTOR, name: 'cli' });
    console.log(`Admin ${parsed.data.admin.username} created.`);
  } finally {
    await database.close();
  }
};

/** Every CLI command besides serve and migrate. */
export const commands: Record<string, Command> = {
  'create-admin': createAdmin,
  seed: seedCommand,
  backup: backupCommand,
  restore: restoreCommand,
};
