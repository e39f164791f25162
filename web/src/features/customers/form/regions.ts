import type { RegionNode } from '@common/regions';

export type { RegionNode };

/** The division tree, loaded on demand: common/regions and its ~140 KB of names are their own chunks. */
export async function loadRegionTree(): Promise<RegionNode[]> {
  const { loadRegionTree: load } = await import('@common/regions');
  return load();
}

/** '440305' → ['44', '4403', '440305'] (the codes of the province, city and district). */
export function regionPath(code: string | null | undefined): string[] {
  if (!code) return [];
  const out: string[] = [];
  for (let n = 2; n <= code.length; n += 2) out.push(code.slice(0, n));
  return out;
}
