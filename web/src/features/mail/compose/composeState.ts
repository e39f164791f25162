import type { MailAddress } from '@common/schemas/mail';
import type { TFunction } from '@web/app/i18n';
import type { ComposeBody, MailAccount, MailMessage } from '../api';
import {
  pickAccount,
  prefixedSubject,
  quoteBlock,
  replyRecipients,
  signatureHtml,
  splitQuote,
  type ComposeFile,
  type ComposeInit,
} from './quote';

/** Everything the compose form edits. */
export type ComposeState = {
  accountId: string;
  to: MailAddress[];
  cc: MailAddress[];
  bcc: MailAddress[];
  subject: string;
  /** what the user writes (the editor) */
  body: string;
  /** the quoted original, kept as it was and sent below the body */
  quote: string | null;
  files: ComposeFile[];
  replyToId: string | null;
  forwardOfId: string | null;
};

/** The form's starting point for a new mail, a reply / forward, or a saved draft. */
export function initialState(
  init: ComposeInit,
  /** the draft, or the reply's original, as just read */
  loaded: MailMessage | undefined,
  accounts: MailAccount[],
  t: TFunction,
): { state: ComposeState; draft: { id: string | null; version: number } } {
  if (init.draftId && loaded) {
    const d = loaded;
    const { body, quote } = splitQuote(d.html ?? '');
    return {
      state: {
        accountId: pickAccount(accounts, d.accountId)?.id ?? '',
        to: d.to,
        cc: d.cc,
        bcc: d.bcc,
        subject: d.subject,
        body,
        quote,
        files: d.attachments.map((a) => ({ fileId: a.fileId, name: a.name, size: a.size })),
        replyToId: null,
        forwardOfId: null,
      },
      draft: { id: d.id, version: d.version },
    };
  }
  const account = pickAccount(accounts, init.reply?.original.accountId ?? init.accountId);
  const signature = signatureHtml(account?.signature);
  const base: ComposeState = {
    accountId: account?.id ?? '',
    to: init.to ?? [],
    cc: [],
    bcc: [],
    subject: '',
    body: signature,
    quote: null,
    files: [],
    replyToId: null,
    forwardOfId: null,
  };
  const reply = init.reply;
  if (!reply) return { state: base, draft: { id: null, version: 0 } };
  const m = loaded ?? reply.original;
  const own = new Set(accounts.map((a) => a.address.toLowerCase()));
  const recipients = reply.kind === 'forward' ? { to: [], cc: [] } : replyRecipients(reply.kind, m, own);
  return {
    state: {
      ...base,
      ...recipients,
      subject: prefixedSubject(t, reply.kind, m.subject),
      quote: quoteBlock(t, m),
      // a forward takes the original's attachments along (not the images inside its body)
      files:
        reply.kind === 'forward'
          ? m.attachments.filter((a) => !a.inline).map((a) => ({ fileId: a.fileId, name: a.name, size: a.size }))
          : [],
      replyToId: reply.kind === 'forward' ? null : m.id,
      forwardOfId: reply.kind === 'forward' ? m.id : null,
    },
    draft: { id: null, version: 0 },
  };
}

/** The request body for sending or saving. */
export function composeBodyOf(s: ComposeState): ComposeBody {
  return {
    accountId: s.accountId,
    to: s.to,
    cc: s.cc,
    bcc: s.bcc,
    subject: s.subject,
    html: s.quote ? `${s.body}<br>${s.quote}` : s.body,
    attachments: s.files.map((f) => f.fileId),
    replyToId: s.replyToId,
    forwardOfId: s.forwardOfId,
  };
}
