import { useEffect, useMemo, useRef, useState } from 'react';
import { Typography } from 'antd';
import { MAIL_FRAME_STYLE } from '@common/schemas/mail';
import { useT } from '@web/app/i18n';

/**
 * A message's HTML (already sanitised by the server) in a sandboxed frame: no scripts run in it
 * (no allow-scripts), its styles cannot leak into the app, links open in a new tab. Same-origin
 * only so inline images (our own /api/v1/files) load with the session and the height can be
 * measured; without scripts that grants the content nothing.
 * With `src` (a stored message's body page, GET /mail/messages/:id/body) the frame loads that page
 * under its own CSP, which lets remote images through once allowed; a srcdoc frame (the quote in
 * compose) inherits the app's CSP and shows only our own and data: images.
 */
export function MailBody({ html, text, src }: { html: string | null; text: string | null; src?: string }) {
  const t = useT();
  const ref = useRef<HTMLIFrameElement>(null);
  const [height, setHeight] = useState(120);
  const doc = useMemo(
    () =>
      html === null
        ? null
        : `<!doctype html><html><head><meta charset="utf-8"><base target="_blank"><style>${MAIL_FRAME_STYLE}</style></head><body>${html}</body></html>`,
    [html],
  );

  useEffect(() => {
    const frame = ref.current;
    if (!frame || doc === null) return;
    let observer: ResizeObserver | undefined;
    const measure = () => {
      const d = frame.contentDocument;
      if (d?.documentElement) setHeight(Math.max(60, d.documentElement.scrollHeight + 4));
    };
    const onLoad = () => {
      measure();
      const body = frame.contentDocument?.body;
      // images arriving later make the body grow
      if (body && typeof ResizeObserver !== 'undefined') {
        observer = new ResizeObserver(measure);
        observer.observe(body);
      }
    };
    frame.addEventListener('load', onLoad);
    return () => {
      frame.removeEventListener('load', onLoad);
      observer?.disconnect();
    };
  }, [doc, src]);

  if (doc === null) {
    return (
      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }} data-testid="mail-text">
        {text ?? ''}
      </Typography.Paragraph>
    );
  }
  return (
    <iframe
      ref={ref}
      title={t('mailui.read.body')}
      data-testid="mail-body"
      sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox"
      {...(src ? { src } : { srcDoc: doc })}
      style={{ width: '100%', height, border: 0, display: 'block' }}
    />
  );
}
