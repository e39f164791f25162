import { createContext, useContext, useMemo } from 'react';
import { useDepartments, usePositions } from '@web/features/org/shared/hooks';
import { useApprovalPositions, useUserNames } from '../api';

/** id → name of everything a flow may name: approval positions, org positions, departments, users. */
export type Names = {
  approvalPositions: Map<string, string>;
  positions: Map<string, string>;
  departments: Map<string, string>;
  users: Map<string, string>;
};

const empty: Names = { approvalPositions: new Map(), positions: new Map(), departments: new Map(), users: new Map() };

export const NamesContext = createContext<Names>(empty);

/** The names the designer needs, loaded once for the page. */
export function useLoadNames(): Names {
  const approvalPositions = useApprovalPositions();
  const positions = usePositions();
  const departments = useDepartments();
  const users = useUserNames();
  return useMemo(
    () => ({
      approvalPositions: new Map((approvalPositions.data ?? []).map((p) => [p.id, p.name])),
      positions: new Map((positions.data ?? []).map((p) => [p.id, p.name])),
      departments: new Map((departments.data ?? []).map((d) => [d.id, d.name])),
      users: users.data ?? new Map<string, string>(),
    }),
    [approvalPositions.data, positions.data, departments.data, users.data],
  );
}

export function useNames(): Names {
  return useContext(NamesContext);
}
