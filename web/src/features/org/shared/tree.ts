import type { Department } from './types';

export type DeptNode = Department & { children: DeptNode[] };

// equal sort numbers keep creation order (ids are time-ordered), so a new department appears last
const byOrder = (a: Department, b: Department) => a.sortOrder - b.sortOrder || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Builds the department tree from the flat list; orphans (parent not visible) become roots. */
export function buildTree(items: Department[]): DeptNode[] {
  const nodes = new Map(items.map((d) => [d.id, { ...d, children: [] as DeptNode[] }]));
  const roots: DeptNode[] = [];
  for (const node of [...nodes.values()].sort(byOrder)) {
    const parent = node.parentId ? nodes.get(node.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

/** The department and everything below it: a department cannot move under one of these. */
export function subtreeIds(items: Department[], id: string): Set<string> {
  const out = new Set([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const d of items) {
      if (d.parentId && out.has(d.parentId) && !out.has(d.id)) {
        out.add(d.id);
        grew = true;
      }
    }
  }
  return out;
}

export type TreeSelectNode = { value: string; title: string; disabled?: boolean; children: TreeSelectNode[] };

/** Options for an antd TreeSelect; `exclude` ids are shown disabled (e.g. a department's own subtree). */
export function treeSelectData(items: Department[], exclude: Set<string> = new Set(), disabledTag = ''): TreeSelectNode[] {
  const map = (n: DeptNode): TreeSelectNode => ({
    value: n.id,
    title: n.disabled && disabledTag ? `${n.name}（${disabledTag}）` : n.name,
    disabled: exclude.has(n.id),
    children: n.children.map(map),
  });
  return buildTree(items).map(map);
}
