import { useMutation, useQueryClient } from '@tanstack/react-query';
import { del, patch, post } from '@web/app/api';
import { orgKeys } from '../shared/hooks';
import type { Department } from '../shared/types';

export type DepartmentCreate = { name: string; parentId: string | null; headUserId?: string | null; sortOrder?: number };
export type DepartmentPatch = {
  id: string;
  version: number;
  name?: string;
  parentId?: string | null;
  headUserId?: string | null;
  sortOrder?: number;
  disabled?: boolean;
};

/** Create / update (rename, move, head, enable-disable) / delete; every success refreshes the tree and user lists. */
export function useDepartmentMutations() {
  const qc = useQueryClient();
  const refresh = () =>
    Promise.all([qc.invalidateQueries({ queryKey: orgKeys.departments }), qc.invalidateQueries({ queryKey: orgKeys.users })]);
  return {
    create: useMutation({ mutationFn: (body: DepartmentCreate) => post<Department>('/departments', body), onSuccess: refresh }),
    update: useMutation({
      mutationFn: ({ id, ...body }: DepartmentPatch) => patch<Department>(`/departments/${id}`, body),
      onSuccess: refresh,
    }),
    remove: useMutation({ mutationFn: (id: string) => del<void>(`/departments/${id}`), onSuccess: refresh }),
  };
}
