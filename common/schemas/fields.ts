import { z } from 'zod';

/** Shared field shapes. Refinement messages are catalog keys (`validation.*`), localised by the server. */
export const idSchema = z.string().regex(/^[0-9a-z]{26}$/, 'validation.invalid_id');
export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(2)
  .max(64)
  .regex(/^[a-z0-9._@-]+$/, 'validation.invalid_format');
export const passwordSchema = z
  .string()
  .min(8)
  .max(128)
  .refine((p) => /[A-Za-z]/.test(p) && /\d/.test(p), 'validation.password_weak');
export const personNameSchema = z.string().trim().min(1).max(50);
export const emailSchema = z.string().trim().toLowerCase().max(200).pipe(z.email());
export const mobileSchema = z
  .string()
  .trim()
  .regex(/^\+?[0-9 -]{5,20}$/, 'validation.invalid_format');

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
export const timezoneSchema = z.string().max(64).refine(isTimeZone, 'validation.timezone');

/** Keyset pagination query: `cursor` is the last id seen, `limit` 1–200. */
export const pageQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type Page<T> = { items: T[]; nextCursor: string | null; total?: number };
