import { useMutation, useQueryClient } from '@tanstack/react-query';
import { del, patch, post, put, qs } from '@web/app/api';
import type { CreateCustomerBody, UpdateCustomerBody } from '@common/schemas/customers';
import type { ContactInput, UpdateContactBody } from '@common/schemas/contacts';
import type { TransferSubmitted } from '@common/schemas/pool';
import {
  CUSTOMERS_KEY,
  type BulkAction,
  type BulkResult,
  type Contact,
  type Customer,
  type SavedViewConfig,
  type TransferResult,
} from './api';

export type FollowUpBody = {
  customerId: string;
  contactId?: string;
  type: string;
  content: string;
  at?: string;
  nextStep?: string;
  nextAt?: string;
  attachmentIds?: string[];
};

export type ReportBody = { customerId: string; kind: string; note?: string };

/** Every write on customers and their records; each success refreshes what shows customers. */
export function useCustomerMutations() {
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: CUSTOMERS_KEY });
  const m = <A, R>(fn: (a: A) => Promise<R>) => ({ mutationFn: fn, onSuccess: refresh });
  return {
    create: useMutation(m((body: CreateCustomerBody) => post<Customer>('/customers', body))),
    update: useMutation(m(({ id, ...body }: UpdateCustomerBody & { id: string }) => patch<Customer>(`/customers/${id}`, body))),
    remove: useMutation(m(({ id, version }: { id: string; version: number }) => del<void>(`/customers/${id}${qs({ version })}`))),
    release: useMutation(
      m(({ id, note }: { id: string; note?: string }) => post<Customer>(`/customers/${id}/release`, note ? { note } : {})),
    ),
    claim: useMutation(m((id: string) => post<Customer>(`/customers/${id}/claim`))),
    // 200 TransferResult, or 202 TransferSubmitted when an approval flow applies (移交审批)
    transfer: useMutation(
      m((body: { ids: string[]; toUserId: string }) => post<TransferResult | TransferSubmitted>('/customers/transfer', body)),
    ),
    bulk: useMutation(
      m((body: { action: BulkAction; ids: string[]; tags?: string[]; toUserId?: string }) => post<BulkResult>('/customers/bulk', body)),
    ),
    setTeam: useMutation(
      m(({ id, members }: { id: string; members: { userId: string; access: 'read' | 'write' }[] }) =>
        put<unknown>(`/customers/${id}/team`, { members }),
      ),
    ),
    report: useMutation(m((body: ReportBody) => post<unknown>('/customer-reports', body))),
    createContact: useMutation(m((body: ContactInput & { customerId: string }) => post<Contact>('/contacts', body))),
    updateContact: useMutation(m(({ id, ...body }: UpdateContactBody & { id: string }) => patch<Contact>(`/contacts/${id}`, body))),
    removeContact: useMutation(m(({ id, version }: { id: string; version: number }) => del<void>(`/contacts/${id}${qs({ version })}`))),
    createFollowUp: useMutation(m((body: FollowUpBody) => post<unknown>('/follow-ups', body))),
    saveView: useMutation(
      m((body: { name: string; shared: boolean; config: SavedViewConfig }) =>
        post<unknown>('/saved-views', { entity: 'customer', ...body }),
      ),
    ),
  };
}
