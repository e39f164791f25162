import { describe, expect, it } from 'vitest';
import { sanitizeMailHtml } from './sanitize';

const none = { inline: new Map<string, string>(), allowRemoteImages: false };

describe('sanitizeMailHtml', () => {
  it('drops active content of every kind', () => {
    const { html } = sanitizeMailHtml(
      '<base href="https://evil.test/"><meta http-equiv="refresh" content="0;url=https://evil.test">' +
        '<svg onload="x()"><script>x()</script></svg><object data="x.swf"></object><embed src="x.swf">' +
        '<a href="JaVaScRiPt:x()" onmouseover="x()">a</a><a href="vbscript:x">b</a><a href="data:text/html,<script>x()</script>">c</a>' +
        '<img src="x" onerror="x()"><div style="width:expression(alert(1))">d</div><button formaction="https://evil.test">e</button>' +
        '<textarea>t</textarea><noscript>n</noscript>',
      none,
    );
    for (const bad of [
      '<base',
      '<meta',
      '<svg',
      '<script',
      'x()',
      '<object',
      '<embed',
      'javascript',
      'vbscript',
      'data:text',
      'onerror',
      'expression',
      '<button',
      'formaction',
      '<textarea',
    ]) {
      expect(html.toLowerCase()).not.toContain(bad.toLowerCase());
    }
    expect(html).toContain('>a</a>');
  });

  it('holds back remote images (img, protocol-relative, CSS and table backgrounds) unless allowed', () => {
    const src =
      '<img src="//cdn.test/a.png"><td background="http://x.test/bg.gif">t</td><p style="background:url(https://x.test/b.png);color:blue">p</p>' +
      '<img src="data:image/png;base64,iVBORw0KGgo=">';
    const blocked = sanitizeMailHtml(`<table><tr>${src}</tr></table>`, none);
    expect(blocked.remoteImagesBlocked).toBe(true);
    expect(blocked.html).not.toMatch(/ src="\/\/cdn|background="http|url\(https/);
    expect(blocked.html).toContain('data-blocked-src="//cdn.test/a.png"');
    expect(blocked.html).toContain('color:blue');
    expect(blocked.html).toContain('src="data:image/png;base64');
    const allowed = sanitizeMailHtml(`<table><tr>${src}</tr></table>`, { ...none, allowRemoteImages: true });
    expect(allowed.remoteImagesBlocked).toBe(false);
    expect(allowed.html).toContain('src="//cdn.test/a.png"');
    expect(allowed.html).toContain('url(https://x.test/b.png)');
  });

  it('points cid: images at the stored part, and drops unknown ones; a forged data-blocked-src does not survive', () => {
    const { html, remoteImagesBlocked } = sanitizeMailHtml(
      '<img src="cid:logo@x"><img src="cid:%3Cother@x%3E"><img src="cid:missing@x"><img data-blocked-src="javascript:x()">',
      {
        inline: new Map([
          ['logo@x', 'f1'],
          ['other@x', 'f2'],
        ]),
        allowRemoteImages: false,
      },
    );
    expect(html).toContain('src="/api/v1/files/f1"');
    expect(html).toContain('src="/api/v1/files/f2"');
    expect(html).not.toContain('missing');
    expect(html).not.toContain('javascript');
    expect(remoteImagesBlocked).toBe(false);
  });
});
