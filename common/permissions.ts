/** Functional permissions, data scopes and field rules shared by server and web. */
export const ACTIONS = ['view', 'create', 'edit', 'delete', 'export', 'import', 'transfer', 'approve'] as const;
export type Action = (typeof ACTIONS)[number];

/** Data scopes, narrowest first. */
export const SCOPES = ['self', 'subordinates', 'department', 'department_tree', 'all'] as const;
export type Scope = (typeof SCOPES)[number];

export const FIELD_RULES = ['hidden', 'readonly'] as const;
export type FieldRule = (typeof FIELD_RULES)[number];

export type ModuleDef = {
  key: string;
  actions: readonly Action[];
  /** whether records are owned and filtered by a data scope */
  scoped: boolean;
  /** fields a position may hide or make read-only */
  sensitiveFields: readonly string[];
};

/**
 * Every permission-controlled module. A business module adds its entry here; the matrix page,
 * menus and the server's checks all read this list. Labels live in the message catalog as
 * `module.<key>`, `field.<key>.<field>`.
 */
export const MODULES: readonly ModuleDef[] = [
  // org's data scope limits which users (操作员) a position may see and manage
  { key: 'org', actions: ['view', 'create', 'edit', 'delete'], scoped: true, sensitiveFields: ['mobile', 'email'] },
  { key: 'audit', actions: ['view', 'export'], scoped: false, sensitiveFields: [] },
  // 客户管理: scope by the customer's owner / owner's department, widened by team membership
  {
    key: 'customers',
    actions: ['view', 'create', 'edit', 'delete', 'export', 'import', 'transfer'],
    scoped: true,
    sensitiveFields: ['phones', 'address', 'website'],
  },
  // contacts are seen through their customer, under this module's own scope
  {
    key: 'contacts',
    actions: ['view', 'create', 'edit', 'delete', 'export', 'import'],
    scoped: true,
    sensitiveFields: ['mobile', 'phone', 'email', 'wechat', 'idNumber'],
  },
  {
    key: 'leads',
    actions: ['view', 'create', 'edit', 'delete', 'export', 'import', 'transfer'],
    scoped: true,
    sensitiveFields: ['mobile', 'phone', 'email'],
  },
  // 跟单 and 日程: by their author / owner
  { key: 'followups', actions: ['view', 'create', 'edit', 'delete'], scoped: true, sensitiveFields: [] },
  // 流程管理: designing flows, approval positions and custom forms (taking part in an approval needs no right)
  { key: 'workflow', actions: ['view', 'create', 'edit', 'delete'], scoped: false, sensitiveFields: [] },
  // 外部邮箱: everyone's own mailbox needs no right; the scope says whose mail a reader sees on customer timelines
  { key: 'mail', actions: ['view', 'create'], scoped: true, sensitiveFields: [] },
];

export type ModuleGrant = { actions: Action[]; scope: Scope };
export type PositionPermissions = {
  modules: Record<string, ModuleGrant>;
  /** key `module.field` */
  fields: Record<string, FieldRule>;
};

export const EMPTY_PERMISSIONS: PositionPermissions = { modules: {}, fields: {} };

export function findModule(key: string): ModuleDef | undefined {
  return MODULES.find((m) => m.key === key);
}

/** What the signed-in user may do, as sent to the web app by GET /me. */
export type Capabilities = {
  isAdmin: boolean;
  permissions: PositionPermissions;
};

export function can(caps: Capabilities, module: string, action: Action): boolean {
  if (caps.isAdmin) return true;
  return caps.permissions.modules[module]?.actions.includes(action) ?? false;
}

export function fieldRule(caps: Capabilities, module: string, field: string): FieldRule | undefined {
  if (caps.isAdmin) return undefined;
  return caps.permissions.fields[`${module}.${field}`];
}

const FIELD_STRICTNESS: Record<FieldRule, number> = { readonly: 1, hidden: 2 };

/**
 * True when `p` grants nothing beyond `limit`: every action is in limit, every scope is no wider,
 * and every field rule of limit is kept at least as strict. A non-admin may hand out only such sets.
 */
export function permissionsWithin(p: PositionPermissions, limit: PositionPermissions): boolean {
  for (const [module, grant] of Object.entries(p.modules)) {
    if (!grant.actions.length) continue;
    const own = limit.modules[module];
    if (!own || !grant.actions.every((a) => own.actions.includes(a))) return false;
    if (SCOPES.indexOf(grant.scope) > SCOPES.indexOf(own.scope)) return false;
  }
  for (const [field, rule] of Object.entries(limit.fields)) {
    const mine = p.fields[field];
    if (!mine || FIELD_STRICTNESS[mine] < FIELD_STRICTNESS[rule]) return false;
  }
  return true;
}
