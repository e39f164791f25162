import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, patch, post, qs } from '@web/app/api';
import type {
  AddApproverBody,
  ApprovableType,
  ApprovalCounts,
  ApprovalDetail,
  ApprovalForm,
  ApprovalListItem,
  ApproveBody,
  Box,
  InstanceStatus,
  RejectBody,
  TransferTaskBody,
} from '@common/schemas/approvals';
import type { ApprovalFormEntry, FormSubmitResult } from '@common/approvals/forms';

export type { ApprovalCounts, ApprovalDetail, ApprovalForm, ApprovalListItem, Box, InstanceStatus };

/** Every approvals query key starts with this: invalidating it refreshes lists, counts, details and histories. */
export const APPROVALS_KEY = ['approvals'] as const;
export const approvalKeys = {
  lists: [...APPROVALS_KEY, 'list'] as const,
  list: (params: object) => [...APPROVALS_KEY, 'list', params] as const,
  counts: [...APPROVALS_KEY, 'counts'] as const,
  one: (id: string) => [...APPROVALS_KEY, 'one', id] as const,
  ofDocument: (type: string, id: string) => [...APPROVALS_KEY, 'document', type, id] as const,
  forms: [...APPROVALS_KEY, 'forms'] as const,
  form: (id: string) => [...APPROVALS_KEY, 'forms', id] as const,
  entry: (id: string) => [...APPROVALS_KEY, 'entry', id] as const,
  types: [...APPROVALS_KEY, 'types'] as const,
};

export type ApprovalPage = { items: ApprovalListItem[]; nextCursor: string | null };
export type ListFilters = { type?: string; status?: InstanceStatus; q?: string };

/** `{items}` or a bare array, whichever the endpoint answers. */
function itemsOf<T>(data: unknown): T[] {
  if (Array.isArray(data)) return data as T[];
  const items = (data as { items?: unknown } | null)?.items;
  return Array.isArray(items) ? (items as T[]) : [];
}

const enc = encodeURIComponent;

/** One box of the approval centre, page by page (keyset cursor). */
export function useApprovalList(box: Box, filters: ListFilters) {
  return useInfiniteQuery({
    queryKey: approvalKeys.list({ box, ...filters }),
    queryFn: ({ pageParam }) =>
      get<ApprovalPage>(`/approvals${qs({ box, type: filters.type, status: filters.status, q: filters.q, cursor: pageParam, limit: 20 })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** 待办 and unread 抄送 counts for the top bar and the centre's tabs. */
export function useApprovalCounts() {
  return useQuery({
    queryKey: approvalKeys.counts,
    queryFn: () => get<ApprovalCounts>('/approvals/counts'),
    // pushed over the WebSocket (useApprovalLive); the interval only covers a dropped connection
    refetchInterval: 5 * 60_000,
  });
}

/** One instance with its chain, tasks, history and what the caller may do. */
export function useApproval(id: string | undefined) {
  return useQuery({
    queryKey: approvalKeys.one(id ?? ''),
    queryFn: () => get<ApprovalDetail>(`/approvals/${enc(id!)}`),
    enabled: Boolean(id),
    retry: (count, err) => (err as { status?: number }).status !== 404 && count < 2,
  });
}

/** The instances of one document, newest first (its page's approval history). */
export function useDocumentApprovals(documentType: string, documentId: string) {
  return useQuery({
    queryKey: approvalKeys.ofDocument(documentType, documentId),
    // the document's instances in any box the caller can see them: the server answers by document
    queryFn: () => get<ApprovalPage>(`/approvals${qs({ box: 'mine', documentType, documentId, limit: 20 })}`).then((p) => p.items),
    enabled: Boolean(documentType && documentId),
  });
}

/** Document types with labels (for the type filter). */
export function useApprovalTypes() {
  return useQuery({
    queryKey: approvalKeys.types,
    queryFn: () => get<unknown>('/approval-types').then((d) => itemsOf<ApprovableType>(d)),
    staleTime: 5 * 60_000,
  });
}

/** The custom forms this user may submit (发起审批). */
export function useAvailableForms(enabled = true) {
  return useQuery({
    queryKey: approvalKeys.forms,
    queryFn: () => get<unknown>('/approval-forms/available').then((d) => itemsOf<ApprovalForm>(d)),
    enabled,
  });
}

/** One form to fill in (GET /approval-forms/:id: any user, enabled forms). */
export function useApprovalForm(formId: string) {
  return useQuery({
    queryKey: approvalKeys.form(formId),
    queryFn: () => get<ApprovalForm>(`/approval-forms/${enc(formId)}`),
    enabled: Boolean(formId),
    retry: (count, err) => (err as { status?: number }).status !== 404 && count < 2,
  });
}

export type { ApprovalFormEntry, FormSubmitResult };

/** the document type of a custom form's entries */
export const FORM_TYPE_PREFIX = 'form.';

/** A custom form's entry (the document of a 'form.<id>' approval): its form's fields, values and files. */
export function useFormEntry(id: string | undefined) {
  return useQuery({
    queryKey: approvalKeys.entry(id ?? ''),
    queryFn: () => get<ApprovalFormEntry>(`/approval-form-entries/${enc(id!)}`),
    enabled: Boolean(id),
  });
}

export function useSubmitForm(formId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { values: Record<string, unknown>; cc: string[] }) =>
      post<FormSubmitResult>(`/approval-forms/${enc(formId)}/submit`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: APPROVALS_KEY }),
  });
}

/** An action on an instance; the body per action as common/schemas/approvals.ts defines it. */
export type ApprovalAction =
  | { kind: 'approve'; body: ApproveBody }
  | { kind: 'reject'; body: RejectBody }
  | { kind: 'transfer'; body: TransferTaskBody }
  | { kind: 'add-approver'; body: AddApproverBody }
  | { kind: 'withdraw'; body: { comment?: string | null } }
  | { kind: 'resubmit'; body: { comment?: string | null }; values?: { entryId: string; values: Record<string, unknown>; version: number } };

/** Runs an action (for a returned custom form, first saves the changed values), then refreshes everything approvals. */
export function useApprovalAction(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (a: ApprovalAction) => {
      if (a.kind === 'resubmit' && a.values)
        await patch(`/approval-form-entries/${enc(a.values.entryId)}`, { values: a.values.values, version: a.values.version });
      return post<unknown>(`/approvals/${enc(id)}/${a.kind}`, a.body);
    },
    // also after a failure: a 409 (someone else decided, stale entry) means what we show is out of date
    onSettled: () => qc.invalidateQueries({ queryKey: APPROVALS_KEY }),
  });
}
