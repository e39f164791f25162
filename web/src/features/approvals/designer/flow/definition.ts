import type { Branch, BranchNode, FlowDefinition, FlowNode, PointNode } from '@common/schemas/approvals';

/**
 * Immutable edits of a flow's chain for the designer. Every point, branch node and branch has an id
 * unique in the definition, so an edit names its target by id instead of a path.
 */

/** where a node list lives: the main chain (null) or a branch's own chain (its id) */
export type ChainId = string | null;

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** a short random id matching the schema's `^[A-Za-z0-9_-]{1,40}$` */
export function newNodeId(prefix: string): string {
  let s = '';
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  for (const b of bytes) s += ALPHABET[b % ALPHABET.length];
  return `${prefix}_${s}`;
}

export function newPoint(name: string): PointNode {
  return { kind: 'point', id: newNodeId('p'), name, approvers: [], mode: 'any', whenEmpty: 'admin', timeLimit: null };
}

/** a branch node with one conditional branch (condition still to set) and the otherwise branch */
export function newBranchNode(conditionName: string, otherwiseName: string): BranchNode {
  return {
    kind: 'branch',
    id: newNodeId('b'),
    branches: [
      { id: newNodeId('c'), name: conditionName, condition: { any: [] }, nodes: [] },
      { id: newNodeId('c'), name: otherwiseName, condition: null, nodes: [] },
    ],
  };
}

/** The definition with `fn` applied to the node list of `chain`. */
export function mapChain(def: FlowDefinition, chain: ChainId, fn: (nodes: FlowNode[]) => FlowNode[]): FlowDefinition {
  if (chain === null) return { ...def, nodes: fn(def.nodes) };
  return { ...def, nodes: mapBranches(def.nodes, (b) => (b.id === chain ? { ...b, nodes: fn(b.nodes) } : b)) };
}

/** every branch of the tree through `fn` (depth first; `fn` sees the branch with its children already mapped) */
function mapBranches(nodes: FlowNode[], fn: (b: Branch) => Branch): FlowNode[] {
  return nodes.map((n) =>
    n.kind === 'branch' ? { ...n, branches: n.branches.map((b) => fn({ ...b, nodes: mapBranches(b.nodes, fn) })) } : n,
  );
}

/** every node of the tree through `fn` */
function mapNodes(nodes: FlowNode[], fn: (n: FlowNode) => FlowNode): FlowNode[] {
  return nodes.map((n) => {
    const m = fn(n);
    return m.kind === 'branch' ? { ...m, branches: m.branches.map((b) => ({ ...b, nodes: mapNodes(b.nodes, fn) })) } : m;
  });
}

export function insertNode(def: FlowDefinition, chain: ChainId, index: number, node: FlowNode): FlowDefinition {
  return mapChain(def, chain, (nodes) => [...nodes.slice(0, index), node, ...nodes.slice(index)]);
}

export function updatePoint(def: FlowDefinition, id: string, patch: Partial<Omit<PointNode, 'kind' | 'id'>>): FlowDefinition {
  return { ...def, nodes: mapNodes(def.nodes, (n) => (n.kind === 'point' && n.id === id ? { ...n, ...patch } : n)) };
}

export function removeNode(def: FlowDefinition, id: string): FlowDefinition {
  const strip = (nodes: FlowNode[]): FlowNode[] =>
    nodes
      .filter((n) => n.id !== id)
      .map((n) => (n.kind === 'branch' ? { ...n, branches: n.branches.map((b) => ({ ...b, nodes: strip(b.nodes) })) } : n));
  return { ...def, nodes: strip(def.nodes) };
}

export function updateBranch(def: FlowDefinition, id: string, patch: Partial<Pick<Branch, 'name' | 'condition'>>): FlowDefinition {
  return { ...def, nodes: mapBranches(def.nodes, (b) => (b.id === id ? { ...b, ...patch } : b)) };
}

