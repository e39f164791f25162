import { useMutation, useQueryClient } from '@tanstack/react-query';
import { patch, post } from '@web/app/api';
import { orgKeys } from '../shared/hooks';
import type { User, UserStatus } from '../shared/types';

export type UserCreate = {
  username: string;
  name: string;
  email?: string | null;
  mobile?: string | null;
  departmentId: string;
  positionId?: string | null;
  supervisorId?: string | null;
  isAdmin?: boolean;
  password: string;
};
export type UserPatch = { id: string; version: number } & Partial<Omit<UserCreate, 'username' | 'password'>>;

/** User create / edit / status / password reset / handover; successes refresh users and departments (counts). */
export function useUserMutations() {
  const qc = useQueryClient();
  const refresh = () =>
    Promise.all([qc.invalidateQueries({ queryKey: orgKeys.users }), qc.invalidateQueries({ queryKey: orgKeys.departments })]);
  return {
    create: useMutation({ mutationFn: (body: UserCreate) => post<User>('/users', body), onSuccess: refresh }),
    update: useMutation({ mutationFn: ({ id, ...body }: UserPatch) => patch<User>(`/users/${id}`, body), onSuccess: refresh }),
    setStatus: useMutation({
      mutationFn: ({ id, status }: { id: string; status: UserStatus }) => post<User>(`/users/${id}/status`, { status }),
      onSuccess: refresh,
    }),
    resetPassword: useMutation({
      mutationFn: ({ id, password }: { id: string; password: string }) => post<void>(`/users/${id}/reset-password`, { password }),
      onSuccess: refresh,
    }),
    handover: useMutation({
      mutationFn: ({ id, toUserId, entities }: { id: string; toUserId: string; entities?: string[] }) =>
        post<{ items: { entity: string; moved: number }[] }>(`/users/${id}/handover`, { toUserId, entities }),
      onSuccess: (_data, vars) => Promise.all([refresh(), qc.invalidateQueries({ queryKey: orgKeys.handover(vars.id) })]),
    }),
  };
}
