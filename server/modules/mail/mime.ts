import { randomBytes } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { MailAddress } from '@common/schemas/mail';

/**
 * Building outgoing messages (RFC 5322 + MIME) with nodemailer's MailComposer: From with display
 * name, To / Cc (Bcc only in the envelope), a UTF-8 subject encoded as needed, the HTML with a
 * generated plain-text alternative, attachments read from stored files, and the reply headers.
 */

export type OutgoingAttachment = {
  name: string;
  mime: string;
  /** the bytes on disk */
  path: string;
  /** an image the HTML shows by `cid:` (a related part, not a download) */
  cid?: string;
};

export type OutgoingMail = {
  from: MailAddress;
  to: MailAddress[];
  cc?: MailAddress[];
  bcc?: MailAddress[];
  subject: string;
  html: string;
  /** generated from the HTML when omitted */
  text?: string;
  attachments?: OutgoingAttachment[];
  /** the Message-ID (with angle brackets) of the mail replied to */
  inReplyTo?: string | null;
  references?: string[];
  /** default: a fresh one on the sender's domain */
  messageId?: string;
  date?: Date;
};

export type BuiltMail = {
  raw: Buffer;
  messageId: string;
  text: string;
  /** SMTP envelope: every To, Cc and Bcc address once */
  envelope: { from: string; to: string[] };
};

/** A fresh Message-ID on the sender's domain: `<random@domain>`. */
export function newMessageId(fromAddress: string): string {
  const domain = fromAddress.split('@')[1] || 'localhost';
  return `<${Date.now().toString(36)}.${randomBytes(9).toString('base64url')}@${domain}>`;
}

/** `<id>` form of a stored Message-ID (parsers keep or drop the brackets). */
export function bracketed(id: string): string {
  const t = id.trim();
  return t.startsWith('<') ? t : `<${t}>`;
}

/** The References of a reply: the original's references then the original itself, each once, the newest 20. */
export function replyReferences(originalRefs: string | null, originalMessageId: string | null): string[] {
  const refs = (originalRefs ?? '').split(/\s+/).filter(Boolean).map(bracketed);
  if (originalMessageId) refs.push(bracketed(originalMessageId));
  return [...new Set(refs)].slice(-20);
}

const addr = (a: MailAddress) => ({ name: a.name?.trim() || '', address: a.address });

/** Composes the message; the same bytes are sent, stored and appended to the Sent folder. */
export async function buildMime(mail: OutgoingMail): Promise<BuiltMail> {
  const messageId = mail.messageId ?? newMessageId(mail.from.address);
  const text = mail.text ?? htmlToText(mail.html);
  const composer = new MailComposer({
    from: addr(mail.from),
    to: mail.to.map(addr),
    cc: (mail.cc ?? []).map(addr),
    subject: mail.subject,
    html: mail.html,
    text,
    messageId,
    date: mail.date ?? new Date(),
    inReplyTo: mail.inReplyTo ? bracketed(mail.inReplyTo) : undefined,
    references: mail.references?.length ? mail.references : undefined,
    attachments: (mail.attachments ?? []).map((a) => ({
      filename: a.name,
      contentType: a.mime,
      path: a.path,
      ...(a.cid ? { cid: a.cid } : {}),
    })),
    // never fetch URLs or read other files on the sender's behalf
    disableUrlAccess: true,
    textEncoding: 'base64',
  });
  const raw = await composer.compile().build();
  const all = [...mail.to, ...(mail.cc ?? []), ...(mail.bcc ?? [])].map((a) => a.address.toLowerCase());
  return { raw, messageId, text, envelope: { from: mail.from.address, to: [...new Set(all)] } };
}

const ENTITIES: Record<string, string> = {
  nbsp: ' ',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  ldquo: '“',
  rdquo: '”',
  hellip: '…',
  mdash: '—',
  middot: '·',
  copy: '©',
};

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/**
 * The plain-text alternative of an HTML body: block elements become line breaks, list items
 * dashes, links "text (url)", quotes "> " lines; scripts, styles and tags go; entities decoded.
 */
export function htmlToText(html: string): string {
  let s = html
    .replace(/<(script|style|head|title)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<a\b[^>]*?href\s*=\s*(["'])(.*?)\1[^>]*>([\s\S]*?)<\/a\s*>/gi, (_m, _q, href: string, inner: string) => {
      const label = inner.replace(/<[^>]+>/g, '').trim();
      const url = decodeEntities(href);
      return !label || label === url || url.startsWith('mailto:') || url.startsWith('#') ? label || url : `${label} (${url})`;
    })
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li\b[^>]*>/gi, '\n- ')
    .replace(/<\/(p|div|h[1-6]|tr|table|ul|ol|section|article|header|footer)\s*>/gi, '\n')
    .replace(/<(p|div|h[1-6]|tr|table|ul|ol|section|article|header|footer)\b[^>]*>/gi, '\n')
    .replace(/<\/t[dh]\s*>/gi, '\t')
    .replace(/<hr\b[^>]*>/gi, '\n----\n');
  // quoted parts (replies) keep their "> " markers
  s = s.replace(/<blockquote\b[^>]*>([\s\S]*?)<\/blockquote\s*>/gi, (_m, inner: string) => {
    const lines = inner
      .replace(/<[^>]+>/g, '')
      .split('\n')
      .map((l) => l.trim());
    while (lines.length && !lines[0]) lines.shift();
    while (lines.length && !lines[lines.length - 1]) lines.pop();
    return `\n${lines.map((l) => (l ? `> ${l}` : '>')).join('\n')}\n`;
  });
  s = decodeEntities(s.replace(/<[^>]+>/g, ''));
  return s
    .split('\n')
    .map((l) => l.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The first characters of the text, on one line (list views). */
export function snippetOf(text: string, max = 200): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, max);
}
