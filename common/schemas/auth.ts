import { z } from 'zod';
import { passwordSchema, personNameSchema, timezoneSchema, usernameSchema } from './fields';

export const setupBody = z.strictObject({
  companyName: z.string().trim().min(1).max(100),
  timezone: timezoneSchema.default('Asia/Shanghai'),
  admin: z.strictObject({ name: personNameSchema, username: usernameSchema, password: passwordSchema }),
});
export type SetupBody = z.infer<typeof setupBody>;

export const loginBody = z.strictObject({
  /** username or email */
  username: z.string().trim().toLowerCase().min(1).max(200),
  password: z.string().min(1).max(200),
  remember: z.boolean().optional(),
});

export const changePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(200),
  newPassword: passwordSchema,
});

export const updateMeBody = z.strictObject({
  name: personNameSchema.optional(),
  locale: z.enum(['zh-CN', 'en-US']).optional(),
});

export const createApiTokenBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  expiresAt: z.iso.datetime().optional(),
});

export type MeResponse = {
  user: {
    id: string;
    username: string;
    name: string;
    email: string | null;
    departmentId: string | null;
    positionId: string | null;
    isAdmin: boolean;
    mustChangePassword: boolean;
    locale: string | null;
  };
  capabilities: import('../permissions').Capabilities;
  company: { name: string; timezone: string };
};
