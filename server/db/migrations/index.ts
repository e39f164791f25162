import type { Migration } from 'kysely';
import * as m20261126000000 from './20261126000000-platform';
import * as m20261126030000 from './20261126030000-search-index';
import * as m20261127000000 from './20261127000000-customers';
import * as m20261127010500 from './20261127010500-schedule-reminders';
import * as m20261127013000 from './20261127013000-customer-list-indexes';
import * as m20261127020000 from './20261127020000-approvals';
import * as m20261127020500 from './20261127020500-customer-transfer-requests';
import * as m20261127030000 from './20261127030000-mail';

/** Every migration, in order. Listed statically so the bundled server carries them. Never edit a landed one. */
export const migrations: Record<string, Migration> = {
  '20261126000000-platform': m20261126000000,
  '20261126030000-search-index': m20261126030000,
  '20261127000000-customers': m20261127000000,
  '20261127010500-schedule-reminders': m20261127010500,
  '20261127013000-customer-list-indexes': m20261127013000,
  '20261127020000-approvals': m20261127020000,
  '20261127020500-customer-transfer-requests': m20261127020500,
  '20261127030000-mail': m20261127030000,
};
