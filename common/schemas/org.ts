import { z } from 'zod';
import { FIELD_RULES, SCOPES, findModule, type PositionPermissions } from '../permissions';
import { emailSchema, idSchema, mobileSchema, pageQuery, passwordSchema, personNameSchema, usernameSchema } from './fields';

/** Organisation: departments, positions (职位), users (操作员), handover. Shared by server and web. */

const orgName = z.string().trim().min(1).max(100);
const versionSchema = z.number().int().min(1);
const sortOrderSchema = z.number().int().min(-1_000_000).max(1_000_000);
const optionalId = idSchema.nullable().optional();

export const USER_STATUSES = ['active', 'disabled', 'left'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export const createDepartmentBody = z.strictObject({
  name: orgName,
  parentId: optionalId,
  headUserId: optionalId,
  sortOrder: sortOrderSchema.optional(),
});
export type CreateDepartmentBody = z.infer<typeof createDepartmentBody>;

export const updateDepartmentBody = z.strictObject({
  version: versionSchema,
  name: orgName.optional(),
  parentId: optionalId,
  headUserId: optionalId,
  sortOrder: sortOrderSchema.optional(),
  disabled: z.boolean().optional(),
});
export type UpdateDepartmentBody = z.infer<typeof updateDepartmentBody>;

/**
 * A position's permission matrix, checked against MODULES: unknown modules, actions a module does
 * not offer, unknown scopes, fields a module does not declare sensitive and unknown rules are
 * refused with the offending path (e.g. `permissions.modules.org.actions.1`).
 */
export const permissionsSchema = z
  .strictObject({
    modules: z.record(z.string().max(50), z.strictObject({ actions: z.array(z.string().max(30)).max(20), scope: z.string().max(30) })),
    fields: z.record(z.string().max(100), z.string().max(20)),
  })
  .superRefine((p, ctx) => {
    for (const [key, grant] of Object.entries(p.modules)) {
      const def = findModule(key);
      if (!def) {
        ctx.addIssue({ code: 'custom', path: ['modules', key], message: 'validation.invalid_value' });
        continue;
      }
      grant.actions.forEach((a, i) => {
        if (!(def.actions as readonly string[]).includes(a)) {
          ctx.addIssue({ code: 'custom', path: ['modules', key, 'actions', i], message: 'validation.invalid_value' });
        }
      });
      if (!(SCOPES as readonly string[]).includes(grant.scope)) {
        ctx.addIssue({ code: 'custom', path: ['modules', key, 'scope'], message: 'validation.invalid_value' });
      }
    }
    for (const [key, rule] of Object.entries(p.fields)) {
      const [moduleKey, field, extra] = key.split('.');
      const def = findModule(moduleKey);
      if (!def || !field || extra !== undefined || !def.sensitiveFields.includes(field)) {
        ctx.addIssue({ code: 'custom', path: ['fields', key], message: 'validation.invalid_value' });
      } else if (!(FIELD_RULES as readonly string[]).includes(rule)) {
        ctx.addIssue({ code: 'custom', path: ['fields', key], message: 'validation.invalid_value' });
      }
    }
  });

export const createPositionBody = z.strictObject({
  name: orgName,
  parentId: optionalId,
  description: z.string().trim().max(500).nullable().optional(),
  permissions: permissionsSchema.optional(),
});
/** permissions are checked again (and normalised) by the service, so callers other than HTTP may pass any shape */
export type CreatePositionBody = Omit<z.infer<typeof createPositionBody>, 'permissions'> & { permissions?: unknown };

export const updatePositionBody = z.strictObject({
  version: versionSchema,
  name: orgName.optional(),
  parentId: optionalId,
  description: z.string().trim().max(500).nullable().optional(),
});
export type UpdatePositionBody = z.infer<typeof updatePositionBody>;

export const putPermissionsBody = z.strictObject({ version: versionSchema, permissions: permissionsSchema });

export const createUserBody = z.strictObject({
  username: usernameSchema,
  name: personNameSchema,
  email: emailSchema.nullable().optional(),
  mobile: mobileSchema.nullable().optional(),
  departmentId: idSchema,
  positionId: optionalId,
  supervisorId: optionalId,
  isAdmin: z.boolean().optional(),
  password: passwordSchema,
});
export type CreateUserBody = z.infer<typeof createUserBody>;

export const updateUserBody = z.strictObject({
  version: versionSchema,
  name: personNameSchema.optional(),
  email: emailSchema.nullable().optional(),
  mobile: mobileSchema.nullable().optional(),
  departmentId: idSchema.optional(),
  positionId: optionalId,
  supervisorId: optionalId,
  isAdmin: z.boolean().optional(),
});
export type UpdateUserBody = z.infer<typeof updateUserBody>;

export const resetPasswordBody = z.strictObject({ password: passwordSchema });
export const userStatusBody = z.strictObject({ status: z.enum(USER_STATUSES) });

export const userListQuery = pageQuery.extend({
  q: z.string().trim().max(100).optional(),
  departmentId: idSchema.optional(),
  positionId: idSchema.optional(),
  status: z.enum(USER_STATUSES).optional(),
});
export type UserListQuery = z.infer<typeof userListQuery>;

export const userOptionsQuery = z.object({
  q: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  /** also disabled and departed users (audit filters look for who did something, whoever they are now) */
  all: z.enum(['true', 'false']).optional(),
});

export const handoverBody = z.strictObject({
  toUserId: idSchema,
  /** record types to hand over; all registered types when absent */
  entities: z.array(z.string().min(1).max(50)).min(1).max(50).optional(),
});

export type Department = {
  id: string;
  name: string;
  parentId: string | null;
  headUserId: string | null;
  headName: string | null;
  sortOrder: number;
  disabled: boolean;
  userCount: number;
  version: number;
};

export type Position = {
  id: string;
  name: string;
  parentId: string | null;
  description: string | null;
  permissions: PositionPermissions;
  userCount: number;
  version: number;
};

export type User = {
  id: string;
  username: string;
  name: string;
  /** null when the viewer's position hides it */
  email: string | null;
  mobile: string | null;
  departmentId: string | null;
  departmentName: string | null;
  positionId: string | null;
  positionName: string | null;
  supervisorId: string | null;
  supervisorName: string | null;
  status: UserStatus;
  isAdmin: boolean;
  mustChangePassword: boolean;
  createdAt: string;
  version: number;
};

export type UserOption = { id: string; name: string; username: string; departmentName: string | null };
export type HandoverItem = { entity: string; labelKey: string; count: number };
