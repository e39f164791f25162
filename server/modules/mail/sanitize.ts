import sanitizeHtml from 'sanitize-html';

/**
 * HTML of received mail made safe to show: an allowlist of layout tags and attributes (no scripts,
 * frames, forms, event handlers, `javascript:` URLs, <style> blocks, <base> or <meta refresh>).
 * Inline images (`cid:`) point at the stored attachment; remote images — and CSS `url()` that would
 * load them — are held back unless the reader allowed them (they tell the sender the mail was opened):
 * the image keeps its address in `data-blocked-src` so the page can show a placeholder.
 */

export type SanitizeOptions = {
  /** Content-ID (without angle brackets) → stored file id of the inline part */
  inline: Map<string, string>;
  /** the reader allowed remote images */
  allowRemoteImages: boolean;
};

export type SanitizedHtml = { html: string; remoteImagesBlocked: boolean };

const REMOTE = /^\s*(https?:)?\/\//i;
const URL_IN_CSS = /url\s*\(/i;

/** Where the browser downloads a stored file (GET /files/:id checks the reader may see the message). */
export const fileUrl = (fileId: string) => `/api/v1/files/${fileId}`;

const TAGS = [
  ...sanitizeHtml.defaults.allowedTags,
  'img',
  'font',
  'center',
  'span',
  'u',
  's',
  'strike',
  'del',
  'ins',
  'small',
  'big',
  'hr',
  'br',
];

const LAYOUT = ['style', 'class', 'align', 'valign', 'width', 'height', 'bgcolor', 'border', 'dir', 'title', 'lang'];

/** Drops CSS declarations that load something (`url(…)`), and old IE script hooks; reports whether any was remote. */
function cleanStyle(style: string, allowRemote: boolean): { style: string; remote: boolean } {
  let remote = false;
  const kept = style
    .split(';')
    .filter((decl) => {
      if (/expression\s*\(|behavior\s*:|-moz-binding/i.test(decl)) return false;
      if (!URL_IN_CSS.test(decl)) return true;
      const urls = [...decl.matchAll(/url\s*\(\s*['"]?([^'")]*)/gi)].map((m) => m[1]);
      const allRemote = urls.every((u) => REMOTE.test(u));
      if (allRemote) remote = true;
      return allowRemote && allRemote;
    })
    .join(';');
  return { style: kept, remote };
}

/** Sanitises one message's HTML for reading (see the file comment). */
export function sanitizeMailHtml(html: string, opts: SanitizeOptions): SanitizedHtml {
  let blocked = false;
  const out = sanitizeHtml(html, {
    allowedTags: TAGS,
    allowedAttributes: {
      '*': LAYOUT,
      a: ['href', 'name', 'target', 'rel'],
      img: ['src', 'alt', 'width', 'height', 'data-blocked-src'],
      td: [...LAYOUT, 'colspan', 'rowspan', 'nowrap', 'background'],
      th: [...LAYOUT, 'colspan', 'rowspan', 'nowrap'],
      table: [...LAYOUT, 'cellpadding', 'cellspacing', 'background'],
      font: [...LAYOUT, 'color', 'face', 'size'],
      ol: [...LAYOUT, 'start', 'type'],
    },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['http', 'https', 'data'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'background'],
    allowProtocolRelative: true,
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'head', 'template', 'iframe', 'object'],
    transformTags: {
      '*': (tagName, attribs) => {
        const a = { ...attribs };
        if (a.style !== undefined) {
          const s = cleanStyle(a.style, opts.allowRemoteImages);
          if (s.remote && !opts.allowRemoteImages) blocked = true;
          a.style = s.style;
        }
        // old table backgrounds load images too
        if (a.background !== undefined && (!REMOTE.test(a.background) || !opts.allowRemoteImages)) {
          if (REMOTE.test(a.background)) blocked = true;
          delete a.background;
        }
        return { tagName, attribs: a };
      },
      a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, target: '_blank', rel: 'noopener noreferrer nofollow' } }),
      img: (tagName, attribs) => {
        const a = { ...attribs };
        const src = (a.src ?? '').trim();
        delete a.src;
        // only this function says what was held back
        delete a['data-blocked-src'];
        if (a.style !== undefined) {
          const s = cleanStyle(a.style, opts.allowRemoteImages);
          if (s.remote && !opts.allowRemoteImages) blocked = true;
          a.style = s.style;
        }
        if (/^cid:/i.test(src)) {
          const id = decodeURIComponent(src.slice(4)).trim().replace(/^<|>$/g, '');
          const fileId = opts.inline.get(id);
          if (fileId) a.src = fileUrl(fileId);
        } else if (REMOTE.test(src)) {
          if (opts.allowRemoteImages) a.src = src;
          else {
            a['data-blocked-src'] = src;
            blocked = true;
          }
        } else if (/^data:image\/(png|gif|jpe?g|webp|bmp);/i.test(src)) {
          a.src = src;
        }
        return { tagName, attribs: a };
      },
    },
  });
  return { html: out, remoteImagesBlocked: blocked };
}