function mapBranchNode(def: FlowDefinition, id: string, fn: (n: BranchNode) => FlowNode | null): FlowDefinition {
  const walk = (nodes: FlowNode[]): FlowNode[] =>
    nodes.flatMap((n) => {
      if (n.kind !== 'branch') return [n];
      const inner: BranchNode = { ...n, branches: n.branches.map((b) => ({ ...b, nodes: walk(b.nodes) })) };
      if (inner.id !== id) return [inner];
      const out = fn(inner);
      return out ? [out] : [];
    });
  return { ...def, nodes: walk(def.nodes) };
}

/** A new conditional branch, placed before the otherwise branch (which always stays last). */
export function addBranch(def: FlowDefinition, branchNodeId: string, name: string): FlowDefinition {
  return mapBranchNode(def, branchNodeId, (n) => {
    const branch: Branch = { id: newNodeId('c'), name, condition: { any: [] }, nodes: [] };
    const otherwise = n.branches.findIndex((b) => b.condition === null);
    const at = otherwise < 0 ? n.branches.length : otherwise;
    return { ...n, branches: [...n.branches.slice(0, at), branch, ...n.branches.slice(at)] };
  });
}

/** Moves a conditional branch one place left (-1) or right (+1): its priority; the otherwise branch does not move. */
export function moveBranch(def: FlowDefinition, branchNodeId: string, branchId: string, delta: -1 | 1): FlowDefinition {
  return mapBranchNode(def, branchNodeId, (n) => {
    const from = n.branches.findIndex((b) => b.id === branchId);
    const to = from + delta;
    if (from < 0 || to < 0 || to >= n.branches.length) return n;
    if (n.branches[from].condition === null || n.branches[to].condition === null) return n;
    const branches = n.branches.slice();
    [branches[from], branches[to]] = [branches[to], branches[from]];
    return { ...n, branches };
  });
}

/**
 * Deletes a branch. A branch node needs two branches: deleting one of the last two removes the whole
 * branch node. Deleting the otherwise branch leaves the last remaining branch as the otherwise one.
 */
export function removeBranch(def: FlowDefinition, branchNodeId: string, branchId: string): FlowDefinition {
  return mapBranchNode(def, branchNodeId, (n) => {
    if (n.branches.length <= 2) return null;
    const branches = n.branches.filter((b) => b.id !== branchId);
    if (!branches.some((b) => b.condition === null)) branches[branches.length - 1] = { ...branches[branches.length - 1], condition: null };
    return { ...n, branches };
  });
}

/** Finds a point anywhere in the chain. */
export function findPoint(nodes: FlowNode[], id: string): PointNode | undefined {
  for (const n of nodes) {
    if (n.kind === 'point') {
      if (n.id === id) return n;
    } else {
      for (const b of n.branches) {
        const found = findPoint(b.nodes, id);
        if (found) return found;
      }
    }
  }
  return undefined;
}

/** Finds a branch (with its branch node) anywhere in the chain. */
export function findBranch(nodes: FlowNode[], id: string): { node: BranchNode; branch: Branch } | undefined {
  for (const n of nodes) {
    if (n.kind !== 'branch') continue;
    for (const b of n.branches) {
      if (b.id === id) return { node: n, branch: b };
      const found = findBranch(b.nodes, id);
      if (found) return found;
    }
  }
  return undefined;
}

/** Finds a branch node anywhere in the chain. */
export function findBranchNode(nodes: FlowNode[], id: string): BranchNode | undefined {
  for (const n of nodes) {
    if (n.kind !== 'branch') continue;
    if (n.id === id) return n;
    for (const b of n.branches) {
      const found = findBranchNode(b.nodes, id);
      if (found) return found;
    }
  }
  return undefined;
}

/** Every point name in use (to number new points 审批人1, 审批人2 …). */
export function pointNames(nodes: FlowNode[]): string[] {
  return nodes.flatMap((n) => (n.kind === 'point' ? [n.name] : n.branches.flatMap((b) => pointNames(b.nodes))));
}

/** `base` or `base2`, `base3` … whichever is not taken yet */
export function freshName(base: string, taken: string[]): string {
  if (!taken.includes(base)) return base;
  for (let i = 2; ; i++) if (!taken.includes(`${base}${i}`)) return `${base}${i}`;
}
