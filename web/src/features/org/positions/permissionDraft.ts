import { EMPTY_PERMISSIONS, type Action, type FieldRule, type ModuleDef, type PositionPermissions, type Scope } from '@common/permissions';

/**
 * Pure edits of a position's permissions for the matrix. Rules the UI keeps: any action implies
 * `view` (one cannot edit what one cannot see), and removing `view` removes the module.
 */

/** The narrowest scope for scoped modules; unscoped modules are stored with 'all'. */
export const defaultScope = (m: ModuleDef): Scope => (m.scoped ? 'self' : 'all');

export function normalise(p: PositionPermissions | null | undefined): PositionPermissions {
  return { modules: { ...(p?.modules ?? EMPTY_PERMISSIONS.modules) }, fields: { ...(p?.fields ?? EMPTY_PERMISSIONS.fields) } };
}

function withActions(p: PositionPermissions, m: ModuleDef, actions: Action[]): PositionPermissions {
  const modules = { ...p.modules };
  // keep the registry's order so saved JSON and the audit diff are stable
  const ordered = m.actions.filter((a) => actions.includes(a));
  if (ordered.length === 0) delete modules[m.key];
  else modules[m.key] = { actions: ordered, scope: p.modules[m.key]?.scope ?? defaultScope(m) };
  return { ...p, modules };
}

export function setAction(p: PositionPermissions, m: ModuleDef, action: Action, on: boolean): PositionPermissions {
  const current = p.modules[m.key]?.actions ?? [];
  if (on) return withActions(p, m, [...current, action, ...(m.actions.includes('view') ? (['view'] as Action[]) : [])]);
  if (action === 'view') return withActions(p, m, []);
  return withActions(
    p,
    m,
    current.filter((a) => a !== action),
  );
}

export function setAllActions(p: PositionPermissions, m: ModuleDef, on: boolean): PositionPermissions {
  return withActions(p, m, on ? [...m.actions] : []);
}

export function setScope(p: PositionPermissions, m: ModuleDef, scope: Scope): PositionPermissions {
  const grant = p.modules[m.key];
  if (!grant) return p;
  return { ...p, modules: { ...p.modules, [m.key]: { ...grant, scope } } };
}

export function setFieldRule(p: PositionPermissions, module: string, field: string, rule: FieldRule | null): PositionPermissions {
  const fields = { ...p.fields };
  if (rule) fields[`${module}.${field}`] = rule;
  else delete fields[`${module}.${field}`];
  return { ...p, fields };
}

/** Order-insensitive comparison, so toggling a box on and off again is not "unsaved". */
export function samePermissions(a: PositionPermissions, b: PositionPermissions): boolean {
  const canon = (p: PositionPermissions) =>
    JSON.stringify({
      modules: Object.keys(p.modules)
        .sort()
        .map((k) => [k, [...p.modules[k].actions].sort(), p.modules[k].scope]),
      fields: Object.keys(p.fields)
        .sort()
        .map((k) => [k, p.fields[k]]),
    });
  return canon(a) === canon(b);
}
