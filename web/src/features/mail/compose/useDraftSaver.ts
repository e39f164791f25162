import { useCallback, useRef, useState } from 'react';
import { patch, post } from '@web/app/api';
import type { ComposeBody, MailMessage } from '../api';

export type SaveStatus = { state: 'idle' | 'saving' | 'saved' | 'error'; at?: Date; error?: string };

/**
 * Saves the mail being written as a draft: the first save creates it (POST /mail/drafts), later
 * ones update it with its version (PATCH /mail/drafts/:id). Saves run one after another, so each
 * PATCH carries the version the previous one answered.
 */
export function useDraftSaver(initial: { id: string | null; version: number }) {
  const current = useRef(initial);
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const [status, setStatus] = useState<SaveStatus>({ state: 'idle' });

  const save = useCallback((body: ComposeBody): Promise<string> => {
    const run = async () => {
      setStatus({ state: 'saving' });
      try {
        const { id, version } = current.current;
        const saved = id
          ? await patch<MailMessage>(`/mail/drafts/${encodeURIComponent(id)}`, { ...body, version })
          : await post<MailMessage>('/mail/drafts', body);
        current.current = { id: saved.id, version: saved.version };
        setStatus({ state: 'saved', at: new Date() });
        return saved.id;
      } catch (e) {
        setStatus({ state: 'error', error: e instanceof Error ? e.message : String(e) });
        throw e;
      }
    };
    const p = queue.current.then(run, run);
    queue.current = p.catch(() => undefined);
    return p;
  }, []);

  return {
    save,
    status,
    /** the draft's id once saved */
    draftId: () => current.current.id,
    /** resolves when no save is running */
    settled: () => queue.current,
  };
}
