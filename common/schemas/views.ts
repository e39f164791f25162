import { z } from 'zod';
import { listFilter } from './customers';

/** Saved list views (视图): a named filter set, column choice and sort of one list, mine or shared. */

const entityName = z.string().regex(/^[a-z][a-z0-9_]{0,49}$/, 'validation.invalid_format');

export const savedViewConfig = z.strictObject({
  filters: z.array(listFilter).max(50),
  columns: z.array(z.string().min(1).max(60)).max(100),
  sort: z.strictObject({ field: z.string().min(1).max(60), order: z.enum(['asc', 'desc']) }).optional(),
  q: z.string().trim().max(100).optional(),
});
export type SavedViewConfig = z.infer<typeof savedViewConfig>;

export const savedViewsQuery = z.object({ entity: entityName });

export const createSavedViewBody = z.strictObject({
  entity: entityName,
  name: z.string().trim().min(1).max(50),
  /** shown to every user (anyone may share: a view holds filters and columns, never data) */
  shared: z.boolean().optional(),
  config: savedViewConfig,
});
export type CreateSavedViewBody = z.infer<typeof createSavedViewBody>;

export const updateSavedViewBody = z.strictObject({
  version: z.number().int().min(1),
  name: createSavedViewBody.shape.name.optional(),
  shared: z.boolean().optional(),
  config: savedViewConfig.optional(),
});
export type UpdateSavedViewBody = z.infer<typeof updateSavedViewBody>;

export type SavedView = {
  id: string;
  entity: string;
  name: string;
  ownerId: string;
  ownerName: string | null;
  shared: boolean;
  /** the caller owns it (and may change it; admins may change any) */
  mine: boolean;
  config: SavedViewConfig;
  version: number;
  createdAt: string;
  updatedAt: string;
};
