import { createHash } from 'node:crypto';
import type { MailAddress } from '@common/schemas/mail';
import { parseMail, type ParsedMail } from './protocol/parse';

/** What storing takes from a parsed message: dedupe key, snippet, clean strings; and a parse that never throws. */

const SNIPPET_CHARS = 200;

/** Postgres text refuses NUL; some mail carries it. */
export const clean = (s: string | null | undefined): string | null => (s == null ? null : s.replace(/\u0000/g, ''));

/** 'm:<Message-ID>' (angle brackets and spaces dropped; an absurdly long id hashed) or 'h:<sha256 of the source>'. */
export function dedupeKeyOf(messageId: string | null | undefined, raw: Buffer): string {
  const id = (messageId ?? '').trim().replace(/^<|>$/g, '').trim();
  if (id) return id.length > 300 ? `m:sha256:${createHash('sha256').update(id).digest('hex')}` : `m:${id}`;
  return `h:${createHash('sha256').update(raw).digest('hex')}`;
}

/** Plain text of an HTML body, for the snippet only. */
function htmlToText(html: string): string {
  return html
    .replace(/<(style|script|head)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&amp;/gi, '&')
    .replace(/&quot;/gi, '"')
    .replace(/&#39;/gi, "'");
}

export function snippetOf(text: string | null, html: string | null): string {
  const base = text ?? (html ? htmlToText(html.slice(0, 200_000)) : '');
  return Array.from(base.replace(/\s+/g, ' ').trim()).slice(0, SNIPPET_CHARS).join('');
}

/** What headers give when the parser gave up: kept as raw source, listed under its subject if one is readable. */
function fallbackParse(raw: Buffer): ParsedMail {
  const head = raw.subarray(0, 64 * 1024).toString('latin1');
  const header = (name: string) => new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? null;
  return {
    messageId: header('Message-ID'),
    inReplyTo: null,
    references: [],
    subject: header('Subject') ?? '',
    from: null,
    to: [],
    cc: [],
    date: null,
    text: null,
    html: null,
    attachments: [],
  };
}

export function isoOrNull(date: string | null): string | null {
  if (!date) return null;
  const t = Date.parse(date);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

export const addr = (a: MailAddress): MailAddress => ({ name: clean(a.name) || null, address: clean(a.address) ?? '' });

/** Parses the source (never throws: an unparsable message is kept raw). */
export async function parseSafely(raw: Buffer): Promise<{ parsed: ParsedMail; failed: boolean }> {
  try {
    return { parsed: await parseMail(raw), failed: false };
  } catch {
    return { parsed: fallbackParse(raw), failed: true };
  }
}
