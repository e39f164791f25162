import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { del, get, patch, post, qs } from '@web/app/api';
import type { CreateCustomFieldBody, CustomFieldDef, CustomFieldEntity, UpdateCustomFieldBody } from '@common/schemas/custom-fields';

export type { CustomFieldDef };

const DEFS_KEY = ['customFieldDefs'] as const;

/** Entities with custom fields (customer, contact, lead, and later modules'). */
export function useFieldEntities() {
  return useQuery({
    queryKey: [...DEFS_KEY, 'entities'],
    queryFn: () => get<{ items: CustomFieldEntity[] }>('/custom-fields/entities').then((r) => r.items),
    staleTime: Infinity,
  });
}

/** The definitions of one entity as stored (with id and version), in their order. */
export function useFieldDefs(entity: string) {
  return useQuery({
    queryKey: [...DEFS_KEY, entity],
    queryFn: () =>
      get<{ items: CustomFieldDef[] }>(`/custom-fields${qs({ entity })}`).then((r) =>
        r.items.slice().sort((a, b) => a.sortOrder - b.sortOrder || a.label.localeCompare(b.label)),
      ),
  });
}

/** Writes on definitions; the forms and lists that show custom fields refresh too. */
export function useFieldDefMutations() {
  const qc = useQueryClient();
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: DEFS_KEY });
    void qc.invalidateQueries({ queryKey: ['customers', 'customFields'] });
  };
  return {
    create: useMutation({ mutationFn: (body: CreateCustomFieldBody) => post<CustomFieldDef>('/custom-fields', body), onSuccess: refresh }),
    update: useMutation({
      mutationFn: ({ id, ...body }: UpdateCustomFieldBody & { id: string }) => patch<CustomFieldDef>(`/custom-fields/${id}`, body),
      onSuccess: refresh,
    }),
    remove: useMutation({
      mutationFn: ({ id, version }: { id: string; version: number }) => del<void>(`/custom-fields/${id}${qs({ version })}`),
      onSuccess: refresh,
    }),
  };
}
