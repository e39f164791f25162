import { useRef } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useRealtime } from '@web/app/realtime';
import { APPROVALS_KEY, approvalKeys } from './api';

/** What the server pushes on every change of an instance (to its submitter, approvers and cc users). */
export type ApprovalEvent = { id: string; status: string; type: string; documentId: string };

/**
 * Keeps every approvals query of this tab current from what the server pushes: an `approval` event
 * (or an `approval.*` notification) refetches the lists, the counts, the open detail page and the
 * documents' histories; a reconnection refetches them too, for what was pushed while we were away.
 * The top-bar badge mounts it once for the whole signed-in shell; `onEvent` lets a page react further.
 */
export function useApprovalLive(onEvent?: (e: ApprovalEvent) => void) {
  const qc = useQueryClient();
  const connectedBefore = useRef(false);
  const refresh = () => void qc.invalidateQueries({ queryKey: APPROVALS_KEY });

  useRealtime('approval', (data) => {
    const e = data as ApprovalEvent | undefined;
    refresh();
    if (e?.id) onEvent?.(e);
  });
  useRealtime('notification', (data) => {
    const type = (data as { type?: string } | undefined)?.type ?? '';
    // approval notifications come with their own 'approval' event; the counts are what matter here
    if (type.startsWith('approval.')) void qc.invalidateQueries({ queryKey: approvalKeys.counts });
  });
  useRealtime('connected', () => {
    if (connectedBefore.current) refresh();
    connectedBefore.current = true;
  });
}
