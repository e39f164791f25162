import type { Db, Tx } from '@server/db/types';

type Callback = () => unknown;
const pending = new WeakMap<Tx, Callback[]>();

/**
 * Runs `fn` in a transaction and, once it has committed, the callbacks registered with
 * `afterCommit` (realtime pushes, which must never announce a change that rolled back).
 */
export async function inTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const callbacks: Callback[] = [];
  const result = await db.transaction().execute((tx) => {
    pending.set(tx, callbacks);
    return fn(tx);
  });
  for (const cb of callbacks) {
    try {
      await cb();
    } catch {
      // the change is committed; a failed side effect must not turn it into an error
    }
  }
  return result;
}

/** Registers `fn` to run after the transaction commits; the transaction must come from `inTransaction`. */
export function afterCommit(tx: Tx, fn: Callback): void {
  const list = pending.get(tx);
  if (!list) throw new Error('afterCommit needs a transaction opened with inTransaction()');
  list.push(fn);
}
