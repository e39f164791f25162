/** A division of the bundled GB/T 2260 list: province (2 digits), city (4), district (6). */
export type RegionNode = { code: string; name: string; children?: RegionNode[] };

/**
 * The division tree, loaded on demand (its own chunk: only forms need it).
 * TODO(regions): common/regions.ts is not in the tree yet; load it with `import('@common/regions')`
 * once it lands. Until then null: the form takes the division code as text.
 */
export async function loadRegionTree(): Promise<RegionNode[] | null> {
  return Promise.resolve(null);
}

/** '440305' → ['44', '4403', '440305'] (the codes of the province, city and district). */
export function regionPath(code: string | null | undefined): string[] {
  if (!code) return [];
  const out: string[] = [];
  for (let n = 2; n <= code.length; n += 2) out.push(code.slice(0, n));
  return out;
}
