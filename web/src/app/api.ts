import type { Problem } from '@common/errors';

/** An API failure carrying the server's problem+json (already in the user's language). */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail || problem.title);
  }
  get status() {
    return this.problem.status;
  }
  /** field → message, for antd Form.setFields */
  fieldErrors(): Record<string, string> {
    return Object.fromEntries((this.problem.errors ?? []).map((e) => [e.field, e.message]));
  }
}

let onUnauthenticated: (() => void) | undefined;
/** The shell registers what to do when a request answers 401 (show the login page). */
export function setUnauthenticatedHandler(fn: () => void) {
  onUnauthenticated = fn;
}

/** fetch wrapper for /api/v1: JSON in and out, CSRF header, cookies, problem+json → ApiError. */
export async function api<T = unknown>(method: string, path: string, body?: unknown, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`/api/v1${path}`, {
    method,
    credentials: 'same-origin',
    ...init,
    headers: {
      'x-requested-with': 'XMLHttpRequest',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      'accept-language': document.documentElement.lang || 'zh-CN',
      ...init.headers,
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  if (res.status === 204) return undefined as T;
  const isJson = (res.headers.get('content-type') ?? '').includes('json');
  const data = isJson ? await res.json() : await res.text();
  if (!res.ok) {
    const problem: Problem = isJson
      ? (data as Problem)
      : { type: 'about:blank', title: res.statusText, status: res.status, detail: String(data).slice(0, 200), code: 'internal' };
    if (res.status === 401 && problem.code === 'unauthenticated') onUnauthenticated?.();
    throw new ApiError(problem);
  }
  return data as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body: unknown = {}) => api<T>('POST', path, body);
export const put = <T>(path: string, body: unknown = {}) => api<T>('PUT', path, body);
export const patch = <T>(path: string, body: unknown = {}) => api<T>('PATCH', path, body);
export const del = <T>(path: string) => api<T>('DELETE', path);

/** Query string from an object, skipping empty values. */
export function qs(params: Record<string, string | number | boolean | undefined | null>): string {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') s.set(k, String(v));
  const out = s.toString();
  return out ? `?${out}` : '';
}
