import type { Migration } from 'kysely';
import * as m20261126000000 from './20261126000000-platform';

/** Every migration, in order. Listed statically so the bundled server carries them. Never edit a landed one. */
export const migrations: Record<string, Migration> = {
  '20261126000000-platform': m20261126000000,
};
