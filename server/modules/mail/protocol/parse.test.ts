import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { parseMail, type ParsedMail } from './parse';

// Every message is built as raw bytes: ASCII parts plus iconv-lite encoded parts, so 8-bit data is real.
const A = (s: string) => Buffer.from(s, 'latin1');
const enc = (s: string, charset: string) => iconv.encode(s, charset);
const gbk = (s: string) => enc(s, 'gbk');
const b64 = (b: Buffer) => b.toString('base64');
const qp = (b: Buffer) => [...b].map((x) => `=${x.toString(16).toUpperCase().padStart(2, '0')}`).join('');
const pct = (b: Buffer) => [...b].map((x) => `%${x.toString(16).toUpperCase().padStart(2, '0')}`).join('');
const word = (s: string, charset: string) => `=?${charset}?B?${b64(enc(s, charset))}?=`;
const msg = (...parts: (string | Buffer)[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? A(p) : p)));
const attachmentPart = (headers: (string | Buffer)[]) => msg('--b\r\n', ...headers, '\r\n\r\nQUJD\r\n');
const multipart = (...parts: Buffer[]) =>
  msg('Subject: files\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n', ...parts, '--b--\r\n');

const nihao = gbk('你好世界'); // 8 bytes, 2 per character

const cases: { name: string; raw: Buffer; expected: Partial<ParsedMail> & { filenames?: string[] } }[] = [
  {
    name: 'UTF-8 subject and base64 body',
    raw: msg(
      `Subject: ${word('报价单（2026）', 'UTF-8')}\r\nContent-Type: text/plain; charset=UTF-8\r\n`,
      `Content-Transfer-Encoding: base64\r\n\r\n${b64(Buffer.from('您好，附件是报价单。'))}\r\n`,
    ),
    expected: { subject: '报价单（2026）', text: '您好，附件是报价单。' },
  },
  {
    name: 'GB2312 subject, quoted-printable GB2312 body',
    raw: msg(
      `Subject: ${word('关于合同的回复', 'GB2312')}\r\nContent-Type: text/plain; charset=gb2312\r\n`,
      `Content-Transfer-Encoding: quoted-printable\r\n\r\n${qp(gbk('合同已盖章'))}\r\n`,
    ),
    expected: { subject: '关于合同的回复', text: '合同已盖章\n' },
  },
  {
    name: 'GBK base64 words split inside a character across folded lines',
    raw: msg(`Subject: =?GBK?B?${b64(nihao.subarray(0, 3))}?=\r\n =?GBK?B?${b64(nihao.subarray(3))}?=\r\n\r\nx\r\n`),
    expected: { subject: '你好世界' },
  },
  {
    name: 'GBK Q words split inside a character',
    raw: msg(`Subject: =?gbk?Q?${qp(nihao.subarray(0, 5))}?=\r\n\t=?gbk?Q?${qp(nihao.subarray(5))}?=\r\n\r\nx\r\n`),
    expected: { subject: '你好世界' },
  },
  {
    name: 'subject labelled GB2312 with GBK-only characters (喆 堃 镕), body too',
    raw: msg(
      `Subject: ${`=?GB2312?B?${b64(gbk('王喆、李堃、朱镕基'))}?=`}\r\nContent-Type: text/plain; charset=GB2312\r\n\r\n`,
      gbk('喆堃镕'),
      '\r\n',
    ),
    expected: { subject: '王喆、李堃、朱镕基', text: '喆堃镕\n' },
  },
  {
    name: 'GB18030 four-byte characters, base64 HTML body',
    raw: msg(
      `Subject: ${word('𠀀㐀€', 'GB18030')}\r\nContent-Type: text/html; charset=GB18030\r\n`,
      `Content-Transfer-Encoding: base64\r\n\r\n${b64(enc('<p>𠀀㐀€</p>', 'gb18030'))}\r\n`,
    ),
    expected: { subject: '𠀀㐀€', html: '<p>𠀀㐀€</p>' },
  },
  {
    name: 'Big5 subject and 8-bit Big5 body',
    raw: msg(
      `Subject: ${word('臺灣報價', 'Big5')}\r\nContent-Type: text/plain; charset=big5\r\nContent-Transfer-Encoding: 8bit\r\n\r\n`,
      enc('繁體中文內容', 'big5'),
      '\r\n',
    ),
    expected: { subject: '臺灣報價', text: '繁體中文內容\n' },
  },
  {
    name: 'addresses: GBK names, a quoted encoded word, a group',
    raw: msg(
      `From: ${word('陈经理', 'GBK')} <chen@example.test>\r\n`,
      `To: "${word('朱镕基', 'GB2312')}" <zhu@example.test>, plain@example.test\r\n`,
      `Cc: ${word('销售部', 'GBK')}: a@example.test, ${word('李', 'UTF-8')} <li@example.test>;\r\n\r\nx\r\n`,
    ),
    expected: {
      from: { name: '陈经理', address: 'chen@example.test' },
      to: [
        { name: '朱镕基', address: 'zhu@example.test' },
        { name: null, address: 'plain@example.test' },
      ],
      cc: [
        { name: null, address: 'a@example.test' },
        { name: '李', address: 'li@example.test' },
      ],
    },
  },
  {
    name: 'raw 8-bit GBK Subject and From (non-standard), charset taken from the body label',
    raw: msg(
      'Subject: ',
      gbk('原始标题：询价'),
      '\r\nFrom: ',
      gbk('陈经理'),
      ' <chen@example.test>\r\n',
      'Content-Type: text/plain; charset=gbk\r\n\r\n',
      gbk('正文'),
      '\r\n',
    ),
    expected: { subject: '原始标题：询价', from: { name: '陈经理', address: 'chen@example.test' }, text: '正文\n' },
  },
  {
    name: 'raw 8-bit Big5 Subject with a Big5 body label',
    raw: msg('Subject: ', enc('臺灣', 'big5'), '\r\nContent-Type: text/plain; charset=big5\r\n\r\n', enc('內容', 'big5'), '\r\n'),
    expected: { subject: '臺灣', text: '內容\n' },
  },
  {
    name: 'raw 8-bit UTF-8 Subject stays UTF-8',
    raw: msg('Subject: ', Buffer.from('直接的 UTF-8 标题'), '\r\nContent-Type: text/plain; charset=gbk\r\n\r\nx\r\n'),
    expected: { subject: '直接的 UTF-8 标题' },
  },
  {
    name: 'raw GBK Subject in a message with LF line ends',
    raw: msg('Subject: ', gbk('换行符'), '\nFrom: a@example.test\n\nbody\n'),
    expected: { subject: '换行符', text: 'body\n' },
  },
  {
    name: 'unlabelled 8-bit GBK body',
    raw: msg('Subject: x\r\nContent-Type: text/plain\r\n\r\n', gbk('没有字符集的正文'), '\r\n'),
    expected: { text: '没有字符集的正文\n' },
  },
  {
    name: 'attachment names: RFC 2231 UTF-8 and GBK, continuations split inside a character, RFC 2047',
    raw: multipart(
      attachmentPart([
        `Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename*=UTF-8''${pct(Buffer.from('报价单 2026.xlsx'))}`,
      ]),
      attachmentPart([`Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename*=GBK''${pct(gbk('合同.pdf'))}`]),
      attachmentPart([
        `Content-Type: application/octet-stream\r\nContent-Disposition: attachment;\r\n filename*0*=gbk''${pct(gbk('你好.txt').subarray(0, 1))};\r\n filename*1*=${pct(gbk('你好.txt').subarray(1))}`,
      ]),
      attachmentPart([`Content-Type: application/octet-stream; name="${word('名片.vcf', 'GB2312')}"`]),
      attachmentPart([`Content-Type: application/octet-stream; name="${word('檔案.doc', 'big5')}"`]),
    ),
    expected: { filenames: ['报价单 2026.xlsx', '合同.pdf', '你好.txt', '名片.vcf', '檔案.doc'] },
  },
  {
    name: 'attachment names as raw 8-bit GBK bytes (filename="…" and name="…"), raw UTF-8 untouched',
    raw: multipart(
      attachmentPart(['Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="', gbk('报价单.xlsx'), '"']),
      attachmentPart(['Content-Type: application/octet-stream; name="', gbk('合同扫描件.pdf'), '"']),
      attachmentPart(['Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=', gbk('无引号.txt')]),
      attachmentPart([
        'Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="',
        Buffer.from('直接UTF8.txt'),
        '"',
      ]),
    ),
    expected: { filenames: ['报价单.xlsx', '合同扫描件.pdf', '无引号.txt', '直接UTF8.txt'] },
  },
  {
    name: 'a Latin-1 encoded name is not mistaken for GBK',
    raw: multipart(attachmentPart([`Content-Type: application/octet-stream; name="=?ISO-8859-1?Q?caf=E9=E0.txt?="`])),
    expected: { filenames: ['caféà.txt'] },
  },
];

