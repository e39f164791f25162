import { useCallback, useMemo } from 'react';
import { useQueries, useQuery } from '@tanstack/react-query';
import { get } from '@web/app/api';
import { useCan } from '@web/app/auth';
import { findModule, type PositionPermissions } from '@common/permissions';
import { useT, type TFunction } from '@web/app/i18n';
import { labelOr } from '@web/features/system/shared/format';
import { formatValue } from './labels';

const DEPARTMENT_FIELDS = new Set(['department_id', 'departmentId']);
const POSITION_FIELDS = new Set(['position_id', 'positionId']);
const FLAG_FIELDS = new Set(['disabled', 'is_admin', 'isAdmin', 'must_change_password', 'mustChangePassword']);

type Named = { id: string; name: string };

/**
 * Turns audit values into what a person reads: department and position ids into names (when I
 * may see the organisation), flags into 是/否, user statuses into their labels.
 */
export function useValueFormatter(): (field: string, value: unknown, entity?: string, users?: Map<string, string>) => string {
  const t = useT();
  const mayViewOrg = useCan()('org', 'view');
  // same query keys as the organisation pages, so their cache is shared
  const departments = useQuery({
    queryKey: ['org', 'departments'],
    queryFn: () => get<{ items: Named[] }>('/departments').then((r) => r.items),
    enabled: mayViewOrg,
  });
  const positions = useQuery({
    queryKey: ['org', 'positions'],
    queryFn: () => get<{ items: Named[] }>('/positions').then((r) => r.items),
    enabled: mayViewOrg,
  });
  const names = useMemo(
    () => ({
      department: new Map((departments.data ?? []).map((d) => [d.id, d.name])),
      position: new Map((positions.data ?? []).map((p) => [p.id, p.name])),
    }),
    [departments.data, positions.data],
  );

  return useCallback(
    (field: string, value: unknown, entity?: string, users?: Map<string, string>) => {
      if (typeof value === 'string') {
        if (USER_FIELDS.has(field)) return users?.get(value) ?? value;
        if (DEPARTMENT_FIELDS.has(field) || (entity === 'department' && field === 'parent_id')) return names.department.get(value) ?? value;
        if (POSITION_FIELDS.has(field) || (entity === 'position' && field === 'parent_id')) return names.position.get(value) ?? value;
        if (field === 'status' && entity === 'user') return labelOr(t, `orgui.user.status.${value}`, value);
      }
      if (field === 'permissions') return formatPermissions(t, value);
      if (FLAG_FIELDS.has(field) && (typeof value === 'boolean' || value === 0 || value === 1))
        return t(value ? 'common.yes' : 'common.no');
      return formatValue(value);
    },
    [names, t],
  );
}

/** A position's permissions as a sentence: 组织架构（查看、编辑 · 全部）；审计日志（查看）；手机：只读 */
function formatPermissions(t: TFunction, value: unknown): string {
  let p: PositionPermissions | null = null;
  try {
    p = (typeof value === 'string' ? JSON.parse(value) : value) as PositionPermissions | null;
  } catch {
    return formatValue(value);
  }
  if (!p || typeof p !== 'object' || !p.modules) return formatValue(value);
  const modules = Object.entries(p.modules).map(([key, grant]) => {
    const scoped = findModule(key)?.scoped;
    const actions = grant.actions.map((a) => t(`action.${a}`)).join('、');
    return `${t(`module.${key}`)}（${actions}${scoped ? ` · ${t(`scope.${grant.scope}`)}` : ''}）`;
  });
  const fields = Object.entries(p.fields ?? {}).map(([key, rule]) => {
    const [module, field] = key.split('.');
    return `${t(`field.${module}.${field}`)}：${t(`perm.rule.${rule}`)}`;
  });
  return [...modules, ...fields].join('；') || t('orgui.position.no_grants');
}

/**
 * Audit `detail` is free text; a few fixed words the platform writes are translated (the server
 * appends 'admin' when an administrator acted beyond their position). The rest shows as written.
 */
export function formatDetail(t: (key: string) => string, detail: string | null): string {
  if (!detail) return '';
  return detail
    .split('; ')
    .map((part) => (/^[a-z ]+$/.test(part) ? labelOr(t, `audit.detail.${part.replaceAll(' ', '_')}`, part) : part))
    .join('；');
}

const USER_FIELDS = new Set(['supervisor_id', 'supervisorId', 'head_user_id', 'headUserId', 'owner_id', 'ownerId']);

/** Names of the users referenced by changed fields (supervisor, head, owner), one cached GET /users/:id each. */
export function useUserNames(changes: Record<string, [unknown, unknown]>): Map<string, string> {
  const mayViewOrg = useCan()('org', 'view');
  const ids = [
    ...new Set(
      Object.entries(changes)
        .filter(([field]) => USER_FIELDS.has(field))
        .flatMap(([, pair]) => pair)
        .filter((v): v is string => typeof v === 'string' && v.length > 0),
    ),
  ];
  const results = useQueries({
    queries: ids.map((id) => ({
      // same key as the user drawer's query, so both share the cache
      queryKey: ['org', 'users', 'one', id],
      queryFn: () => get<{ id: string; name: string }>(`/users/${id}`),
      enabled: mayViewOrg,
      staleTime: 60_000,
      retry: false,
    })),
  });
  return new Map(results.flatMap((r) => (r.data ? [[r.data.id, r.data.name] as [string, string]] : [])));
}
