import { fieldRule } from '@common/permissions';
import { useMe } from '@web/app/auth';

export type SensitiveUserField = 'email' | 'mobile';

/**
 * Whether I may see / edit a sensitive user field (module 'org'). The server answers a hidden
 * field as null (or leaves it out); the viewer's own field rules tell "hidden" from "empty".
 */
export function useFieldVisibility() {
  const me = useMe();
  return {
    shown: (field: SensitiveUserField) => fieldRule(me.capabilities, 'org', field) !== 'hidden',
    readOnly: (field: SensitiveUserField) => fieldRule(me.capabilities, 'org', field) === 'readonly',
  };
}
