import { useCallback, useState } from 'react';
import { useMe } from '@web/app/auth';
import type { CustomerKind } from '../api';
import { DEFAULT_COLUMNS } from './columns';

function read(key: string): string[] {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(key) ?? 'null');
    return Array.isArray(v) && v.every((x) => typeof x === 'string') && v.length ? v : DEFAULT_COLUMNS;
  } catch {
    return DEFAULT_COLUMNS;
  }
}

/** The columns this user chose for the list, remembered in this browser per user and list kind. */
export function useChosenColumns(kind: CustomerKind): [string[], (columns: string[]) => void] {
  const me = useMe();
  const key = `xt.customers.columns.${me.user.id}.${kind}`;
  const [columns, setState] = useState(() => read(key));
  const set = useCallback(
    (next: string[]) => {
      const value = next.includes('name') ? next : ['name', ...next];
      setState(value);
      try {
        localStorage.setItem(key, JSON.stringify(value));
      } catch {
        // only a preference
      }
    },
    [key],
  );
  return [columns, set];
}
