// Parsing received mail: mailparser's simpleParser (UTF-8, GB2312/GBK/GB18030, Big5 bodies and RFC 2047
// words — split multi-byte characters and GB2312 labels on GBK text included — RFC 2231 names) plus fixes
// for what Chinese clients send outside the standards: raw 8-bit GBK bytes in the top-level headers
// (Subject, From …), which mailparser reads as UTF-8 and loses, in attachment names (filename="…" with GBK
// bytes, which it reads as Latin-1), and an unlabelled 8-bit GBK body.
import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { simpleParser, type AddressObject, type Attachment, type EmailAddress } from 'mailparser';
import type { MailAddress } from '@common/schemas/mail';

export type ParsedAttachment = {
  filename: string;
  contentType: string;
  size: number;
  content: Buffer;
  /** without angle brackets */
  contentId: string | null;
  /** shown in the body (cid: image), not listed as a download */
  inline: boolean;
};

export type ParsedMail = {
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  subject: string;
  from: MailAddress | null;
  to: MailAddress[];
  cc: MailAddress[];
  /** ISO 8601 */
  date: string | null;
  text: string | null;
  html: string | null;
  attachments: ParsedAttachment[];
};

const CJK_LABELS: Record<string, string> = {
  gb2312: 'gb18030',
  gbk: 'gb18030',
  cp936: 'gb18030',
  'x-gbk': 'gb18030',
  gb18030: 'gb18030',
  big5: 'big5',
  'big5-hkscs': 'big5-hkscs',
  'x-big5': 'big5',
};

/**
 * The charset to read raw 8-bit header bytes with: the first declared charset when it is a legacy one
 * iconv knows (GB2312/GBK read as GB18030, their superset), else GB18030 (the usual culprit).
 */
export function rawHeaderCharset(head: string): string {
  const declared = /charset\s*=\s*"?([A-Za-z0-9_.:-]+)/i.exec(head)?.[1]?.toLowerCase();
  if (!declared) return 'gb18030';
  if (CJK_LABELS[declared]) return CJK_LABELS[declared];
  if (/^(utf-?8|us-ascii|ascii)$/.test(declared) || !iconv.encodingExists(declared)) return 'gb18030';
  return declared;
}

/** Bytes that are valid UTF-8 are read as UTF-8, others in the given legacy charset. */
export function decodeRawBytes(bytes: Buffer, charset: string): string {
  return isUtf8(bytes) ? bytes.toString('utf8') : iconv.decode(bytes, charset);
}

function headerEnd(source: Buffer): number {
  const crlf = source.indexOf('\r\n\r\n');
  const lf = source.indexOf('\n\n');
  if (crlf < 0 && lf < 0) return source.length;
  if (crlf < 0) return lf + 1;
  if (lf < 0) return crlf + 2;
  return Math.min(crlf + 2, lf + 1);
}

const has8bit = (b: Buffer) => b.some((x) => x >= 0x80);

/**
 * Top-level header fields with raw 8-bit bytes that are not UTF-8 are re-encoded as UTF-8 (which
 * mailparser reads); an unlabelled single-part 8-bit body that is not UTF-8 gets a charset label.
 */
