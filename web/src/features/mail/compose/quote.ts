import type { MailAddress } from '@common/schemas/mail';
import type { TFunction } from '@web/app/i18n';
import { formatDateTime } from '@web/app/format';
import { formatAddress, type MailAccount, type MailMessage } from '../api';

/** What the compose drawer starts from. */
export type ComposeInit = {
  /** an existing draft (or failed send) to go on with */
  draftId?: string;
  reply?: { kind: 'reply' | 'replyAll' | 'forward'; original: MailMessage };
  /** recipients given by the caller (the customer page) */
  to?: MailAddress[];
  accountId?: string;
};

/** A chosen attachment: an upload or a file of the mail being forwarded. */
export type ComposeFile = { fileId: string; name: string; size: number };

/** The class that marks the quoted original inside the HTML, so a reopened draft can show it apart again. */
export const QUOTE_CLASS = 'xt-quote';

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const textToHtml = (text: string) => escapeHtml(text).replace(/\r?\n/g, '<br>');

/** 「-------- 原始邮件 --------」 with from/date/to/cc/subject, then the original HTML in a blockquote. */
export function quoteBlock(t: TFunction, m: MailMessage): string {
  const line = (key: string, value: string) => (value ? `<b>${escapeHtml(t(key))}</b>${escapeHtml(value)}<br>` : '');
  const header =
    `${escapeHtml(t('mailui.quote.separator'))}<br>` +
    line('mailui.quote.from', formatAddress(m.from)) +
    line('mailui.quote.date', formatDateTime(m.date)) +
    line('mailui.quote.to', m.to.map(formatAddress).join(', ')) +
    line('mailui.quote.cc', m.cc.map(formatAddress).join(', ')) +
    line('mailui.quote.subject', m.subject);
  const body = m.html ?? textToHtml(m.text ?? '');
  return (
    `<div class="${QUOTE_CLASS}"><div style="font-size:12px;color:#595959;padding:8px 0">${header}</div>` +
    `<blockquote style="margin:0 0 0 .8ex;border-left:2px solid #d9d9d9;padding-left:1ex">${body}</blockquote></div>`
  );
}

/** 回复：/ 转发： in front of the subject, not twice. */
export function prefixedSubject(t: TFunction, kind: 'reply' | 'replyAll' | 'forward', subject: string): string {
  const prefix = t(kind === 'forward' ? 'mailui.quote.forward_prefix' : 'mailui.quote.reply_prefix');
  const known = /^\s*(re|fw|fwd|回复|答复|转发)\s*[:：]\s*/i;
  const bare = subject.replace(known, '');
  return subject.startsWith(prefix) ? subject : `${prefix}${kind === 'forward' ? subject : bare}`;
}

/** Whom a reply goes to: the sender (reply) or everyone but me (reply all). */
export function replyRecipients(kind: 'reply' | 'replyAll', m: MailMessage, own: Set<string>): { to: MailAddress[]; cc: MailAddress[] } {
  const mine = (a: MailAddress) => own.has(a.address.toLowerCase());
  // replying to my own sent mail goes to its recipients again
  const sentByMe = m.from ? mine(m.from) : false;
  const primary = sentByMe ? m.to : m.from ? [m.from] : [];
  if (kind === 'reply') return { to: primary, cc: [] };
  const seen = new Set(primary.map((a) => a.address.toLowerCase()));
  const cc: MailAddress[] = [];
  for (const a of [...m.to, ...m.cc]) {
    const key = a.address.toLowerCase();
    if (seen.has(key) || mine(a)) continue;
    seen.add(key);
    cc.push(a);
  }
  return { to: primary, cc };
}

/** The account to send from: the one the original came to, else the default, else the first. */
export function pickAccount(accounts: MailAccount[], preferred?: string): MailAccount | undefined {
  return accounts.find((a) => a.id === preferred) ?? accounts.find((a) => a.isDefault) ?? accounts[0];
}

/** Splits a saved draft's HTML into what the user wrote and the quoted original (kept as it was). */
export function splitQuote(html: string): { body: string; quote: string | null } {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  const q = doc.body.querySelector(`div.${QUOTE_CLASS}`);
  if (!q) return { body: html, quote: null };
  const quote = q.outerHTML;
  q.remove();
  // the <br> put between body and quote on saving goes too, so reopening does not add one each time
  return { body: doc.body.innerHTML.replace(/(<br\s*\/?>\s*)+$/i, ''), quote };
}

/** The signature as HTML for the editor (plain text signatures keep their lines). */
export function signatureHtml(signature: string | null | undefined): string {
  if (!signature?.trim()) return '';
  const looksHtml = /<[a-z][\s\S]*>/i.test(signature);
  return `<p></p><p>--</p>${looksHtml ? signature : `<p>${textToHtml(signature)}</p>`}`;
}
