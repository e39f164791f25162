import { useEffect, useMemo, useRef, useState } from 'react';
import { Typography } from 'antd';
import { useT } from '@web/app/i18n';

const FRAME_STYLE = `
html,body{margin:0;padding:0}
body{font:14px/1.6 -apple-system,BlinkMacSystemFont,'PingFang SC','Microsoft YaHei','Segoe UI',sans-serif;color:#1f1f1f;overflow-wrap:anywhere}
img{max-width:100%;height:auto}
img[data-blocked-src]{display:inline-block;min-width:24px;min-height:24px;background:#f5f5f5;outline:1px dashed #d9d9d9}
blockquote{margin:0 0 0 .8ex;border-left:2px solid #d9d9d9;padding-left:1ex;color:#595959}
pre{white-space:pre-wrap}
table{max-width:100%}
`;

/**
 * A message's HTML (already sanitised by the server) in a sandboxed frame: no scripts run in it
 * (no allow-scripts), its styles cannot leak into the app, links open in a new tab. Same-origin
 * only so inline images (our own /api/v1/files) load with the session and the height can be
 * measured; without scripts that grants the content nothing.
 */
export function MailBody({ html, text }: { html: string | null; text: string | null }) {
  const t = useT();
  const ref = useRef<HTMLIFrameElement>(null);
  const [height, setHeight] = useState(120);
  const doc = useMemo(
    () =>
      html === null
        ? null
        : `<!doctype html><html><head><meta charset="utf-8"><base target="_blank"><style>${FRAME_STYLE}</style></head><body>${html}</body></html>`,
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
  }, [doc]);

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
      srcDoc={doc}
      style={{ width: '100%', height, border: 0, display: 'block' }}
    />
  );
}