export function normaliseRawHeaders(source: Buffer): Buffer {
  const end = headerEnd(source);
  const head = source.subarray(0, end);
  const body = source.subarray(end);
  const headText = head.toString('latin1');
  const charset = rawHeaderCharset(headText + body.subarray(0, 16 * 1024).toString('latin1'));
  let changed = false;
  const parts: Buffer[] = [];
  if (has8bit(head)) {
    // fields: a line and its continuation lines (starting with space or tab)
    let start = 0;
    for (let i = 0; i <= head.length; i++) {
      const atFieldEnd = i === head.length || (head[i - 1] === 0x0a && head[i] !== 0x20 && head[i] !== 0x09);
      if (!atFieldEnd || i === start) continue;
      const field = head.subarray(start, i);
      if (has8bit(field) && !isUtf8(field)) {
        parts.push(Buffer.from(iconv.decode(field, charset), 'utf8'));
        changed = true;
      } else parts.push(field);
      start = i;
    }
  } else parts.push(head);
  const contentType = /^content-type:[ \t]*([^\r\n;]*)([^\r\n]*(?:\r?\n[ \t][^\r\n]*)*)/im.exec(headText);
  const unlabelledText = !contentType || (/^text\//i.test(contentType[1].trim()) && !/charset/i.test(contentType[2]));
  if (unlabelledText && has8bit(body) && !isUtf8(body)) {
    const label = Buffer.from(`Content-Type: ${contentType?.[1].trim() || 'text/plain'}; charset=${charset}\r\n`);
    // the new label goes first: mailparser takes the first Content-Type
    parts.unshift(label);
    changed = true;
  }
  return changed ? Buffer.concat([...parts, body]) : source;
}

/**
 * Raw 8-bit values of name= / filename= parameters in the source, keyed by how mailparser shows them
 * (Latin-1), with the decoded name.
 */
function rawParameterNames(source: Buffer, charset: string): Map<string, string> {
  const names = new Map<string, string>();
  const text = source.toString('latin1');
  const re = /\b(?:file)?name\s*=\s*(?:"([^"\r\n]*)"|([^\s;"]+))/gi;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const value = m[1] ?? m[2];
    if (!/[\x80-\xff]/.test(value)) continue;
    names.set(value, decodeRawBytes(Buffer.from(value, 'latin1'), charset).trim());
  }
  return names;
}

function addresses(field: AddressObject | AddressObject[] | undefined): MailAddress[] {
  const out: MailAddress[] = [];
  const walk = (list: EmailAddress[]) => {
    for (const a of list) {
      if (a.group) walk(a.group);
      else if (a.address) out.push({ name: a.name?.trim() || null, address: a.address.trim() });
    }
  };
  for (const f of field ? (Array.isArray(field) ? field : [field]) : []) walk(f.value);
  return out;
}

const EXTENSIONS: Record<string, string> = {
  'message/rfc822': '.eml',
  'text/plain': '.txt',
  'text/html': '.html',
  'text/calendar': '.ics',
  'application/pdf': '.pdf',
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/gif': '.gif',
};

function attachmentOf(a: Attachment, rawNames: () => Map<string, string>, index: number): ParsedAttachment {
  let filename = a.filename?.trim() || '';
  // shown as Latin-1 and made of bytes ≥ 0x80: raw 8-bit bytes in the source
  if (/[\x80-\xff]/.test(filename) && !/[^\x00-\xff]/.test(filename)) filename = rawNames().get(filename) ?? filename;
  const contentType = (a.contentType || 'application/octet-stream').toLowerCase();
  if (!filename) filename = `attachment-${index + 1}${EXTENSIONS[contentType] ?? ''}`;
  const cid = a.cid ?? (a.contentId ? a.contentId.replace(/^<|>$/g, '') : null);
  return {
    filename,
    contentType,
    size: a.size ?? a.content.length,
    content: a.content,
    contentId: cid || null,
    inline: Boolean(a.related) || (a.contentDisposition === 'inline' && Boolean(cid)),
  };
}

/** Parses a raw message (bytes as received) into what the mail module stores. */
export async function parseMail(source: Buffer): Promise<ParsedMail> {
  const normalised = normaliseRawHeaders(source);
  const p = await simpleParser(normalised, { skipImageLinks: true, skipTextToHtml: true, keepCidLinks: true });
  let names: Map<string, string> | null = null;
  const rawNames = () => {
    if (!names) {
      const head = normalised.subarray(0, Math.min(normalised.length, 64 * 1024)).toString('latin1');
      names = rawParameterNames(normalised, rawHeaderCharset(head));
    }
    return names;
  };
  const references = p.references ? (Array.isArray(p.references) ? p.references : p.references.split(/\s+/)) : [];
  const date = p.date && !Number.isNaN(p.date.getTime()) ? p.date.toISOString() : null;
  return {
    messageId: p.messageId?.trim() || null,
    inReplyTo: p.inReplyTo?.trim() || null,
    references: references.map((r) => r.trim()).filter(Boolean),
    subject: p.subject ?? '',
    from: addresses(p.from)[0] ?? null,
    to: addresses(p.to),
    cc: addresses(p.cc),
    date,
    text: p.text ?? null,
    html: typeof p.html === 'string' ? p.html : null,
    attachments: p.attachments.map((a, i) => attachmentOf(a, rawNames, i)),
  };
}
