import { useMutation, useQueryClient } from '@tanstack/react-query';
import { del, patch, post, put } from '@web/app/api';
import type { PositionPermissions } from '@common/permissions';
import { orgKeys } from '../shared/hooks';
import type { Position } from '../shared/types';

export type PositionCreate = { name: string; parentId?: string | null; description?: string | null };
export type PositionPatch = { id: string; version: number; name?: string; parentId?: string | null; description?: string | null };

/** Position create / edit / delete and the permission save; each success refreshes positions and users. */
export function usePositionMutations() {
  const qc = useQueryClient();
  const refresh = () =>
    Promise.all([qc.invalidateQueries({ queryKey: orgKeys.positions }), qc.invalidateQueries({ queryKey: orgKeys.users })]);
  return {
    create: useMutation({ mutationFn: (body: PositionCreate) => post<Position>('/positions', body), onSuccess: refresh }),
    update: useMutation({ mutationFn: ({ id, ...body }: PositionPatch) => patch<Position>(`/positions/${id}`, body), onSuccess: refresh }),
    remove: useMutation({ mutationFn: (id: string) => del<void>(`/positions/${id}`), onSuccess: refresh }),
    savePermissions: useMutation({
      mutationFn: ({ id, version, permissions }: { id: string; version: number; permissions: PositionPermissions }) =>
        put<Position>(`/positions/${id}/permissions`, { version, permissions }),
      onSuccess: refresh,
    }),
  };
}

/** The position and every position below it (a position cannot report to one of these). */
export function positionSubtree(items: Position[], id: string): Set<string> {
  const out = new Set([id]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of items) {
      if (p.parentId && out.has(p.parentId) && !out.has(p.id)) {
        out.add(p.id);
        grew = true;
      }
    }
  }
  return out;
}
