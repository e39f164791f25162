import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { del, get, patch, post, qs } from '@web/app/api';
import type {
  ApprovableType,
  ApprovalFlow,
  ApprovalForm,
  ApprovalPosition,
  CreateFlowBody,
  FormField,
  UpdateFlowBody,
} from '@common/schemas/approvals';
import type { Page } from '@common/schemas/fields';
import type { User } from '@common/schemas/org';

/** Queries and mutations of the approval designer pages (flows, approval positions, forms). */

export const designerKeys = {
  types: ['approvals', 'types'] as const,
  flows: ['approvals', 'flows'] as const,
  flowList: (type: string | undefined) => ['approvals', 'flows', 'list', type ?? ''] as const,
  flow: (id: string) => ['approvals', 'flows', 'one', id] as const,
  positions: ['approvals', 'positions'] as const,
  forms: ['approvals', 'forms'] as const,
  users: ['approvals', 'designer', 'users'] as const,
};

/** list endpoints answer `{ items }`; accept a bare array too */
const itemsOf = <T>(r: T[] | { items: T[] }): T[] => (Array.isArray(r) ? r : r.items);

/** Approvable document types with the fields a flow may test (fixed types + enabled custom forms). */
export function useApprovalTypes() {
  return useQuery({
    queryKey: designerKeys.types,
    queryFn: () => get<ApprovableType[] | { items: ApprovableType[] }>('/approval-types').then(itemsOf),
    staleTime: 30_000,
  });
}

/** The flows of one type (all types when absent), in priority order. */
export function useFlows(type: string | undefined) {
  return useQuery({
    queryKey: designerKeys.flowList(type),
    queryFn: () =>
      get<ApprovalFlow[] | { items: ApprovalFlow[] }>(`/approval-flows${qs({ type })}`)
        .then(itemsOf)
        .then((list) => list.slice().sort((a, b) => a.priority - b.priority || a.name.localeCompare(b.name))),
    enabled: type !== undefined,
  });
}

export function useFlow(id: string | undefined) {
  return useQuery({
    queryKey: designerKeys.flow(id ?? ''),
    queryFn: () => get<ApprovalFlow>(`/approval-flows/${id}`),
    enabled: Boolean(id),
  });
}

export function useFlowMutations() {
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: designerKeys.flows });
  return {
    create: useMutation({ mutationFn: (body: CreateFlowBody) => post<ApprovalFlow>('/approval-flows', body), onSuccess: refresh }),
    update: useMutation({
      mutationFn: ({ id, ...body }: UpdateFlowBody & { id: string }) => patch<ApprovalFlow>(`/approval-flows/${id}`, body),
      onSuccess: refresh,
    }),
    remove: useMutation({
      mutationFn: ({ id, version }: { id: string; version: number }) => del<void>(`/approval-flows/${id}${qs({ version })}`),
      onSuccess: refresh,
    }),
  };
}

export function useApprovalPositions() {
  return useQuery({
    queryKey: designerKeys.positions,
    queryFn: () => get<ApprovalPosition[] | { items: ApprovalPosition[] }>('/approval-positions').then(itemsOf),
  });
}

export type ApprovalPositionInput = {
  name: string;
  description: string | null;
  members: { userId: string; departmentIds: string[] }[];
};

export function useApprovalPositionMutations() {
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: designerKeys.positions });
  return {
    create: useMutation({
      mutationFn: (body: ApprovalPositionInput) => post<ApprovalPosition>('/approval-positions', body),
      onSuccess: refresh,
    }),
    update: useMutation({
      mutationFn: ({ id, ...body }: Partial<ApprovalPositionInput> & { id: string; version: number }) =>
        patch<ApprovalPosition>(`/approval-positions/${id}`, body),
      onSuccess: refresh,
    }),
    remove: useMutation({
      mutationFn: ({ id, version }: { id: string; version: number }) => del<void>(`/approval-positions/${id}${qs({ version })}`),
      onSuccess: refresh,
    }),
  };
}

export function useApprovalForms() {
  return useQuery({
    queryKey: designerKeys.forms,
    queryFn: () =>
      get<ApprovalForm[] | { items: ApprovalForm[] }>('/approval-forms')
        .then(itemsOf)
        .then((list) => list.slice().sort((a, b) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name))),
  });
}

export type FormInput = {
  name: string;
  description: string | null;
  icon: string | null;
  fields: FormField[];
  enabled: boolean;
  sortOrder: number;
};

export function useApprovalFormMutations() {
  const qc = useQueryClient();
  // a form is a document type: the type list (and its fields) changes with it
  const refresh = () =>
    Promise.all([qc.invalidateQueries({ queryKey: designerKeys.forms }), qc.invalidateQueries({ queryKey: designerKeys.types })]);
  return {
    create: useMutation({ mutationFn: (body: FormInput) => post<ApprovalForm>('/approval-forms', body), onSuccess: refresh }),
    update: useMutation({
      mutationFn: ({ id, ...body }: Partial<FormInput> & { id: string; version: number }) =>
        patch<ApprovalForm>(`/approval-forms/${id}`, body),
      onSuccess: refresh,
    }),
    remove: useMutation({
      mutationFn: ({ id, version }: { id: string; version: number }) => del<void>(`/approval-forms/${id}${qs({ version })}`),
      onSuccess: refresh,
    }),
  };
}

/**
 * Names of every user (id → name), for the summaries of flows that name users. Paged through
 * GET /users (companies have tens to hundreds of staff); empty when the caller may not list users.
 */
export function useUserNames() {
  return useQuery({
    queryKey: designerKeys.users,
    queryFn: async () => {
      const names = new Map<string, string>();
      let cursor: string | undefined;
      for (let page = 0; page < 20; page++) {
        const r = await get<Page<User>>(`/users${qs({ cursor, limit: 200 })}`);
        for (const u of r.items) names.set(u.id, u.name);
        if (!r.nextCursor) break;
        cursor = r.nextCursor;
      }
      return names;
    },
    staleTime: 60_000,
    retry: false,
  });
}
