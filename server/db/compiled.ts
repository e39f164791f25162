import { CompiledQuery, type Compilable } from 'kysely';
import type { DbOrTx } from './types';

const SENTINEL = '\u0000xt:';
const cache = new WeakMap<object, Map<string, CompiledQuery>>();

/**
 * A query for the hot path (every request's session lookup): built and compiled by Kysely once per
 * database handle, then run with fresh values. Building a Kysely query costs more than running a
 * primary-key read on SQLite. `build` receives `param(name)` to mark where each value goes; the
 * values are matched by name, so the order Kysely puts them in does not matter.
 */
export function hotQuery<V extends Record<string, unknown>, R>(
  key: string,
  build: (db: DbOrTx, param: (name: keyof V & string) => string) => Compilable<R>,
) {
  return async (db: DbOrTx, values: V): Promise<R[]> => {
    let perDb = cache.get(db);
    if (!perDb) cache.set(db, (perDb = new Map()));
    let compiled = perDb.get(key);
    if (!compiled) {
      compiled = build(db, (name) => SENTINEL + name).compile();
      perDb.set(key, compiled);
    }
    const parameters = compiled.parameters.map((p) =>
      typeof p === 'string' && p.startsWith(SENTINEL) ? values[p.slice(SENTINEL.length)] : p,
    );
    const { rows } = await db.executeQuery<R>(CompiledQuery.raw(compiled.sql, parameters));
    return rows;
  };
}
