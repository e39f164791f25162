import { MAIL_FRAME_STYLE } from '@common/schemas/mail';

/**
 * A message body as a page of its own (GET /mail/messages/:id/body), shown in the read view's
 * sandboxed frame. It carries its own Content-Security-Policy instead of the app's: nothing runs or
 * connects, styles only inline, images only ours (inline parts), data: and — once the reader allowed
 * them — remote ones. (A srcdoc frame inherits the app's CSP, which allows images only from 'self',
 * so 显示图片 could not show a remote image.)
 */

/** The body page's CSP; remote (http/https) images only when the reader allowed them. */
export function mailBodyCsp(allowRemoteImages: boolean): string {
  const img = ["'self'", 'data:', ...(allowRemoteImages ? ['http:', 'https:'] : [])].join(' ');
  return [
    "default-src 'none'",
    `img-src ${img}`,
    "style-src 'unsafe-inline'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'self'",
  ].join('; ');
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The whole document around already sanitised HTML (or a plain-text body). */
export function mailBodyDocument(body: { html: string | null; text: string | null }): string {
  const inner = body.html ?? `<pre>${escapeHtml(body.text ?? '')}</pre>`;
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><base target="_blank"><style>${MAIL_FRAME_STYLE}</style></head><body>${inner}</body></html>`;
}
