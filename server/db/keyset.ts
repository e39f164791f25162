/**
 * Keyset pagination on the time-ordered id: the query fetches `limit + 1` rows past the cursor;
 * this keeps `limit`, presents them, and sets `nextCursor` only when there is more.
 */
export function keysetPage<R, T extends { id: string }>(
  rows: R[],
  limit: number,
  present: (row: R) => T,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit).map(present);
  return { items, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
}
