import { ApiError } from '@web/app/api';
import type { Problem } from '@common/errors';
import type { Customer, CustomerKind, ListFilter, TeamMember } from '@common/schemas/customers';
import { CUSTOM_FIELD_TYPES, type CustomFieldType } from '@common/schemas/custom-fields';
import type { FileInfo } from '@common/schemas/files';

/** Shapes of the customer API the pages use. Customer and Contact come from common/schemas. */
export type { Customer, CustomerKind, ListFilter, TeamMember };
export type { Contact } from '@common/schemas/contacts';
export type { CustomerSettings } from '@common/schemas/customer-settings';

/** Every customer-related query key starts with this: invalidating it refreshes lists, pages and tabs. */
export const CUSTOMERS_KEY = ['customers'] as const;
export const customerKeys = {
  list: (params: object) => [...CUSTOMERS_KEY, 'list', params] as const,
  lists: [...CUSTOMERS_KEY, 'list'] as const,
  one: (id: string) => [...CUSTOMERS_KEY, 'one', id] as const,
  sub: (id: string, part: string) => [...CUSTOMERS_KEY, 'one', id, part] as const,
  settings: [...CUSTOMERS_KEY, 'settings'] as const,
  customFields: (entity: string) => [...CUSTOMERS_KEY, 'customFields', entity] as const,
  views: [...CUSTOMERS_KEY, 'views'] as const,
};

export type { CustomerPage } from '@common/schemas/customers';

/** A customer as GET /customers/:id answers: with its team members. */
export type CustomerDetail = Customer & { team?: TeamMember[] };

export type { FollowUp, FollowUpType, Schedule, Attachment } from '@common/schemas/followups';
export { FOLLOW_UP_TYPES } from '@common/schemas/followups';
export type { FileInfo } from '@common/schemas/files';
export type { SavedView, SavedViewConfig } from '@common/schemas/views';
export type { BulkAction, BulkResult, TransferResult, OwnerHistoryEntry } from '@common/schemas/pool';
export type { CustomFieldType } from '@common/schemas/custom-fields';
export { REPORT_KINDS, type ReportKind } from '@common/schemas/reports';

export type CustomFieldOption = { value: string; label: string };

/** A custom field definition (属性定义), normalised: options always `{value, label}`. */
export type CustomField = {
  key: string;
  label: string;
  type: CustomFieldType;
  options: CustomFieldOption[];
  required: boolean;
  sortOrder: number;
};

/** `{items}` or a bare array, whichever the endpoint answers. */
export function itemsOf<T>(data: unknown): T[] {
  if (Array.isArray(data)) return data as T[];
  const items = (data as { items?: unknown } | null)?.items;
  return Array.isArray(items) ? (items as T[]) : [];
}

/** Normalises a definition as the server sends it (options as strings, or `{key|value, label}`). */
export function normaliseCustomField(raw: Record<string, unknown>): CustomField {
  const rawType = String(raw.type ?? 'text');
  const type = (CUSTOM_FIELD_TYPES as readonly string[]).includes(rawType) ? (rawType as CustomFieldType) : 'text';
  const options = (Array.isArray(raw.options) ? raw.options : []).map((o: unknown): CustomFieldOption => {
    if (typeof o === 'string') return { value: o, label: o };
    const r = o as { key?: string; value?: string; label?: string };
    const value = String(r.key ?? r.value ?? r.label ?? '');
    return { value, label: String(r.label ?? value) };
  });
  return {
    key: String(raw.key),
    label: String(raw.label ?? raw.key),
    type,
    options,
    required: Boolean(raw.required),
    sortOrder: Number(raw.sortOrder ?? 0),
  };
}

/** POST /files (multipart 'file'), optionally attached to a record; the CSRF header as for JSON calls. */
export async function uploadFile(file: File | Blob, attach?: { entity: string; entityId: string }): Promise<FileInfo> {
  const form = new FormData();
  if (attach) {
    form.append('entity', attach.entity);
    form.append('entityId', attach.entityId);
  }
  form.append('file', file, file instanceof File ? file.name : 'file');
  const query = attach ? `?entity=${encodeURIComponent(attach.entity)}&entityId=${encodeURIComponent(attach.entityId)}` : '';
  const res = await fetch(`/api/v1/files${query}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'x-requested-with': 'XMLHttpRequest', 'accept-language': document.documentElement.lang || 'zh-CN' },
    body: form,
  });
  const isJson = (res.headers.get('content-type') ?? '').includes('json');
  const data: unknown = isJson ? await res.json() : await res.text();
  if (!res.ok) {
    const problem: Problem = isJson
      ? (data as Problem)
      : { type: 'about:blank', title: res.statusText, status: res.status, detail: String(data).slice(0, 200), code: 'internal' };
    throw new ApiError(problem);
  }
  return data as FileInfo;
}

/** The download URL of a stored file. */
export const fileUrl = (id: string) => `/api/v1/files/${encodeURIComponent(id)}`;

/** A human size: 12.3 KB. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
