import { createContext, useContext } from 'react';
import type { FlowFieldDef, FlowNode } from '@common/schemas/approvals';
import type { ChainId } from './definition';
import type { FlowIssues } from './issues';

/** What every card of the chain needs: the problems to mark and the edits it may start. */
export type ChainActions = {
  fields: FlowFieldDef[];
  issues: FlowIssues;
  insert: (chain: ChainId, index: number, kind: FlowNode['kind']) => void;
  openPoint: (id: string) => void;
  removePoint: (id: string) => void;
  openBranch: (id: string) => void;
  addBranch: (branchNodeId: string) => void;
  moveBranch: (branchNodeId: string, branchId: string, delta: -1 | 1) => void;
  removeBranch: (branchNodeId: string, branchId: string) => void;
};

export const ChainContext = createContext<ChainActions | null>(null);

export function useChain(): ChainActions {
  const ctx = useContext(ChainContext);
  if (!ctx) throw new Error('useChain must be used inside <ChainContext>');
  return ctx;
}
