import type { CustomFieldEntity } from '@common/schemas/custom-fields';

/**
 * Entities that carry custom fields. A module declares its entity once (the record table then has
 * a `custom` JSON text column); definitions for an unregistered entity are refused.
 */

const registry = new Map<string, CustomFieldEntity>();

/** Declares that `entity`'s records have custom fields, guarded by the permission `module`. */
export function registerFieldEntity(entity: string, opts: { module: string }): void {
  registry.set(entity, { entity, module: opts.module });
}

export function fieldEntity(entity: string): CustomFieldEntity | undefined {
  return registry.get(entity);
}

export function fieldEntities(): CustomFieldEntity[] {
  return [...registry.values()];
}

// the customer central database (issue 3); later modules register their own
registerFieldEntity('customer', { module: 'customers' });
registerFieldEntity('contact', { module: 'contacts' });
registerFieldEntity('lead', { module: 'leads' });
