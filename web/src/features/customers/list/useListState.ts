import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { CustomerKind, ListFilter } from '../api';
import type { ListParams } from '../hooks';

export type ListMode = 'table' | 'kanban';
const VIEWS = ['all', 'mine', 'team', 'pool'] as const;
const PLAIN = ['q', 'ownerId', 'category', 'stage', 'importance', 'tag'] as const;

function parseFilters(raw: string | null): ListFilter[] {
  if (!raw) return [];
  try {
    const v: unknown = JSON.parse(raw);
    return Array.isArray(v) ? (v as ListFilter[]).filter((f) => f && typeof f.field === 'string' && typeof f.op === 'string') : [];
  } catch {
    return [];
  }
}

export type ListUpdate = Partial<{
  view: ListParams['view'];
  q: string;
  ownerId: string;
  category: string;
  stage: string;
  importance: string;
  tag: string;
  overdue: boolean;
  filters: ListFilter[];
  sort: string;
  order: 'asc' | 'desc';
  mode: ListMode;
  savedView: string;
  edit: string;
}>;

/**
 * The customer list's state lives in the URL (shareable, survives back/forward): view tab, filters,
 * advanced filters (JSON), sort, table/kanban mode, the chosen saved view and the open form.
 */
export function useListState(kind: CustomerKind) {
  const [params, setParams] = useSearchParams();
  const key = params.toString();
  const state = useMemo(() => {
    const p = new URLSearchParams(key);
    const view = p.get('view');
    const order = p.get('order');
    const list: ListParams = {
      kind,
      view: (VIEWS as readonly string[]).includes(view ?? '') ? (view as ListParams['view']) : 'all',
      overdue: p.get('overdue') === 'true' || undefined,
      filters: parseFilters(p.get('filters')),
      sort: p.get('sort') || undefined,
      order: order === 'asc' || order === 'desc' ? order : undefined,
    };
    for (const k of PLAIN) list[k] = p.get(k) || undefined;
    return {
      list,
      mode: (p.get('mode') === 'kanban' ? 'kanban' : 'table') as ListMode,
      savedView: p.get('savedView') || undefined,
      edit: p.get('edit'),
    };
  }, [key, kind]);

  const update = (patch: ListUpdate) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(patch)) {
          const value = k === 'filters' ? ((v as ListFilter[] | undefined)?.length ? JSON.stringify(v) : '') : v;
          if (value === undefined || value === '' || value === false || value === null || (k === 'view' && value === 'all')) next.delete(k);
          else next.set(k, String(value));
        }
        return next;
      },
      { replace: true },
    );

  return { ...state, update };
}
