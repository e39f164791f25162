import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import { useQueryClient } from '@tanstack/react-query';
import { del, patch } from '@web/app/api';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import { mailKeys, type MailListItem, type MailPage } from '../api';

/** Changes one message in every loaded list (so a click shows at once, before the refetch). */
export function patchListItem(qc: QueryClient, id: string, change: Partial<MailListItem>) {
  qc.setQueriesData<InfiniteData<MailPage>>({ queryKey: mailKeys.lists }, (data) =>
    data
      ? {
          ...data,
          pages: data.pages.map((p) => ({ ...p, items: p.items.map((m) => (m.id === id ? { ...m, ...change } : m)) })),
        }
      : data,
  );
}

const enc = encodeURIComponent;

/** Star, read/unread, trash, restore and delete of the user's own messages. */
export function useMessageActions() {
  const qc = useQueryClient();
  const feedback = useFeedback();
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: mailKeys.lists });
    void qc.invalidateQueries({ queryKey: mailKeys.unread });
  };
  const flags = async (id: string, body: { seen?: boolean; starred?: boolean; folder?: 'inbox' | 'trash' }) => {
    const { folder: _folder, ...shown } = body;
    patchListItem(qc, id, shown);
    try {
      await patch(`/mail/messages/${enc(id)}`, body);
      void qc.invalidateQueries({ queryKey: mailKeys.messageAny(id) });
    } catch (e) {
      feedback.failure(e);
    } finally {
      refresh();
    }
  };
  return {
    star: (id: string, starred: boolean) => flags(id, { starred }),
    markUnread: (id: string) => flags(id, { seen: false }),
    restore: (id: string) => flags(id, { folder: 'inbox' }),
    /** outside the trash: to the trash; in it: gone */
    remove: async (id: string) => {
      try {
        await del(`/mail/messages/${enc(id)}`);
        return true;
      } catch (e) {
        feedback.failure(e);
        return false;
      } finally {
        refresh();
      }
    },
    /** a draft is discarded through its own endpoint */
    discardDraft: async (id: string) => {
      try {
        await del(`/mail/drafts/${enc(id)}`);
        return true;
      } catch (e) {
        feedback.failure(e);
        return false;
      } finally {
        refresh();
      }
    },
    /** opening a message marked it read on the server: show it in the lists and counts */
    seen: (id: string) => {
      patchListItem(qc, id, { seen: true });
      void qc.invalidateQueries({ queryKey: mailKeys.unread });
    },
  };
}