describe('parseMail: Chinese mail decodes correctly', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const parsed = await parseMail(c.raw);
      const { filenames, ...fields } = c.expected;
      expect(parsed).toMatchObject(fields);
      if (filenames) expect(parsed.attachments.map((a) => a.filename)).toEqual(filenames);
    });
  }
});

describe('parseMail: structure', () => {
  it('ids, references, date, inline images and nameless attachments', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const raw = msg(
      'Message-ID: <m-1@example.test>\r\nIn-Reply-To: <q-1@example.test>\r\n',
      'References: <root@example.test>\r\n <q-1@example.test>\r\nDate: Tue, 3 Mar 2026 10:00:00 +0800\r\n',
      'From: a@example.test\r\nSubject: related\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="m"\r\n\r\n',
      '--m\r\nContent-Type: multipart/related; boundary="r"\r\n\r\n',
      '--r\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p><img src="cid:logo@x"></p>\r\n',
      `--r\r\nContent-Type: image/png\r\nContent-ID: <logo@x>\r\nContent-Disposition: inline\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64(png)}\r\n`,
      '--r--\r\n',
      `--m\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64(A('%PDF-1.4'))}\r\n`,
      '--m--\r\n',
    );
    const p = await parseMail(raw);
    expect(p).toMatchObject({
      messageId: '<m-1@example.test>',
      inReplyTo: '<q-1@example.test>',
      references: ['<root@example.test>', '<q-1@example.test>'],
      date: '2026-03-03T02:00:00.000Z',
      from: { name: null, address: 'a@example.test' },
    });
    expect(p.html).toContain('cid:logo@x');
    expect(p.attachments.map((a) => ({ ...a, content: a.content.toString('hex') }))).toEqual([
      {
        filename: 'attachment-1.png',
        contentType: 'image/png',
        size: png.length,
        content: png.toString('hex'),
        contentId: 'logo@x',
        inline: true,
      },
      {
        filename: 'attachment-2.pdf',
        contentType: 'application/pdf',
        size: 8,
        content: A('%PDF-1.4').toString('hex'),
        contentId: null,
        inline: false,
      },
    ]);
  });

  it('a message without headers of note still parses', async () => {
    const p = await parseMail(A('\r\njust a body\r\n'));
    expect(p).toMatchObject({ messageId: null, subject: '', from: null, to: [], cc: [], date: null, attachments: [] });
  });

  it('a 10 MB attachment comes back whole', async () => {
    const data = Buffer.alloc(10 * 1024 * 1024, 7);
    const raw = multipart(
      msg(
        '--b\r\nContent-Type: application/zip; name="big.zip"\r\nContent-Transfer-Encoding: base64\r\n\r\n',
        b64(data).replace(/.{76}/g, '$&\r\n'),
        '\r\n',
      ),
    );
    const p = await parseMail(raw);
    expect(p.attachments[0].filename).toBe('big.zip');
    expect(p.attachments[0].content.equals(data)).toBe(true);
  });
});
